from datetime import date

import pytest

from assessments.inputs import ClientFacts, Measures, OhsObservation, PostureObservation
from assessments.interpret import interpret

ADULT = ClientFacts(sex="female", birth_date=date(1985, 6, 1), assessed_on=date(2026, 11, 20))
PATTERN_CODES = {"upper_crossed_pattern", "lower_crossed_pattern", "pronation_distortion_pattern"}


def seen(*codes):
    return tuple(PostureObservation(code) for code in codes)


def patterns(**measures):
    return [f.code for f in interpret(Measures(**measures), ADULT) if f.code in PATTERN_CODES]


def test_forward_head_with_rounded_shoulders_is_upper_crossed_pattern():
    assert patterns(posture=seen("forward_head", "rounded_shoulders")) == ["upper_crossed_pattern"]


def test_measured_forward_head_with_elevated_shoulders_is_upper_crossed_pattern():
    assert patterns(cva_deg=44.0, posture=seen("elevated_shoulders")) == ["upper_crossed_pattern"]


def test_forward_head_alone_is_no_pattern():
    assert patterns(posture=seen("forward_head")) == []


def test_rounded_shoulders_alone_is_no_pattern():
    assert patterns(posture=seen("rounded_shoulders", "scapular_winging")) == []


def test_typical_cva_outranks_an_observed_forward_head_for_the_pattern():
    assert patterns(cva_deg=52.0, posture=seen("forward_head", "rounded_shoulders")) == []


def test_anterior_tilt_with_increased_lordosis_is_lower_crossed_pattern():
    observed = seen("anterior_pelvic_tilt", "increased_lumbar_lordosis")
    assert patterns(posture=observed) == ["lower_crossed_pattern"]


def test_measured_anterior_tilt_with_arching_squat_is_lower_crossed_pattern():
    assert patterns(
        pelvic_tilt_left_deg=18.0,
        pelvic_tilt_right_deg=17.0,
        ohs=(OhsObservation("low_back_arches"),),
    ) == ["lower_crossed_pattern"]


def test_anterior_tilt_alone_is_no_lower_crossed_pattern():
    assert patterns(pelvic_tilt_left_deg=18.0, pelvic_tilt_right_deg=17.0) == []


def test_anterior_tilt_seen_and_measured_is_still_one_sign():
    assert (
        patterns(
            pelvic_tilt_left_deg=18.0,
            pelvic_tilt_right_deg=17.0,
            posture=seen("anterior_pelvic_tilt"),
        )
        == []
    )


def test_flat_feet_with_knees_in_is_pronation_distortion_pattern():
    assert patterns(posture=seen("feet_flatten", "knees_in")) == ["pronation_distortion_pattern"]


def test_overpronation_in_gait_with_knees_in_is_pronation_distortion_pattern():
    observed = {"posture": seen("knees_in"), "gait": ("overpronation",)}
    assert patterns(**observed) == ["pronation_distortion_pattern"]


def test_flat_feet_alone_is_no_pattern():
    assert patterns(posture=seen("feet_flatten")) == []


def test_all_three_patterns_come_in_a_fixed_order():
    observed = seen(
        "knees_in",
        "increased_lumbar_lordosis",
        "feet_flatten",
        "anterior_pelvic_tilt",
        "rounded_shoulders",
        "forward_head",
    )
    assert patterns(posture=observed) == [
        "upper_crossed_pattern",
        "lower_crossed_pattern",
        "pronation_distortion_pattern",
    ]


def test_pattern_explanation_names_the_signs_seen():
    (finding,) = [
        f
        for f in interpret(Measures(posture=seen("forward_head", "rounded_shoulders")), ADULT)
        if f.code == "upper_crossed_pattern"
    ]
    assert "rounded (protracted) shoulders" in finding.explanation
    assert "not a diagnosis" in finding.explanation


def test_pattern_cites_its_sources_and_is_a_practice_default():
    (finding,) = [
        f
        for f in interpret(Measures(posture=seen("feet_flatten", "knees_in")), ADULT)
        if f.code == "pronation_distortion_pattern"
    ]
    assert "PaloAlto-PDS" in finding.source
    assert finding.practice_default
    assert "posterior_tibialis" in finding.underactive


def test_lower_crossed_explanation_carries_the_youdas_caution():
    (finding,) = [
        f
        for f in interpret(
            Measures(posture=seen("anterior_pelvic_tilt", "increased_lumbar_lordosis")), ADULT
        )
        if f.code == "lower_crossed_pattern"
    ]
    assert "Youdas" in finding.explanation


def test_observation_without_a_case_format_code_makes_no_finding_of_its_own():
    assert interpret(Measures(posture=seen("rounded_shoulders")), ADULT) == []


def test_input_order_does_not_change_the_findings():
    one = interpret(Measures(posture=seen("pelvic_obliquity", "forward_head")), ADULT)
    other = interpret(Measures(posture=seen("forward_head", "pelvic_obliquity")), ADULT)
    assert one == other


def test_repeated_observation_counts_once():
    assert len(interpret(Measures(posture=seen("forward_head", "forward_head")), ADULT)) == 1


def test_unknown_posture_code_is_rejected():
    with pytest.raises(ValueError, match="posture"):
        interpret(Measures(posture=seen("slouching")), ADULT)
