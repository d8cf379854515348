from datetime import date

from assessments.findings import Severity
from assessments.inputs import ClientFacts, Measures, PostureObservation
from assessments.interpret import interpret

ADULT = ClientFacts(sex="female", birth_date=date(1990, 4, 2), assessed_on=date(2026, 11, 20))


def forward_head(**measures):
    return [f for f in interpret(Measures(**measures), ADULT) if f.code == "forward_head_posture"]


def test_cva_of_50_degrees_is_no_finding():
    assert forward_head(cva_deg=50.0) == []


def test_cva_above_50_degrees_is_no_finding():
    assert forward_head(cva_deg=56.0) == []


def test_cva_of_49_9_degrees_is_mild_forward_head_posture():
    (finding,) = forward_head(cva_deg=49.9)
    assert finding.severity is Severity.MILD


def test_cva_of_45_5_degrees_is_mild_forward_head_posture():
    (finding,) = forward_head(cva_deg=45.5)
    assert finding.severity is Severity.MILD


def test_cva_below_45_5_degrees_is_moderate_forward_head_posture():
    (finding,) = forward_head(cva_deg=45.4)
    assert finding.severity is Severity.MODERATE


def test_forward_head_finding_carries_the_measure_and_value():
    (finding,) = forward_head(cva_deg=44.0)
    assert (finding.measure, finding.value, finding.region) == ("cva_deg", 44.0, "head_neck")


def test_forward_head_bands_are_marked_as_a_practice_default():
    (finding,) = forward_head(cva_deg=47.0)
    assert finding.practice_default
    assert "practice default" in finding.reference


def test_forward_head_reference_cites_lau_and_mostafaee():
    (finding,) = forward_head(cva_deg=47.0)
    assert finding.source == "Mostafaee, Lau-2009"
    assert finding.reference.startswith("≥ 50° typical (Lau 2009: 50.6 ± 2.1°)")


def test_forward_head_explanation_is_a_screening_cue_not_a_diagnosis():
    (finding,) = forward_head(cva_deg=44.0)
    assert "probable" in finding.explanation
    assert "not a diagnosis" in finding.explanation


def test_forward_head_lists_probable_overactive_and_underactive_muscles():
    (finding,) = forward_head(cva_deg=44.0)
    assert "upper_trapezius" in finding.overactive
    assert finding.underactive == ("deep_cervical_flexors",)


def test_screen_time_is_mentioned_when_recorded():
    (finding,) = forward_head(cva_deg=47.0, screen_hours_per_day=7.5)
    assert "7.5 h of screen time a day" in finding.explanation


def test_cva_not_measured_is_no_finding():
    assert forward_head() == []


def test_observed_forward_head_without_a_cva_is_a_present_finding():
    (finding,) = forward_head(posture=(PostureObservation("forward_head"),))
    assert (finding.severity, finding.measure) == (Severity.PRESENT, "posture")


def test_a_measured_cva_outranks_the_observed_forward_head():
    assert forward_head(cva_deg=52.0, posture=(PostureObservation("forward_head"),)) == []


def test_tragus_to_wall_distance_alone_makes_no_finding():
    # BASMI's tragus-to-wall bands are for ankylosing spondylitis (§4.3), not a fitness cut-off.
    assert interpret(Measures(wall_distance_cm=18.0), ADULT) == []
