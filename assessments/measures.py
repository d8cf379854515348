"""Each numeric measure's unit, plausible range and "how to measure" text, as data (pure).

Keys are the dotted paths of ``shared/design/case-format.md`` (``senior.tug_s``). The ranges
are input plausibility limits for forms and the case parser, never clinical thresholds:
those live in ``norms.py`` and ``interpret.py`` with their source ids. Section numbers
(§) point to ``shared/domain/reference.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class MeasureSpec:
    """One measure: what it is called, its unit, its plausible range and how to take it."""

    key: str
    label: str
    unit: str
    minimum: float
    maximum: float
    integer: bool
    how_to: str


_SPECS = (
    MeasureSpec(
        "cva_deg",
        "Craniovertebral angle (CVA)",
        "degrees",
        20,
        80,
        False,
        "Take a side-on photo with the camera level and square to the client, standing "
        "relaxed. Mark the ear tragus and the C7 spinous process; the CVA is the angle "
        "between the horizontal through C7 and the line from C7 to the tragus. A smaller "
        "angle means a more forward head. Photograph both sides if you can (§4.1).",
    ),
    MeasureSpec(
        "wall_distance_cm",
        "Tragus-to-wall distance",
        "cm",
        5,
        50,
        False,
        "Heels and buttocks against the wall, knees straight, chin level. Measure from the "
        "ear tragus to the wall on each side and enter the average (§4.3).",
    ),
    MeasureSpec(
        "screen_hours_per_day",
        "Screen time",
        "hours per day",
        0,
        24,
        False,
        "Ask the client how many hours a day they spend looking at a phone, tablet or "
        "computer screen, work and leisure together.",
    ),
    MeasureSpec(
        "pelvic_tilt_left_deg",
        "Pelvic tilt, left side",
        "degrees",
        -20,
        40,
        False,
        "Relaxed standing. Place a pelvic inclinometer (or digital inclinometer) on the left "
        "ASIS and PSIS and read the angle of the ASIS-PSIS line from horizontal; anterior "
        "tilt is positive (§5.1).",
    ),
    MeasureSpec(
        "pelvic_tilt_right_deg",
        "Pelvic tilt, right side",
        "degrees",
        -20,
        40,
        False,
        "As for the left side, on the right ASIS and PSIS; anterior tilt is positive (§5.1).",
    ),
    MeasureSpec(
        "senior.chair_stand_30s",
        "30-second chair stand",
        "repetitions",
        0,
        50,
        True,
        "Chair about 43 cm high against a wall, arms crossed on the chest. Count full "
        "stands in 30 seconds. If the client needs their arms to stand, the score is 0 "
        "(§6.1, §6.2).",
    ),
    MeasureSpec(
        "senior.arm_curl_30s",
        "30-second arm curl",
        "repetitions",
        0,
        60,
        True,
        "Seated, dumbbell of 2.3 kg (5 lb) for women or 3.6 kg (8 lb) for men in the "
        "dominant hand. Count full curls in 30 seconds (§6.1).",
    ),
    MeasureSpec(
        "senior.two_min_step",
        "2-minute step",
        "steps",
        0,
        200,
        True,
        "March in place for 2 minutes, knees up to a mark midway between kneecap and hip "
        "bone. Count the times the right knee reaches the mark (§6.1).",
    ),
    MeasureSpec(
        "senior.chair_sit_reach_cm",
        "Chair sit-and-reach",
        "cm",
        -50,
        50,
        False,
        "Sit on the front of the chair, one leg straight with the heel down and the foot "
        "at 90 degrees. Reach for the toes; measure to the toes, positive past them and "
        "negative short of them. Skip it with severe osteoporosis or pain on bending "
        "forward (§6.1).",
    ),
    MeasureSpec(
        "senior.back_scratch_cm",
        "Back scratch",
        "cm",
        -60,
        40,
        False,
        "One hand over the shoulder, the other up the middle of the back. Measure between "
        "the middle fingers: negative for a gap, positive for an overlap (§6.1).",
    ),
    MeasureSpec(
        "senior.up_and_go_8ft_s",
        "8-foot up-and-go",
        "seconds",
        2,
        60,
        False,
        "From seated, stand, walk as quickly as is safe around a cone 8 feet (2.44 m) "
        "away and sit down again. Time it in seconds; lower is better (§6.1).",
    ),
    MeasureSpec(
        "senior.six_min_walk_m",
        "6-minute walk",
        "m",
        0,
        1200,
        False,
        "Walk as far as possible in 6 minutes around a 20 by 5 yard (45.7 m) rectangle. "
        "Enter the distance in metres; the course shape changes the result (§6.1).",
    ),
    MeasureSpec(
        "senior.tug_s",
        "Timed Up and Go (TUG)",
        "seconds",
        3,
        120,
        False,
        "From seated, stand, walk 3 m (10 ft) at usual pace with usual footwear and aid, "
        "turn, walk back and sit. Note how the client walks as well as the time (§6.2).",
    ),
    MeasureSpec(
        "senior.tandem_stance_s",
        "Tandem stance",
        "seconds",
        0,
        60,
        False,
        "Stand with one foot directly in front of the other, heel to toe, without support. "
        "Time the hold, stopping at 10 seconds or more (§6.2).",
    ),
    MeasureSpec(
        "postpartum.ird_above_umbilicus_cm",
        "Inter-recti distance, 4.5 cm above the navel",
        "cm",
        0,
        15,
        False,
        "Crook lying, head and shoulders lifted slightly. Measure the gap between the two "
        "rectus muscles 4.5 cm above the navel with a calliper or ruler (§7.1).",
    ),
    MeasureSpec(
        "postpartum.ird_umbilicus_cm",
        "Inter-recti distance at the navel",
        "cm",
        0,
        15,
        False,
        "Crook lying, head and shoulders lifted slightly. Measure the gap between the two "
        "rectus muscles at the level of the navel with a calliper or ruler (§7.1).",
    ),
    MeasureSpec(
        "postpartum.ird_below_umbilicus_cm",
        "Inter-recti distance, 4.5 cm below the navel",
        "cm",
        0,
        15,
        False,
        "Crook lying, head and shoulders lifted slightly. Measure the gap between the two "
        "rectus muscles 4.5 cm below the navel with a calliper or ruler (§7.1).",
    ),
    MeasureSpec(
        "youth.height_cm",
        "Standing height",
        "cm",
        80,
        220,
        False,
        "Shoes off, heels, buttocks and back of the head against a stadiometer, looking "
        "straight ahead. Read to the nearest 0.1 cm (§8.1).",
    ),
    MeasureSpec(
        "youth.sitting_height_cm",
        "Sitting height",
        "cm",
        40,
        120,
        False,
        "Seated on a box of known height, back straight against the stadiometer. Enter the "
        "height from the seat to the top of the head, not from the floor (§8.1).",
    ),
    MeasureSpec(
        "youth.weight_kg",
        "Body mass",
        "kg",
        10,
        200,
        False,
        "Light clothing, shoes off, on calibrated scales. Read to the nearest 0.1 kg (§8.1).",
    ),
    MeasureSpec(
        "pain.score",
        "Pain score",
        "points",
        0,
        10,
        True,
        "Ask the client to rate any pain felt during the test from 0 (no pain) to 10 (worst "
        "pain imaginable), and note where it was.",
    ),
)

MEASURES: dict[str, MeasureSpec] = {spec.key: spec for spec in _SPECS}

# Values the interpretation derives from the measures above; findings name them as their
# ``measure``, so pages need a label for them too. They are never entered, so no range.
DERIVED_MEASURES: dict[str, tuple[str, str]] = {
    "pelvic_tilt_mean_deg": ("Pelvic tilt, mean of the measured sides", "degrees"),
    "pelvic_tilt_difference_deg": ("Pelvic tilt, left-right difference", "degrees"),
    "postpartum.ird_widest_cm": ("Inter-recti distance, widest of the three sites", "cm"),
    "youth.maturity_offset": ("Maturity offset (years from peak height velocity)", "years"),
}

SITTING_HEIGHT_NOT_BELOW_HEIGHT = "Sitting height must be less than standing height."


def measure_label(key: str) -> str:
    """The label of an entered or derived measure key; the key itself when unknown."""
    if key in MEASURES:
        return MEASURES[key].label
    if key in DERIVED_MEASURES:
        return DERIVED_MEASURES[key][0]
    return key


def _number(value: float) -> str:
    """A limit as people write it: 20, 2.5, -6."""
    return f"{value:g}"


def range_error(key: str, value: float | None) -> str | None:
    """The message for a value outside the plausible range of ``key``, or None when it fits.

    ``None`` means "not measured" and is always acceptable here.
    """
    spec = MEASURES[key]
    if value is None:
        return None
    kind = "a whole number" if spec.integer else "a value"
    message = (
        f"Enter {kind} between {_number(spec.minimum)} and {_number(spec.maximum)} {spec.unit}."
    )
    if isinstance(value, bool) or not isinstance(value, int | float):
        return message
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int with hundreds of digits cannot even become a float
        return message
    if not finite or not spec.minimum <= value <= spec.maximum:
        return message
    if spec.integer and value != int(value):
        return message
    return None


def sitting_height_error(*, height_cm: float | None, sitting_height_cm: float | None) -> str | None:
    """Sitting height is part of standing height, so it must be the smaller of the two."""
    if height_cm is None or sitting_height_cm is None:
        return None
    if sitting_height_cm >= height_cm:
        return SITTING_HEIGHT_NOT_BELOW_HEIGHT
    return None
