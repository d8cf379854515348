from datetime import date

from assessments.findings import Severity
from assessments.inputs import ClientFacts, Measures, PostpartumMeasures
from assessments.interpret import interpret

MOTHER = ClientFacts(
    sex="female",
    birth_date=date(1992, 5, 1),
    assessed_on=date(2026, 11, 20),
    delivery_date=date(2026, 9, 1),
    delivery_type="vaginal",
)


def findings(**postpartum):
    return interpret(Measures(postpartum=PostpartumMeasures(**postpartum)), MOTHER)


def diastasis(**postpartum):
    return [f for f in findings(**postpartum) if f.code == "diastasis_recti"]


def test_gap_of_2_cm_is_mild_diastasis_recti():
    (finding,) = diastasis(ird_umbilicus_cm=2.0)
    assert finding.severity is Severity.MILD


def test_gap_under_2_cm_is_no_diastasis_recti():
    assert diastasis(ird_above_umbilicus_cm=1.9, ird_umbilicus_cm=1.9) == []


def test_gap_of_3_cm_is_moderate_diastasis_recti():
    (finding,) = diastasis(ird_umbilicus_cm=3.0)
    assert finding.severity is Severity.MODERATE


def test_gap_of_5_cm_is_still_moderate():
    (finding,) = diastasis(ird_umbilicus_cm=5.0)
    assert finding.severity is Severity.MODERATE


def test_gap_over_5_cm_is_severe_diastasis_recti():
    (finding,) = diastasis(ird_umbilicus_cm=5.1)
    assert finding.severity is Severity.SEVERE


def test_any_of_the_three_sites_counts():
    (finding,) = diastasis(ird_above_umbilicus_cm=1.0, ird_below_umbilicus_cm=2.4)
    assert (finding.value, finding.measure) == (2.4, "postpartum.ird_widest_cm")
    assert "2.4 cm below the navel" in finding.explanation


def test_severity_bands_are_a_marked_practice_default():
    (finding,) = diastasis(ird_umbilicus_cm=2.5)
    assert finding.practice_default
    assert "practice default" in finding.reference
    assert finding.source.startswith("Sperstad-2016")


def test_doming_without_a_wide_gap_is_present_diastasis_recti():
    (finding,) = diastasis(ird_umbilicus_cm=1.5, doming=True)
    assert (finding.severity, finding.measure) == (Severity.PRESENT, "postpartum.doming")


def test_gaps_not_measured_are_not_zero_and_make_no_finding():
    assert diastasis() == []


def test_explanation_gives_weeks_since_delivery():
    (finding,) = diastasis(ird_umbilicus_cm=2.5)
    assert "11.4 weeks after delivery" in finding.explanation


def test_leakage_is_pelvic_floor_symptoms():
    (finding,) = findings(leakage=True)
    assert (finding.code, finding.value) == ("pelvic_floor_symptoms", "leakage")


def test_all_reported_symptoms_are_listed_in_one_finding():
    (finding,) = findings(leakage=True, heaviness=True, pelvic_pain=True)
    assert finding.value == "leakage, heaviness, pelvic_pain"
    assert "pelvic-health physiotherapist" in finding.explanation


def test_symptoms_answered_no_or_not_asked_make_no_finding():
    assert findings(leakage=False, heaviness=None) == []
