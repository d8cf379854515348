"""The case-format input boundary: what parse_case accepts, and the field it names when not."""

import copy
from datetime import date

import pytest

from assessments.findings import BODY_REGIONS
from assessments.inputs import OhsObservation, PainReport
from clients.population import Population, age_on, decimal_age
from core.data_files import DataFileError
from programs.case import parse_case
from tests.programs.fakes import case


def _error(data) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        parse_case(data)
    return caught.value


def _with(path: str, value, data=None):
    """A copy of a valid case with one dotted path set (created as needed)."""
    data = copy.deepcopy(data or case())
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return data


# --- What a valid case becomes ----------------------------------------------------------------


def test_contract_example_parses():
    data = {
        "client": {
            "age_years": 34,
            "sex": "female",
            "postpartum": {"delivery_date": "2026-09-01", "delivery_type": "vaginal"},
        },
        "assessed_on": "2026-11-20",
        "screening": {"parq_yes": [], "clearance_recorded": False},
        "measures": {
            "cva_deg": 44.0,
            "pelvic_tilt_left_deg": 14.0,
            "pelvic_tilt_right_deg": 12.0,
            "posture": ["rounded_shoulders"],
            "ohs": ["knees_in", "low_back_arches"],
            "gait": ["toe_out"],
            "senior": {
                "chair_stand_30s": 10,
                "arm_curl_30s": 12,
                "two_min_step": 60,
                "chair_sit_reach_cm": -5.0,
                "back_scratch_cm": -10.0,
                "up_and_go_8ft_s": 7.1,
                "six_min_walk_m": 480.0,
                "tug_s": 13.2,
                "tandem_stance_s": 8.0,
            },
            "postpartum": {
                "ird_above_umbilicus_cm": 2.0,
                "ird_umbilicus_cm": 3.0,
                "ird_below_umbilicus_cm": 1.5,
                "doming": True,
                "leakage": True,
                "heaviness": False,
                "pelvic_pain": False,
            },
            "youth": {
                "height_cm": 160.0,
                "sitting_height_cm": 82.0,
                "weight_kg": 50.0,
                "growth_pain": ["knee"],
            },
            "pain": [{"region": "low_back", "score": 6}],
        },
    }
    parsed = parse_case(data)
    assert parsed.population is Population.POSTPARTUM
    assert parsed.age == 34
    assert parsed.weeks_postpartum == pytest.approx(80 / 7)
    assert parsed.measures.senior.chair_stand_30s == 10
    assert parsed.measures.pain == (PainReport(region="low_back", score=6),)


def test_age_years_stands_for_a_mid_year_birthday():
    parsed = parse_case(case(age_years=13))
    assert parsed.birth_date_derived
    assert age_on(parsed.facts.birth_date, date(2026, 11, 20)) == 13
    assert decimal_age(parsed.facts.birth_date, date(2026, 11, 20)) == pytest.approx(13.5, abs=0.01)


@pytest.mark.parametrize(
    ("age", "population"),
    [
        (17, Population.YOUTH),
        (18, Population.ADULT),
        (59, Population.ADULT),
        (60, Population.SENIOR),
    ],
)
def test_age_years_keeps_the_population_boundaries(age, population):
    assert parse_case(case(age_years=age)).population is population


def test_birth_date_is_used_as_given():
    data = case()
    data["client"] = {"birth_date": "1990-02-28", "sex": "male"}
    parsed = parse_case(data)
    assert (parsed.facts.birth_date, parsed.age, parsed.birth_date_derived) == (
        date(1990, 2, 28),
        36,
        False,
    )


def test_null_measure_means_not_measured():
    parsed = parse_case(case({"cva_deg": None, "senior": {"tug_s": None}, "pain": None}))
    assert parsed.measures.cva_deg is None
    assert parsed.measures.senior.tug_s is None
    assert parsed.measures.pain == ()


def test_observation_may_carry_side_and_view():
    parsed = parse_case(case({"ohs": [{"code": "knees_in", "side": "left", "view": "anterior"}]}))
    assert parsed.measures.ohs == (OhsObservation(code="knees_in", view="anterior", side="left"),)


def test_screening_and_measures_may_be_left_out():
    parsed = parse_case({"client": {"age_years": 40, "sex": "male"}, "assessed_on": "2026-11-20"})
    assert parsed.facts.parq_yes == ()
    assert not parsed.facts.clearance_recorded
    assert parsed.measures.ohs == ()


def test_top_level_keys_starting_with_underscore_are_ignored():
    assert parse_case({**case(), "_comment": "golden case"}).age == 34


def test_whole_number_written_as_float_is_accepted():
    assert (
        parse_case(case({"senior": {"chair_stand_30s": 10.0}})).measures.senior.chair_stand_30s
        == 10
    )


# --- Malformed cases: one test per kind, each naming the field -----------------------------------


def test_case_that_is_not_an_object():
    assert _error([1, 2]).field == "(case)"


def test_missing_required_field():
    data = case()
    del data["assessed_on"]
    assert (_error(data).field, _error(data).message) == ("assessed_on", "is required")


def test_missing_sex():
    data = case()
    del data["client"]["sex"]
    assert _error(data).field == "client.sex"


def test_date_in_another_format():
    error = _error(_with("assessed_on", "20/11/2026"))
    assert error.field == "assessed_on"
    assert "YYYY-MM-DD" in error.message


def test_impossible_calendar_date():
    assert _error(_with("assessed_on", "2026-02-30")).field == "assessed_on"


def test_date_given_as_a_number():
    assert _error(_with("assessed_on", 20261120)).field == "assessed_on"


def test_value_outside_an_enum():
    error = _error(_with("client.sex", "f"))
    assert error.field == "client.sex"
    assert "female, male" in error.message


def test_both_age_and_birth_date():
    assert _error(_with("client.birth_date", "1990-01-01")).field == "client.age_years"


def test_neither_age_nor_birth_date():
    data = case()
    del data["client"]["age_years"]
    assert _error(data).field == "client.age_years"


def test_boolean_is_not_a_number():
    error = _error(case({"cva_deg": True}))
    assert error.field == "measures.cva_deg"
    assert "true/false" in error.message


def test_string_is_not_a_number():
    error = _error(case({"senior": {"tug_s": "13.2"}}))
    assert (error.field, error.message) == (
        "measures.senior.tug_s",
        "must be a number, not a string",
    )


def test_fractional_age():
    assert _error(case(age_years=34.5)).field == "client.age_years"


def test_number_outside_the_plausible_range_names_range_and_unit():
    error = _error(case({"cva_deg": 95.0}))
    assert error.field == "measures.cva_deg"
    assert error.message == "Enter a value between 20 and 80 degrees."


def test_fraction_for_a_count():
    error = _error(case({"senior": {"chair_stand_30s": 10.5}}))
    assert error.field == "measures.senior.chair_stand_30s"
    assert "whole number" in error.message


def test_pain_score_out_of_range_names_the_list_item():
    error = _error(
        case({"pain": [{"region": "knee", "score": 2}, {"region": "neck", "score": 11}]})
    )
    assert error.field == "measures.pain[1].score"


def test_pain_report_without_region():
    assert _error(case({"pain": [{"score": 3}]})).field == "measures.pain[0].region"


# --- Unknown keys: ignored with a warning naming them (the contract may grow) ------------------


def test_unknown_top_level_key_is_ignored_with_a_warning():
    parsed = parse_case({**case(), "screnning": {}})
    assert [w.split(":")[0] for w in parsed.warnings] == ["screnning"]
    assert "unknown key ignored" in parsed.warnings[0]


def test_unknown_measure_key_is_ignored_with_a_warning_naming_it():
    parsed = parse_case(case({"cva_degs": 44.0}))
    assert parsed.measures.cva_deg is None
    assert parsed.warnings[0].startswith("measures.cva_degs: unknown key ignored")


def test_unknown_key_inside_a_measure_section_is_ignored():
    parsed = parse_case(case({"senior": {"tug": 12.0, "tug_s": 13.0}}))
    assert parsed.measures.senior.tug_s == 13.0
    assert [w.split(":")[0] for w in parsed.warnings] == ["measures.senior.tug"]


def test_unknown_key_inside_a_pain_report_is_ignored():
    parsed = parse_case(case({"pain": [{"region": "neck", "score": 2, "side": "left"}]}))
    assert parsed.measures.pain == (PainReport(region="neck", score=2),)
    assert [w.split(":")[0] for w in parsed.warnings] == ["measures.pain[0].side"]


def test_unknown_key_inside_the_client_and_an_observation_is_ignored():
    data = case({"ohs": [{"code": "knees_in", "seen": True}]})
    data["client"]["nickname"] = "Sam"
    assert [w.split(":")[0] for w in parse_case(data).warnings] == [
        "client.nickname",
        "measures.ohs[0].seen",
    ]


def test_a_valid_case_has_no_warnings():
    assert parse_case(case({"cva_deg": 44.0})).warnings == ()


def test_known_key_with_an_invalid_value_is_still_refused():
    assert _error(case({"senior": {"tug": 1, "tug_s": "slow"}})).field == "measures.senior.tug_s"


# --- Body regions: one closed vocabulary ----------------------------------------------------------


@pytest.mark.parametrize("region", sorted(BODY_REGIONS))
def test_every_body_region_id_is_accepted_for_pain_and_growth_pain(region):
    parsed = parse_case(
        case({"pain": [{"region": region, "score": 3}], "youth": {"growth_pain": [region]}})
    )
    assert parsed.measures.pain[0].region == region
    assert parsed.measures.youth.growth_pain == (region,)


@pytest.mark.parametrize("region", ["banana", "cervical", "Neck", "neck ", "lower back", ""])
def test_pain_region_outside_the_vocabulary_is_refused(region):
    error = _error(case({"pain": [{"region": "knee", "score": 2}, {"region": region, "score": 3}]}))
    assert error.field == "measures.pain[1].region"


def test_growth_pain_region_outside_the_vocabulary_is_refused():
    error = _error(case({"youth": {"growth_pain": ["knee", "shin_splints"]}}))
    assert error.field == "measures.youth.growth_pain[1]"
    assert "must be one of" in error.message


# --- The assessment date ------------------------------------------------------------------------


def test_assessment_today_is_accepted():
    today = date(2026, 11, 20)
    assert parse_case(case(), today=today).assessed_on == today


def test_assessment_after_today_is_refused():
    error = _error_on(case(), today=date(2026, 11, 19))
    assert error.field == "assessed_on"
    assert "future" in error.message


def _error_on(data, *, today) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        parse_case(data, today=today)
    return caught.value


def test_unknown_overhead_squat_compensation():
    error = _error(case({"ohs": ["knees_in", "knee_cave"]}))
    assert error.field == "measures.ohs[1]"


def test_unknown_posture_observation():
    assert _error(case({"posture": ["slouch"]})).field == "measures.posture[0]"


def test_unknown_gait_deviation():
    assert _error(case({"gait": ["limp"]})).field == "measures.gait[0]"


def test_repeated_list_entry():
    assert _error(case({"gait": ["toe_out", "toe_out"]})).field == "measures.gait[1]"


def test_list_given_as_a_string():
    assert _error(case({"ohs": "knees_in"})).field == "measures.ohs"


def test_section_given_as_a_list():
    assert _error(case({"senior": [10, 12]})).field == "measures.senior"


def test_parq_question_out_of_range():
    assert _error(_with("screening.parq_yes", [2, 9])).field == "screening.parq_yes[1]"


def test_clearance_not_a_boolean():
    assert _error(_with("screening.clearance_recorded", "yes")).field == (
        "screening.clearance_recorded"
    )


def test_flag_not_a_boolean():
    error = _error(case({"postpartum": {"leakage": 1}}))
    assert error.field == "measures.postpartum.leakage"


def test_postpartum_for_a_male_client():
    data = case(sex="male", postpartum={"delivery_date": "2026-10-01", "delivery_type": "vaginal"})
    assert _error(data).field == "client.postpartum"


def test_delivery_after_the_assessment():
    data = case(postpartum={"delivery_date": "2026-12-01", "delivery_type": "vaginal"})
    assert _error(data).field == "client.postpartum.delivery_date"


def test_unknown_delivery_type():
    data = case(postpartum={"delivery_date": "2026-10-01", "delivery_type": "c-section"})
    assert _error(data).field == "client.postpartum.delivery_type"


def test_birth_after_the_assessment():
    data = case()
    data["client"] = {"birth_date": "2027-01-01", "sex": "female"}
    assert _error(data).field == "client.birth_date"


def test_sitting_height_not_below_standing_height():
    error = _error(case({"youth": {"height_cm": 150.0, "sitting_height_cm": 150.0}}))
    assert error.field == "measures.youth.sitting_height_cm"


def test_error_text_leads_with_the_field():
    assert str(_error(case({"cva_deg": "44"}))).startswith("measures.cva_deg: ")


def test_not_a_number_is_refused():
    assert _error(case({"cva_deg": float("nan")})).field == "measures.cva_deg"
    assert _error(case(age_years=float("inf"))).field == "client.age_years"
