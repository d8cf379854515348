"""Safety on the shipped rules and library: who is referred, and what never reaches a draft.

Each test reads like the clinical rule it pins (shared/domain/reference.md § in the name or
docstring) and checks it at and around its boundary.
"""

import copy

import pytest

from programs.case import parse_case
from programs.engine import draft_to_dict, suggest
from programs.library import load_library
from programs.rules import load_ruleset
from tests.programs.fakes import case

LIBRARY = load_library()
CIRCA_PHV_BOY = {
    "client": {"birth_date": "2013-03-01", "sex": "male"},
    "assessed_on": "2026-11-20",
    "measures": {
        "ohs": ["knees_in"],
        "youth": {"height_cm": 160.0, "sitting_height_cm": 82.0, "weight_kg": 48.0},
    },
}
FALL_RISK_SENIOR = {
    "client": {"age_years": 78, "sex": "female"},
    "assessed_on": "2026-11-20",
    "measures": {"gait": ["short_stride"], "senior": {"tug_s": 14.0, "chair_stand_30s": 7}},
}


def draft(data: dict) -> dict:
    return draft_to_dict(suggest(parse_case(data), ruleset=load_ruleset(), library=LIBRARY))


def chosen(result: dict) -> list[str]:
    return [e["slug"] for phase in result["phases"] for e in phase["exercises"]]


def chosen_tags(result: dict) -> set[str]:
    return {tag for phase in result["phases"] for e in phase["exercises"] for tag in e["tags"]}


def excluded_by(result: dict) -> dict[str, str]:
    return {e["slug"]: e["rule"] for e in result["excluded"]}


def fired(result: dict) -> set[str]:
    return {rule["id"] for rule in result["rules_fired"]}


def with_measures(data: dict, **measures) -> dict:
    changed = copy.deepcopy(data)
    changed["measures"].update(measures)
    return changed


def with_growth_pain(data: dict, *regions: str) -> dict:
    changed = copy.deepcopy(data)
    changed["measures"]["youth"]["growth_pain"] = list(regions)
    return changed


def cleared(data: dict) -> dict:
    changed = copy.deepcopy(data)
    changed["screening"] = {"parq_yes": [], "clearance_recorded": True}
    return changed


# --- 1. A limp in a growing client is a red flag (§8.4, §9.3, §11: possible SCFE) ---------------


def test_trendelenburg_gait_in_an_adolescent_is_referred_and_unpublishable():
    result = draft(with_measures(CIRCA_PHV_BOY, gait=["trendelenburg"]))
    assert "gait_red_flag" in result["referral"]["reasons"]
    assert result["publishable"] is False


def test_adolescent_trendelenburg_draft_becomes_publishable_once_cleared_and_keeps_its_reason():
    result = draft(cleared(with_measures(CIRCA_PHV_BOY, gait=["trendelenburg"])))
    assert result["referral"]["reasons"] == ["gait_red_flag"]
    assert result["publishable"] is True


def test_adolescent_limp_stops_loaded_and_impact_work():
    result = draft(with_measures(CIRCA_PHV_BOY, gait=["trendelenburg"]))
    assert "S-YTH-06" in fired(result)
    assert not chosen_tags(result) & {"heavy_load", "impact", "loaded_knee"}


@pytest.mark.parametrize(("age", "referred"), [(17, True), (18, False)])
def test_trendelenburg_gait_is_a_red_flag_under_18_only(age, referred):
    result = draft(case({"gait": ["trendelenburg"]}, age_years=age, sex="male"))
    assert ("gait_red_flag" in result["referral"]["reasons"]) is referred


# --- 2. Growth-related knee pain: no kneeling, no loaded knee work (§8.4 Osgood-Schlatter) ------


def test_growth_related_knee_pain_leaves_out_kneeling_and_loaded_knee_work():
    result = draft(with_growth_pain(CIRCA_PHV_BOY, "knee"))
    assert not chosen_tags(result) & {"kneeling", "loaded_knee", "impact"}
    assert excluded_by(result)["quadruped-bird-dog"] == "S-YTH-04"
    assert excluded_by(result)["goblet-squat"] == "S-YTH-05"


def test_growth_related_heel_pain_keeps_kneeling_work():
    result = draft(with_growth_pain(CIRCA_PHV_BOY, "heel"))
    assert "quadruped-bird-dog" in chosen(result)
    assert {"S-YTH-04", "S-YTH-05"}.isdisjoint(fired(result))


def test_without_growth_pain_kneeling_work_is_chosen():
    assert "quadruped-bird-dog" in chosen(draft(CIRCA_PHV_BOY))


def test_a_kneeling_exercise_gives_way_to_work_for_the_same_muscles():
    without = draft(CIRCA_PHV_BOY)
    knee_pain = draft(with_growth_pain(CIRCA_PHV_BOY, "knee"))
    activate = [p for p in knee_pain["phases"] if p["key"] == "activate"][0]
    assert len(activate["exercises"]) == len(
        [p for p in without["phases"] if p["key"] == "activate"][0]["exercises"]
    )


# --- 3. Neck pain, whatever region id names it, drops end-range neck work ------------------------


@pytest.mark.parametrize("region", ["neck", "head"])
def test_pain_in_the_neck_or_head_drops_end_range_neck_work(region):
    result = draft(case({"cva_deg": 44.0, "pain": [{"region": region, "score": 3}]}))
    assert "end_range_neck" not in chosen_tags(result)
    assert "S-NECK-01" in fired(result)


def test_pain_in_the_shoulder_keeps_the_neck_rule_quiet():
    result = draft(case({"cva_deg": 44.0, "pain": [{"region": "shoulder", "score": 3}]}))
    assert "S-NECK-01" not in fired(result)


# --- 4, 5. Diastasis and visible obliquity are referral reasons (§7.1, §7.3, §5.3) --------------


def test_doming_is_a_diastasis_review_that_holds_the_draft():
    result = draft(case({"postpartum": {"doming": True}}))
    assert "diastasis_review" in result["referral"]["reasons"]
    assert result["publishable"] is False


def test_visible_pelvic_obliquity_is_referred_not_treated_with_exercise_alone():
    result = draft(case({"posture": [{"code": "pelvic_obliquity", "side": "left"}]}))
    assert result["referral"]["reasons"] == ["pelvic_obliquity"]
    assert result["publishable"] is False


# --- 6. Fall risk: nothing that needs getting down to the floor (§6.2 STEADI) --------------------


def test_fall_risk_draft_has_no_floor_work():
    result = draft(FALL_RISK_SENIOR)
    assert "floor" not in chosen_tags(result)
    assert excluded_by(result)["glute-bridge"] == "S-FALL-03"


def test_fall_risk_draft_replaces_floor_work_with_chair_versions():
    result = draft(FALL_RISK_SENIOR)
    assert {"standing-hip-extension-chair", "seated-band-clam"} <= set(chosen(result))


@pytest.mark.parametrize(("tug_s", "floor_allowed"), [(11.9, True), (12.0, False)])
def test_floor_work_is_left_out_from_a_tug_of_12_seconds(tug_s, floor_allowed):
    result = draft(case({"senior": {"tug_s": tug_s}}, age_years=78))
    assert ("S-FALL-03" not in fired(result)) is floor_allowed


# --- 13. Every reason is listed; publishable says whether clearance covers them ------------------


def test_cleared_parq_yes_is_listed_like_cleared_pain():
    data = case({"pain": [{"region": "knee", "score": 3}]})
    data["screening"] = {"parq_yes": [2], "clearance_recorded": True}
    result = draft(data)
    assert result["referral"] == {
        "required": True,
        "reasons": ["parq_positive", "pain"],
        "details": result["referral"]["details"],
    }
    assert result["publishable"] is True


def test_uncleared_parq_yes_holds_the_draft():
    data = case()
    data["screening"] = {"parq_yes": [2], "clearance_recorded": False}
    result = draft(data)
    assert result["referral"]["reasons"] == ["parq_positive"]
    assert result["publishable"] is False


def test_cleared_early_postpartum_keeps_its_reason_and_is_publishable():
    data = case(postpartum={"delivery_date": "2026-10-30", "delivery_type": "vaginal"})
    data["screening"] = {"parq_yes": [], "clearance_recorded": True}
    result = draft(data)
    assert result["referral"]["reasons"] == ["postpartum_not_cleared"]
    assert result["publishable"] is True
