"""Other units a measure may be entered in: declared once with their factor, checked in the
unit entered, stored once in the measure's own unit (assessments/measures.py)."""

import pytest

from assessments.measures import FINGER_WIDTH, INCH, MEASURES, POUND, YARD, range_error

WALL = MEASURES["wall_distance_cm"]  # plausible 5 to 50 cm
IRD = MEASURES["postpartum.ird_umbilicus_cm"]  # plausible 0 to 15 cm


def test_two_finger_widths_are_stored_as_two_centimetres():
    assert IRD.to_stored(2, FINGER_WIDTH) == 2.0


def test_finger_widths_are_offered_for_every_inter_recti_site_and_marked_approximate():
    sites = [spec for spec in MEASURES.values() if spec.key.startswith("postpartum.ird_")]
    assert len(sites) == 3
    assert all(FINGER_WIDTH in spec.units for spec in sites)
    assert FINGER_WIDTH.approximate
    assert "§7.1" in FINGER_WIDTH.note
    assert "≈" in FINGER_WIDTH.label


def test_inches_are_exact_centimetres():
    assert WALL.to_stored(18, INCH) == 45.72


def test_pounds_are_stored_as_kilograms_to_ten_grams():
    assert MEASURES["youth.weight_kg"].to_stored(150, POUND) == 68.04


def test_six_minute_walk_in_yards_is_stored_in_metres():
    assert MEASURES["senior.six_min_walk_m"].to_stored(600, YARD) == 548.64


def test_a_value_in_the_stored_unit_is_kept_as_entered():
    assert WALL.to_stored(12.345, WALL.stored_unit) == 12.345


def test_the_range_in_inches_is_rounded_inward():
    # 5 cm = 1.97 in and 50 cm = 19.69 in: the limits shown are values that fit.
    assert WALL.limits_in(INCH) == (2.0, 19.6)


def test_the_upper_limit_in_inches_is_accepted():
    assert range_error(WALL.key, 19.6, INCH) is None
    assert WALL.to_stored(19.6, INCH) <= WALL.maximum


def test_one_inch_above_the_limit_is_refused_with_the_range_in_inches():
    assert range_error(WALL.key, 20.6, INCH) == "Enter a value between 2 and 19.6 in."


def test_the_upper_limit_in_finger_widths_is_accepted_and_one_above_refused():
    assert range_error(IRD.key, 15, FINGER_WIDTH) is None
    assert range_error(IRD.key, 16, FINGER_WIDTH) == (
        "Enter a value between 0 and 15 finger widths (≈ 1 cm)."
    )


def test_the_message_in_the_stored_unit_is_unchanged():
    assert range_error(WALL.key, 51) == "Enter a value between 5 and 50 cm."


@pytest.mark.parametrize("spec", [s for s in MEASURES.values() if s.units], ids=lambda s: s.key)
def test_every_limit_in_another_unit_converts_back_inside_the_stored_range(spec):
    for unit in spec.units:
        low, high = spec.limits_in(unit)
        assert spec.minimum <= spec.to_stored(low, unit) <= spec.to_stored(high, unit)
        assert spec.to_stored(high, unit) <= spec.maximum


@pytest.mark.parametrize("spec", [s for s in MEASURES.values() if s.units], ids=lambda s: s.key)
def test_unit_codes_are_unique_per_measure(spec):
    codes = [unit.code for unit in spec.entry_units]
    assert len(codes) == len(set(codes))
