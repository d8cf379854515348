import math

import pytest

from assessments.measures import (
    MEASURES,
    SITTING_HEIGHT_NOT_BELOW_HEIGHT,
    measure_label,
    range_error,
    sitting_height_error,
)

CASE_FORMAT_KEYS = {
    "cva_deg",
    "wall_distance_cm",
    "screen_hours_per_day",
    "pelvic_tilt_left_deg",
    "pelvic_tilt_right_deg",
    "senior.chair_stand_30s",
    "senior.arm_curl_30s",
    "senior.two_min_step",
    "senior.chair_sit_reach_cm",
    "senior.back_scratch_cm",
    "senior.up_and_go_8ft_s",
    "senior.six_min_walk_m",
    "senior.tug_s",
    "senior.tandem_stance_s",
    "postpartum.ird_above_umbilicus_cm",
    "postpartum.ird_umbilicus_cm",
    "postpartum.ird_below_umbilicus_cm",
    "youth.height_cm",
    "youth.sitting_height_cm",
    "youth.weight_kg",
    "pain.score",
}


def test_every_case_format_measure_has_a_spec():
    assert set(MEASURES) == CASE_FORMAT_KEYS


def test_each_spec_is_keyed_by_its_own_key():
    assert all(spec.key == key for key, spec in MEASURES.items())


@pytest.mark.parametrize("key", sorted(CASE_FORMAT_KEYS))
def test_each_measure_has_a_label_a_unit_and_instructions(key):
    spec = MEASURES[key]
    assert spec.label
    assert spec.unit
    assert len(spec.how_to) > 40


@pytest.mark.parametrize("key", sorted(CASE_FORMAT_KEYS))
def test_each_plausible_range_is_not_empty(key):
    assert MEASURES[key].minimum < MEASURES[key].maximum


def test_cva_instructions_name_the_landmarks_and_the_reference_section():
    how_to = MEASURES["cva_deg"].how_to
    assert "tragus" in how_to
    assert "C7" in how_to
    assert "horizontal" in how_to
    assert "§4.1" in how_to


def test_counts_are_whole_numbers_and_distances_are_not():
    assert MEASURES["senior.chair_stand_30s"].integer
    assert MEASURES["pain.score"].integer
    assert not MEASURES["senior.six_min_walk_m"].integer


def test_pain_score_runs_from_0_to_10():
    assert (MEASURES["pain.score"].minimum, MEASURES["pain.score"].maximum) == (0, 10)


def test_cva_outside_its_range_names_the_range_and_unit():
    assert range_error("cva_deg", 95) == "Enter a value between 20 and 80 degrees."


def test_cva_at_both_limits_is_accepted():
    assert range_error("cva_deg", 20) is None
    assert range_error("cva_deg", 80) is None


def test_not_measured_is_never_a_range_error():
    assert range_error("cva_deg", None) is None


def test_fractional_count_asks_for_a_whole_number():
    assert (
        range_error("senior.chair_stand_30s", 10.5)
        == "Enter a whole number between 0 and 50 repetitions."
    )


def test_whole_float_count_is_accepted():
    assert range_error("senior.chair_stand_30s", 10.0) is None


def test_zero_chair_stands_is_a_real_score():
    assert range_error("senior.chair_stand_30s", 0) is None


def test_negative_limits_are_written_plainly():
    assert range_error("senior.chair_sit_reach_cm", -60) == "Enter a value between -50 and 50 cm."


def test_pain_score_above_10_is_rejected():
    assert range_error("pain.score", 11) == "Enter a whole number between 0 and 10 points."


def test_not_a_number_is_rejected():
    assert range_error("cva_deg", math.nan) is not None
    assert range_error("cva_deg", math.inf) is not None


def test_a_boolean_is_not_a_measurement():
    assert range_error("pain.score", True) is not None


def test_unknown_measure_key_is_a_programming_error():
    with pytest.raises(KeyError):
        range_error("cva_degrees", 45)


def test_sitting_height_below_standing_height_is_accepted():
    assert sitting_height_error(height_cm=160.0, sitting_height_cm=82.0) is None


def test_sitting_height_equal_to_standing_height_is_rejected():
    assert (
        sitting_height_error(height_cm=160.0, sitting_height_cm=160.0)
        == SITTING_HEIGHT_NOT_BELOW_HEIGHT
    )


def test_sitting_height_check_waits_for_both_heights():
    assert sitting_height_error(height_cm=None, sitting_height_cm=82.0) is None
    assert sitting_height_error(height_cm=160.0, sitting_height_cm=None) is None


def test_derived_measures_have_labels_for_the_pages():
    assert measure_label("pelvic_tilt_mean_deg") == "Pelvic tilt, mean of the measured sides"
    assert measure_label("cva_deg") == "Craniovertebral angle (CVA)"


def test_an_integer_too_large_for_a_float_is_out_of_range():
    assert range_error("screen_hours_per_day", 10**400) == (
        "Enter a value between 0 and 24 hours per day."
    )
