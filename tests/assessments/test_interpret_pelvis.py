from datetime import date

from assessments.findings import Severity
from assessments.inputs import ClientFacts, Measures, PostureObservation
from assessments.interpret import interpret

ADULT = ClientFacts(sex="male", birth_date=date(1988, 1, 15), assessed_on=date(2026, 11, 20))
PELVIC_CODES = {"anterior_pelvic_tilt", "posterior_pelvic_tilt", "pelvic_asymmetry"}


def pelvis(left=None, right=None, posture=()):
    measures = Measures(pelvic_tilt_left_deg=left, pelvic_tilt_right_deg=right, posture=posture)
    return [f for f in interpret(measures, ADULT) if f.code in PELVIC_CODES]


def codes(findings):
    return [f.code for f in findings]


def test_mean_tilt_of_15_degrees_is_no_finding():
    assert pelvis(14.0, 16.0) == []


def test_mean_tilt_above_15_degrees_is_anterior_pelvic_tilt():
    (finding,) = pelvis(15.0, 16.0)
    assert (finding.code, finding.value, finding.measure) == (
        "anterior_pelvic_tilt",
        15.5,
        "pelvic_tilt_mean_deg",
    )


def test_anterior_tilt_is_a_marked_practice_default():
    (finding,) = pelvis(18.0, 18.0)
    assert finding.practice_default
    assert "practice default" in finding.reference


def test_anterior_tilt_explanation_points_to_the_clients_own_baseline():
    (finding,) = pelvis(18.0, 18.0)
    assert "own baseline" in finding.explanation
    assert "not as a diagnosis" in finding.explanation


def test_anterior_tilt_lists_the_lower_crossed_muscles():
    (finding,) = pelvis(18.0, 18.0)
    assert "hip_flexors" in finding.overactive
    assert "gluteus_maximus" in finding.underactive


def test_mean_tilt_of_0_degrees_is_no_finding():
    assert pelvis(1.0, -1.0) == []


def test_mean_tilt_below_0_degrees_is_posterior_pelvic_tilt():
    (finding,) = pelvis(-1.0, 0.0)
    assert (finding.code, finding.value, finding.severity) == (
        "posterior_pelvic_tilt",
        -0.5,
        Severity.PRESENT,
    )


def test_side_difference_of_5_degrees_is_no_asymmetry():
    assert pelvis(8.0, 13.0) == []


def test_side_difference_above_5_degrees_is_pelvic_asymmetry():
    (finding,) = pelvis(8.0, 13.5)
    assert (finding.code, finding.value, finding.side) == ("pelvic_asymmetry", 5.5, "right")


def test_asymmetry_explanation_mentions_measurement_error_and_bone_shape():
    (finding,) = pelvis(14.0, 6.0)
    assert "measurement error" in finding.explanation
    assert "bone shape" in finding.explanation
    assert finding.practice_default


def test_one_side_measured_is_read_alone_without_asymmetry():
    (finding,) = pelvis(left=17.0)
    assert finding.code == "anterior_pelvic_tilt"
    assert "left side only" in finding.explanation


def test_pelvis_not_measured_is_no_finding():
    assert pelvis() == []


def test_large_tilt_with_large_difference_makes_both_findings():
    assert codes(pelvis(12.0, 24.0)) == ["anterior_pelvic_tilt", "pelvic_asymmetry"]


def test_observed_anterior_tilt_without_measurement_is_a_finding():
    (finding,) = pelvis(posture=(PostureObservation("anterior_pelvic_tilt"),))
    assert (finding.code, finding.measure) == ("anterior_pelvic_tilt", "posture")


def test_measured_tilt_outranks_the_observed_tilt():
    assert pelvis(10.0, 11.0, posture=(PostureObservation("anterior_pelvic_tilt"),)) == []


def test_observed_obliquity_is_pelvic_asymmetry_on_its_side():
    (finding,) = pelvis(posture=(PostureObservation("pelvic_obliquity", "left"),))
    assert (finding.code, finding.side) == ("pelvic_asymmetry", "left")
    assert "leg-length" in finding.explanation
