from datetime import date

import pytest

from assessments.findings import OHS_COMPENSATIONS, Severity
from assessments.inputs import ClientFacts, Measures, OhsObservation
from assessments.interpret import interpret

ADULT = ClientFacts(sex="male", birth_date=date(1979, 9, 9), assessed_on=date(2026, 11, 20))


def squat(*observations):
    return interpret(Measures(ohs=tuple(observations)), ADULT)


@pytest.mark.parametrize("code", OHS_COMPENSATIONS)
def test_each_compensation_is_its_own_ohs_finding(code):
    (finding,) = squat(OhsObservation(code))
    assert (finding.code, finding.severity) == (f"ohs_{code}", Severity.PRESENT)


@pytest.mark.parametrize("code", OHS_COMPENSATIONS)
def test_each_compensation_names_probable_muscles_and_a_source(code):
    (finding,) = squat(OhsObservation(code))
    assert finding.overactive
    assert finding.underactive
    assert finding.source


def test_knees_in_lists_the_nasm_table_muscles():
    (finding,) = squat(OhsObservation("knees_in", "anterior", "left"))
    assert finding.overactive == (
        "adductors",
        "biceps_femoris_short_head",
        "tfl",
        "vastus_lateralis",
    )
    assert finding.underactive == ("gluteus_medius", "gluteus_maximus", "vmo")


def test_the_side_is_kept():
    (finding,) = squat(OhsObservation("heels_rise", "posterior", "right"))
    assert finding.side == "right"
    assert "right side" in finding.explanation


def test_both_knees_seen_separately_are_two_findings_left_then_right():
    findings = squat(
        OhsObservation("knees_in", side="right"), OhsObservation("knees_in", side="left")
    )
    assert [(f.code, f.side) for f in findings] == [
        ("ohs_knees_in", "left"),
        ("ohs_knees_in", "right"),
    ]


def test_repeated_compensation_counts_once():
    assert len(squat(OhsObservation("low_back_arches"), OhsObservation("low_back_arches"))) == 1


def test_findings_follow_the_case_format_order():
    findings = squat(OhsObservation("head_forward"), OhsObservation("feet_turn_out"))
    assert [f.code for f in findings] == ["ohs_feet_turn_out", "ohs_head_forward"]


def test_view_defaults_to_where_the_compensation_is_seen():
    (finding,) = squat(OhsObservation("low_back_arches"))
    assert "side view" in finding.explanation


def test_unconfirmed_muscle_list_says_so():
    (finding,) = squat(OhsObservation("knees_out"))
    assert "verify" in finding.explanation


def test_weight_shift_explains_both_sides():
    (finding,) = squat(OhsObservation("asymmetric_weight_shift", side="left"))
    assert "other side" in finding.explanation
    assert not set(finding.overactive) & set(finding.underactive)


def test_ohs_finding_is_a_movement_cue_not_a_diagnosis():
    (finding,) = squat(OhsObservation("arms_fall_forward"))
    assert "not a diagnosis" in finding.explanation
    assert finding.region == "shoulders"


def test_unknown_compensation_is_rejected():
    with pytest.raises(ValueError, match="compensation"):
        squat(OhsObservation("knees_wobble"))


def test_unknown_view_is_rejected():
    with pytest.raises(ValueError, match="view"):
        squat(OhsObservation("knees_in", view="overhead"))
