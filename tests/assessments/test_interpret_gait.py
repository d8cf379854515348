from datetime import date

import pytest

from assessments.findings import Severity
from assessments.inputs import ClientFacts, Measures
from assessments.interpret import interpret
from assessments.posture import GAIT

ADULT = ClientFacts(sex="female", birth_date=date(1970, 2, 2), assessed_on=date(2026, 11, 20))


@pytest.mark.parametrize("code", list(GAIT))
def test_each_gait_deviation_is_its_own_gait_finding(code):
    (finding,) = interpret(Measures(gait=(code,)), ADULT)
    assert (finding.code, finding.severity, finding.source) == (
        f"gait_{code}",
        Severity.PRESENT,
        GAIT[code].source,
    )


def test_foot_slap_explanation_says_to_refer():
    (finding,) = interpret(Measures(gait=("foot_slap",)), ADULT)
    assert "refer to a physician" in finding.explanation


def test_trendelenburg_points_to_weak_hip_abductors():
    (finding,) = interpret(Measures(gait=("trendelenburg",)), ADULT)
    assert finding.underactive == ("gluteus_medius", "gluteus_minimus")


def test_gait_findings_follow_the_vocabulary_order():
    findings = interpret(Measures(gait=("slow_speed", "overpronation", "slow_speed")), ADULT)
    assert [f.code for f in findings] == ["gait_overpronation", "gait_slow_speed"]


def test_unknown_gait_deviation_is_rejected():
    with pytest.raises(ValueError, match="gait"):
        interpret(Measures(gait=("waddle",)), ADULT)
