import pytest

from assessments.findings import SENIOR_NORM_TESTS, Band
from assessments.inputs import SeniorTests
from assessments.norms import (
    AGE_BANDS,
    age_band_for,
    chair_stand_cutoff,
    fall_risk_results,
    senior_band,
    senior_norm_tables,
    senior_results,
    steadi_chair_stand_cutoffs,
)

# The reference's tables (§6.1), typed again here so that a changed data file fails a test.
# (men low, men high, women low, women high) per band 60-64 ... 90-94, in source units.
REPS = {
    "chair_stand_30s": [
        (14, 19, 12, 17),
        (12, 18, 11, 16),
        (12, 17, 10, 15),
        (11, 17, 10, 15),
        (10, 15, 9, 14),
        (8, 14, 8, 13),
        (7, 12, 4, 11),
    ],
    "arm_curl_30s": [
        (16, 22, 13, 19),
        (15, 21, 12, 18),
        (14, 21, 12, 17),
        (13, 19, 11, 17),
        (13, 19, 10, 16),
        (11, 17, 10, 15),
        (10, 14, 8, 13),
    ],
    "two_min_step": [
        (87, 115, 75, 107),
        (86, 116, 73, 107),
        (80, 110, 68, 101),
        (73, 109, 68, 100),
        (71, 103, 60, 90),
        (59, 91, 55, 85),
        (52, 86, 44, 72),
    ],
}
INCHES = {
    "chair_sit_reach_cm": [
        (-2.5, 4.0, -0.5, 5.0),
        (-3.0, 3.0, -0.5, 4.5),
        (-3.0, 3.0, -1.0, 4.0),
        (-4.0, 2.0, -1.5, 3.5),
        (-5.5, 1.5, -2.0, 3.0),
        (-5.5, 0.5, -2.5, 2.5),
        (-6.5, -0.5, -4.5, 1.0),
    ],
    "back_scratch_cm": [
        (-6.5, 0.0, -3.0, 1.5),
        (-7.5, -1.0, -3.5, 1.5),
        (-8.0, -1.0, -4.0, 1.0),
        (-9.0, -2.0, -5.0, 0.5),
        (-9.5, -2.0, -5.5, 0.0),
        (-10.0, -3.0, -7.0, -1.0),
        (-10.5, -4.0, -8.0, -1.0),
    ],
}
YARDS = [
    (610, 735, 545, 660),
    (560, 700, 500, 635),
    (545, 680, 480, 615),
    (470, 640, 435, 585),
    (445, 605, 385, 540),
    (380, 570, 340, 510),
    (305, 500, 275, 440),
]
# 8-foot up-and-go, seconds, (fast, slow) = (75th, 25th percentile); men per SFT-code.
UP_AND_GO = [
    (3.8, 5.6, 4.4, 6.0),
    (4.3, 5.9, 4.8, 6.4),
    (4.4, 6.2, 4.9, 7.1),
    (4.6, 7.2, 5.2, 7.4),
    (5.2, 7.6, 5.7, 8.7),
    (5.5, 8.9, 6.2, 9.6),
    (6.2, 10.0, 7.3, 11.5),
]
STEADI_CHAIR_STAND = {"male": [14, 12, 12, 11, 10, 8, 7], "female": [12, 11, 10, 10, 9, 8, 4]}


def _rows(table, factor=1.0, step=1.0):
    """Per row and band edge: sex, age, low, high and a small step, all in the app's units."""
    for (start, end), (m_low, m_high, w_low, w_high) in zip(AGE_BANDS, table, strict=True):
        for sex, low, high in (("male", m_low, m_high), ("female", w_low, w_high)):
            for age in (start, end):
                yield sex, age, round(low * factor, 4), round(high * factor, 4), step


HIGHER_IS_BETTER_CASES = [
    *((test, *row) for test, table in REPS.items() for row in _rows(table)),
    *((test, *row) for test, table in INCHES.items() for row in _rows(table, 2.54, 0.1)),
    *(("six_min_walk_m", *row) for row in _rows(YARDS, 0.9144, 0.1)),
]


def _id(case):
    test, sex, age, low, high, _ = case
    return f"{test}-{sex}-{age}-{low}-{high}"


@pytest.mark.parametrize("case", HIGHER_IS_BETTER_CASES, ids=_id)
def test_lower_bound_of_each_row_is_within(case):
    test, sex, age, low, _, _ = case
    assert senior_band(test, low, sex=sex, age=age).band is Band.WITHIN


@pytest.mark.parametrize("case", HIGHER_IS_BETTER_CASES, ids=_id)
def test_just_under_each_row_is_below(case):
    test, sex, age, low, _, step = case
    assert senior_band(test, round(low - step, 4), sex=sex, age=age).band is Band.BELOW


@pytest.mark.parametrize("case", HIGHER_IS_BETTER_CASES, ids=_id)
def test_upper_bound_of_each_row_is_within(case):
    test, sex, age, _, high, _ = case
    assert senior_band(test, high, sex=sex, age=age).band is Band.WITHIN


@pytest.mark.parametrize("case", HIGHER_IS_BETTER_CASES, ids=_id)
def test_just_over_each_row_is_above(case):
    test, sex, age, _, high, step = case
    assert senior_band(test, round(high + step, 4), sex=sex, age=age).band is Band.ABOVE


UP_AND_GO_CASES = list(_rows(UP_AND_GO, 1.0, 0.1))


@pytest.mark.parametrize("case", UP_AND_GO_CASES, ids=lambda c: f"{c[0]}-{c[1]}")
def test_up_and_go_slower_than_the_range_is_below_norm(case):
    sex, age, _, slow, step = case
    assert senior_band("up_and_go_8ft_s", slow, sex=sex, age=age).band is Band.WITHIN
    assert senior_band("up_and_go_8ft_s", slow + step, sex=sex, age=age).band is Band.BELOW


@pytest.mark.parametrize("case", UP_AND_GO_CASES, ids=lambda c: f"{c[0]}-{c[1]}")
def test_up_and_go_faster_than_the_range_is_above_norm(case):
    sex, age, fast, _, step = case
    assert senior_band("up_and_go_8ft_s", fast, sex=sex, age=age).band is Band.WITHIN
    assert senior_band("up_and_go_8ft_s", fast - step, sex=sex, age=age).band is Band.ABOVE


def test_women_70_to_74_chair_stand_10_is_within():
    assert senior_band("chair_stand_30s", 10, sex="female", age=72).band is Band.WITHIN


def test_women_70_to_74_chair_stand_9_is_below():
    assert senior_band("chair_stand_30s", 9, sex="female", age=72).band is Band.BELOW


def test_women_70_to_74_chair_stand_16_is_above():
    assert senior_band("chair_stand_30s", 16, sex="female", age=72).band is Band.ABOVE


def test_age_64_uses_the_60_to_64_band():
    assert age_band_for(64) == (60, 64)


def test_age_65_uses_the_65_to_69_band():
    assert age_band_for(65) == (65, 69)


def test_men_chair_stand_12_is_below_at_64_but_within_at_65():
    assert senior_band("chair_stand_30s", 12, sex="male", age=64).band is Band.BELOW
    assert senior_band("chair_stand_30s", 12, sex="male", age=65).band is Band.WITHIN


def test_sit_and_reach_inches_are_converted_to_cm():
    result = senior_band("chair_sit_reach_cm", 0.0, sex="male", age=62)
    assert (result.low, result.high, result.unit) == (-6.35, 10.16, "cm")


def test_back_scratch_inches_are_converted_to_cm():
    result = senior_band("back_scratch_cm", 0.0, sex="female", age=60)
    assert (result.low, result.high) == (-7.62, 3.81)


def test_six_minute_walk_yards_are_converted_to_metres():
    result = senior_band("six_min_walk_m", 600.0, sex="male", age=60)
    assert (result.low, result.high, result.unit) == (557.784, 672.084, "m")


def test_six_minute_walk_range_reads_in_whole_metres():
    result = senior_band("six_min_walk_m", 600.0, sex="male", age=60)
    assert result.range_text == "558 to 672 m"


def test_up_and_go_range_reads_slow_to_fast():
    result = senior_band("up_and_go_8ft_s", 6.0, sex="female", age=72)
    assert result.range_text == "7.1 to 4.9 seconds (slow to fast)"


def test_men_up_and_go_uses_the_rikli_jones_2001_version():
    result = senior_band("up_and_go_8ft_s", 5.0, sex="male", age=67)
    assert (result.low, result.high, result.source) == (4.3, 5.9, "SFT-code")


def test_men_85_to_89_back_scratch_uses_minus_10_inches():
    result = senior_band("back_scratch_cm", -25.0, sex="male", age=87)
    assert result.low == -25.4
    assert result.source == "Documentine-BS"


def test_women_80_to_84_two_minute_step_upper_bound_is_90():
    assert senior_band("two_min_step", 91, sex="female", age=82).band is Band.ABOVE


def test_the_data_says_which_version_was_kept_and_why():
    tables = senior_norm_tables()
    assert "SFT-code" in tables["up_and_go_8ft_s"].choice
    assert "-10.0" in tables["back_scratch_cm"].choice
    assert "90" in tables["two_min_step"].choice


def test_every_row_carries_a_source_id():
    rows = [row for table in senior_norm_tables().values() for row in table.rows]
    assert len(rows) == 7 * 2 * 7
    assert all(row.source for row in rows)


def test_tables_cover_the_seven_case_format_tests():
    assert tuple(senior_norm_tables()) == SENIOR_NORM_TESTS


def test_tables_are_read_once():
    assert senior_norm_tables() is senior_norm_tables()


def test_under_60_has_no_norm_and_says_why():
    result = senior_band("chair_stand_30s", 9, sex="female", age=59)
    assert result.band is None
    assert result.low is None
    assert "start at age 60" in result.note


def test_over_94_uses_the_90_to_94_band_as_a_practice_default():
    result = senior_band("chair_stand_30s", 3, sex="female", age=97)
    assert (result.band, result.age_band, result.practice_default) == (Band.BELOW, (90, 94), True)
    assert "practice default" in result.note


def test_age_94_is_not_a_practice_default():
    assert not senior_band("chair_stand_30s", 5, sex="female", age=94).practice_default


def test_unknown_sex_is_rejected():
    with pytest.raises(ValueError, match="sex"):
        senior_band("chair_stand_30s", 9, sex="other", age=70)


def test_senior_results_list_within_and_above_too():
    senior = SeniorTests(chair_stand_30s=9, arm_curl_30s=14, two_min_step=120)
    bands = [(r.test, r.band) for r in senior_results(senior, "female", 72)]
    assert bands == [
        ("chair_stand_30s", Band.BELOW),
        ("arm_curl_30s", Band.WITHIN),
        ("two_min_step", Band.ABOVE),
    ]


def test_senior_results_skip_tests_not_measured():
    assert senior_results(SeniorTests(), "male", 70) == []


def test_zero_chair_stands_is_compared_not_skipped():
    (result,) = senior_results(SeniorTests(chair_stand_30s=0), "male", 70)
    assert result.band is Band.BELOW


def _fall_risk(**tests):
    return {r.test: r.at_risk for r in fall_risk_results(SeniorTests(**tests), sex="male", age=70)}


def test_tug_of_12_seconds_is_at_risk():
    assert _fall_risk(tug_s=12.0) == {"tug_s": True}


def test_tug_just_under_12_seconds_is_not_at_risk():
    assert _fall_risk(tug_s=11.9) == {"tug_s": False}


def test_tandem_stance_under_10_seconds_is_at_risk():
    assert _fall_risk(tandem_stance_s=9.9) == {"tandem_stance_s": True}


def test_tandem_stance_of_10_seconds_is_not_at_risk():
    assert _fall_risk(tandem_stance_s=10.0) == {"tandem_stance_s": False}


@pytest.mark.parametrize("sex", ["male", "female"])
@pytest.mark.parametrize("band_index", range(7))
def test_steadi_chair_stand_cutoff_for_each_band(sex, band_index):
    start, end = AGE_BANDS[band_index]
    cutoff = STEADI_CHAIR_STAND[sex][band_index]
    for age in (start, end):
        assert chair_stand_cutoff(sex=sex, age=age).low == cutoff
        results = fall_risk_results(SeniorTests(chair_stand_30s=cutoff), sex=sex, age=age)
        assert [r.at_risk for r in results] == [False]
        results = fall_risk_results(SeniorTests(chair_stand_30s=cutoff - 1), sex=sex, age=age)
        assert [r.at_risk for r in results] == [True]


def test_steadi_chair_stand_cutoffs_match_the_norm_lower_bounds():
    norm = {(r.sex, r.age_low): r.low for r in senior_norm_tables()["chair_stand_30s"].rows}
    steadi = {(r.sex, r.age_low): r.low for r in steadi_chair_stand_cutoffs()}
    assert norm == steadi


def test_chair_stand_has_no_steadi_cutoff_under_60():
    assert fall_risk_results(SeniorTests(chair_stand_30s=5), sex="female", age=55) == []
