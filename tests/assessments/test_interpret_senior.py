from datetime import date

from assessments.findings import Band
from assessments.inputs import ClientFacts, Measures, SeniorTests
from assessments.interpret import interpret, senior_results

ON = date(2026, 11, 20)
WOMAN_72 = ClientFacts(sex="female", birth_date=date(1954, 5, 1), assessed_on=ON)
MAN_97 = ClientFacts(sex="male", birth_date=date(1929, 5, 1), assessed_on=ON)
WOMAN_45 = ClientFacts(sex="female", birth_date=date(1981, 5, 1), assessed_on=ON)


def findings(facts=WOMAN_72, **tests):
    return interpret(Measures(senior=SeniorTests(**tests)), facts)


def codes(facts=WOMAN_72, **tests):
    return [f.code for f in findings(facts, **tests)]


def test_chair_stand_below_the_womens_70_74_range_is_below_norm():
    assert "senior_below_norm_chair_stand_30s" in codes(chair_stand_30s=9)


def test_chair_stand_at_the_bottom_of_the_range_is_no_finding():
    assert codes(chair_stand_30s=10) == []


def test_chair_stand_above_the_range_is_no_finding():
    assert codes(chair_stand_30s=16) == []


def test_below_norm_finding_carries_measure_value_range_and_source():
    (finding,) = findings(arm_curl_30s=11)
    assert (finding.code, finding.measure, finding.value) == (
        "senior_below_norm_arm_curl_30s",
        "senior.arm_curl_30s",
        11,
    )
    assert finding.reference.startswith("12 to 17 repetitions typical for women aged 70-74")
    assert finding.source == "Bonefit-strength, SFT-code"


def test_below_norm_explanation_says_what_within_and_above_mean():
    (finding,) = findings(six_min_walk_m=400.0)
    assert "439 to 562 m" in finding.explanation
    assert "average for age" in finding.explanation
    assert "above average" in finding.explanation


def test_up_and_go_slower_than_the_range_is_below_norm():
    (finding,) = findings(up_and_go_8ft_s=7.2)
    assert finding.code == "senior_below_norm_up_and_go_8ft_s"
    assert "slower than" in finding.explanation


def test_up_and_go_faster_than_the_range_is_no_finding():
    assert codes(up_and_go_8ft_s=4.0) == []


def test_every_norm_test_below_range_gets_its_own_code():
    low = {
        "chair_stand_30s": 5,
        "arm_curl_30s": 5,
        "two_min_step": 30,
        "chair_sit_reach_cm": -20.0,
        "back_scratch_cm": -30.0,
        "up_and_go_8ft_s": 12.0,
        "six_min_walk_m": 200.0,
    }
    below = [c for c in codes(**low) if c.startswith("senior_below_norm_")]
    assert below == [f"senior_below_norm_{test}" for test in low]


def test_tests_not_measured_make_no_finding():
    assert codes() == []


def test_under_60_no_norm_finding_is_made():
    assert codes(WOMAN_45, arm_curl_30s=5) == []


def test_under_60_the_results_explain_why_there_is_no_norm():
    (result,) = senior_results(SeniorTests(arm_curl_30s=5), "female", 45)
    assert result.band is None
    assert "start at age 60" in result.note


def test_senior_results_show_within_and_above_as_well():
    results = senior_results(SeniorTests(chair_stand_30s=12, arm_curl_30s=20), "female", 72)
    assert [r.band for r in results] == [Band.WITHIN, Band.ABOVE]


def test_over_94_the_finding_is_marked_practice_default():
    (finding,) = list(findings(MAN_97, arm_curl_30s=8))
    assert finding.practice_default
    assert "practice default" in finding.reference


def test_tug_of_12_seconds_is_fall_risk():
    (finding,) = findings(tug_s=12.0)
    assert (finding.code, finding.measure, finding.source) == (
        "fall_risk",
        "senior.tug_s",
        "STEADI-TUG",
    )


def test_tug_under_12_seconds_is_no_fall_risk():
    assert codes(tug_s=11.9) == []


def test_tandem_stance_under_10_seconds_is_fall_risk():
    (finding,) = findings(tandem_stance_s=9.0)
    assert (finding.code, finding.measure) == ("fall_risk", "senior.tandem_stance_s")


def test_tandem_stance_of_10_seconds_is_no_fall_risk():
    assert codes(tandem_stance_s=10.0) == []


def test_each_triggering_test_is_its_own_fall_risk_finding():
    measures = [
        f.measure for f in findings(tug_s=14.0, tandem_stance_s=5.0) if f.code == "fall_risk"
    ]
    assert measures == ["senior.tug_s", "senior.tandem_stance_s"]


def test_chair_stand_below_the_steadi_cutoff_is_also_fall_risk():
    assert codes(chair_stand_30s=9) == ["senior_below_norm_chair_stand_30s", "fall_risk"]


def test_fall_risk_cutoffs_apply_under_60_too():
    assert codes(WOMAN_45, tug_s=13.0) == ["fall_risk"]


def test_fall_risk_explanation_asks_how_the_client_walks():
    (finding,) = findings(tug_s=13.2)
    assert "short strides" in finding.explanation
    assert "not a diagnosis" in finding.explanation
