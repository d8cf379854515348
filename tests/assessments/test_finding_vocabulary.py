"""The finding vocabulary is declared once (findings.FINDING_CODES) and every reader uses it."""

import pytest

from assessments.findings import (
    FINDING_CODES,
    OHS_COMPENSATIONS,
    Finding,
    Severity,
    with_provenance,
)
from assessments.labels import finding_label
from assessments.posture import GAIT, OHS
from programs.rules import FINDING_CODES as RULE_FINDING_CODES


def test_every_code_has_the_label_the_pages_show():
    assert all(label.strip() for label in FINDING_CODES.values())
    assert all(finding_label(code) == label for code, label in FINDING_CODES.items())


def test_each_family_has_one_code_per_member():
    assert {f"ohs_{code}" for code in OHS} <= set(FINDING_CODES)
    assert {f"gait_{code}" for code in GAIT} <= set(FINDING_CODES)
    assert "senior_below_norm_tug_s" in FINDING_CODES


def test_a_family_label_comes_from_its_member():
    assert finding_label("ohs_knees_in") == f"Overhead squat: {OHS['knees_in'].label.lower()}"


def test_the_squat_compensations_are_the_declared_ones_in_order():
    assert tuple(OHS) == OHS_COMPENSATIONS


def test_rule_tables_accept_exactly_the_finding_vocabulary():
    assert set(RULE_FINDING_CODES) == set(FINDING_CODES)


def test_a_finding_with_an_undeclared_code_is_refused():
    with pytest.raises(ValueError, match="forward_head"):
        Finding(code="forward_head", severity=Severity.PRESENT, region="head_neck", explanation="")


def test_provenance_marks_only_the_measure_it_names_and_shows_in_the_case_output():
    cva = Finding("forward_head_posture", Severity.MODERATE, "neck", "why", measure="cva_deg")
    other = Finding(
        "forward_head_posture", Severity.MILD, "neck", "why", measure="wall_distance_cm"
    )

    marked = with_provenance([cva, other], {"cva_deg": "from the left side photo"})

    assert [f.provenance for f in marked] == ["from the left side photo", ""]
    assert marked[0].as_case_dict()["provenance"] == "from the left side photo"
    assert "provenance" not in marked[1].as_case_dict()  # the CLI's output is unchanged
