"""Every numeric measure, declared once: where it is kept, how it is named, entered and read.

One ``MeasureSpec`` per measure holds its case-format key, its assessment section and model
field, label, unit (and the other units it may be entered in, with their factors), plausible
range, "how to measure" text and diagram, whether findings
compare it with a norm, and which way is better. The forms, the saved-assessment reader, the
case parser and writer, the findings pages, the comparison and the plan PDF all read it.

Keys are the dotted paths of ``shared/design/case-format.md`` (``senior.tug_s``); the part
after the dot is the field name in the case group and on the section's model. The ranges
are input plausibility limits for forms and the case parser, never clinical thresholds:
those live in ``norms.py`` and ``interpret.py`` with their source ids. Section numbers
(§) point to ``shared/domain/reference.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Unit:
    """A unit a measure may be entered in besides its stored one, with its exact factor."""

    code: str  # the unit selector's value: "in"
    label: str  # as written after a number: "in", "finger widths"
    per_unit: float  # how many of the measure's stored unit one of this unit is: 1 in = 2.54 cm
    us: bool = False  # what US practices expect (the practice's "US" unit system picks it)
    note: str = ""  # said where the unit is offered: an approximate conversion says so

    @property
    def approximate(self) -> bool:
        """An approximate conversion carries a note saying so (finger widths)."""
        return bool(self.note)


INCH = Unit("in", "in", 2.54, us=True)  # exact by definition (1959)
POUND = Unit("lb", "lb", 0.45359237, us=True)  # exact by definition (1959)
YARD = Unit("yd", "yd", 0.9144, us=True)  # the Senior Fitness Test's own unit (§6.1)
FOOT = Unit("ft", "ft", 0.3048)
# §7.1: "≥ 2 cm (≈ 2 finger-widths)" [BiologyInsights-DR]: about 1 cm a finger width.
FINGER_WIDTH = Unit(
    "fw",
    "finger widths (≈ 1 cm)",
    1.0,
    note=(
        "Finger widths count as about 1 cm each: approximate, fingers differ (reference "
        "§7.1, BiologyInsights-DR)."
    ),
)

# A practice default: a value entered in another unit keeps two decimals of its stored unit
# once converted (0.1 mm, 10 g, 1 cm of a walk), finer than any of these is measured.
STORED_DECIMALS = 2
# A practice default: a range given in another unit is shown to one decimal, rounded inward,
# so the limits in the message are exactly the values accepted.
LIMIT_DECIMALS = 1

# Diagrams are static files (``config/static``), ready for ``{% static %}``; several measures
# share one drawing (both pelvic tilt sides, the three inter-recti sites).
_DIAGRAMS = "img/measures/"


@dataclass(frozen=True)
class MeasureSpec:
    """One measure: where it is kept, what it is called, its unit, range and how to take it."""

    key: str  # case-format path: "cva_deg", "senior.tug_s"
    section: str  # assessments.sections key of the section that records it
    label: str
    unit: str
    minimum: float
    maximum: float
    integer: bool
    how_to: str
    diagram: str | None  # static path of the "how to measure" drawing
    # Findings compare it with a norm or cut-off. False: recorded only, or an input to a
    # derived measure, so a plan never says it is "within the typical range".
    norm: bool
    better: Literal["higher", "lower"] | None  # None: no better direction (pelvic tilt)
    # Other units it may be entered in; whatever is entered is stored in ``unit``.
    units: tuple[Unit, ...] = ()

    @property
    def group(self) -> str | None:
        """The case-format object that holds it ("senior"), None at the top of ``measures``."""
        return self.key.split(".")[0] if "." in self.key else None

    @property
    def field(self) -> str:
        """The field name in its case-format group and on its section's model."""
        return self.key.rsplit(".", 1)[-1]

    @property
    def stored_unit(self) -> Unit:
        """The unit the value is kept in, as a ``Unit`` (factor 1)."""
        return Unit(self.unit, self.unit, 1.0)

    @property
    def entry_units(self) -> tuple[Unit, ...]:
        """Every unit it may be entered in, the stored one first."""
        return (self.stored_unit, *self.units)

    def entry_unit(self, code: str | None) -> Unit | None:
        """The entry unit with this code (the stored unit for None or ""); None if unknown."""
        if not code:
            return self.stored_unit
        return next((unit for unit in self.entry_units if unit.code == code), None)

    def limits_in(self, unit: Unit) -> tuple[float, float]:
        """The plausible range in ``unit``: exact for the stored unit, else rounded inward."""
        if unit.per_unit == 1.0:
            return self.minimum, self.maximum
        scale = 10**LIMIT_DECIMALS
        low = math.ceil(self.minimum / unit.per_unit * scale) / scale
        high = math.floor(self.maximum / unit.per_unit * scale) / scale
        return low, high

    def to_stored(self, value: float, unit: Unit) -> float:
        """A value entered in ``unit``, converted once into the stored unit."""
        if unit.per_unit == 1.0:
            return value
        return round(value * unit.per_unit, STORED_DECIMALS)


def _inter_recti(key: str, site: str) -> MeasureSpec:
    """The inter-recti distance at one of its three sites (§7.1): alike but for the site."""
    where = "at the level of the navel" if site == "at the navel" else site
    return MeasureSpec(
        key=key,
        section="postpartum",
        label=f"Inter-recti distance{', ' if site[0].isdigit() else ' '}{site}",
        unit="cm",
        minimum=0,
        maximum=15,
        integer=False,
        how_to=(
            "Crook lying, head and shoulders lifted slightly. Measure the gap between the two "
            f"rectus muscles {where} with a calliper or ruler (§7.1)."
        ),
        diagram=_DIAGRAMS + "ird.svg",
        norm=True,
        better="lower",
        units=(FINGER_WIDTH,),
    )


_SPECS = (
    MeasureSpec(
        key="cva_deg",
        section="tech_neck",
        label="Craniovertebral angle (CVA)",
        unit="degrees",
        minimum=20,
        maximum=80,
        integer=False,
        how_to=(
            "Take a side-on photo with the camera level and square to the client, standing "
            "relaxed. Mark the ear tragus and the C7 spinous process; the CVA is the angle "
            "between the horizontal through C7 and the line from C7 to the tragus. A smaller "
            "angle means a more forward head. Photograph both sides if you can (§4.1)."
        ),
        diagram=_DIAGRAMS + "cva.svg",
        norm=True,
        better="higher",
    ),
    MeasureSpec(
        key="wall_distance_cm",
        section="tech_neck",
        label="Tragus-to-wall distance",
        unit="cm",
        minimum=5,
        maximum=50,
        integer=False,
        how_to=(
            "Heels and buttocks against the wall, knees straight, chin level. Measure from the "
            "ear tragus to the wall on each side and enter the average (§4.3)."
        ),
        diagram=_DIAGRAMS + "tragus-wall.svg",
        norm=False,
        better="lower",
        units=(INCH,),
    ),
    MeasureSpec(
        key="screen_hours_per_day",
        section="tech_neck",
        label="Screen time",
        unit="hours per day",
        minimum=0,
        maximum=24,
        integer=False,
        how_to=(
            "Ask the client how many hours a day they spend looking at a phone, tablet or "
            "computer screen, work and leisure together."
        ),
        diagram=_DIAGRAMS + "screen-time.svg",
        norm=False,
        better="lower",
    ),
    MeasureSpec(
        key="pelvic_tilt_left_deg",
        section="pelvic_tilt",
        label="Pelvic tilt, left side",
        unit="degrees",
        minimum=-20,
        maximum=40,
        integer=False,
        how_to=(
            "Relaxed standing. Place a pelvic inclinometer (or digital inclinometer) on the left "
            "ASIS and PSIS and read the angle of the ASIS-PSIS line from horizontal; anterior "
            "tilt is positive (§5.1)."
        ),
        diagram=_DIAGRAMS + "pelvic-tilt.svg",
        norm=True,
        better=None,
    ),
    MeasureSpec(
        key="pelvic_tilt_right_deg",
        section="pelvic_tilt",
        label="Pelvic tilt, right side",
        unit="degrees",
        minimum=-20,
        maximum=40,
        integer=False,
        how_to=(
            "As for the left side, on the right ASIS and PSIS; anterior tilt is positive (§5.1)."
        ),
        diagram=_DIAGRAMS + "pelvic-tilt.svg",
        norm=True,
        better=None,
    ),
    MeasureSpec(
        key="senior.chair_stand_30s",
        section="senior_tests",
        label="30-second chair stand",
        unit="repetitions",
        minimum=0,
        maximum=50,
        integer=True,
        how_to=(
            "Chair about 43 cm high against a wall, arms crossed on the chest. Count full "
            "stands in 30 seconds. If the client needs their arms to stand, the score is 0 "
            "(§6.1, §6.2)."
        ),
        diagram=_DIAGRAMS + "chair-stand.svg",
        norm=True,
        better="higher",
    ),
    MeasureSpec(
        key="senior.arm_curl_30s",
        section="senior_tests",
        label="30-second arm curl",
        unit="repetitions",
        minimum=0,
        maximum=60,
        integer=True,
        how_to=(
            "Seated, dumbbell of 2.3 kg (5 lb) for women or 3.6 kg (8 lb) for men in the "
            "dominant hand. Count full curls in 30 seconds (§6.1)."
        ),
        diagram=_DIAGRAMS + "arm-curl.svg",
        norm=True,
        better="higher",
    ),
    MeasureSpec(
        key="senior.two_min_step",
        section="senior_tests",
        label="2-minute step",
        unit="steps",
        minimum=0,
        maximum=200,
        integer=True,
        how_to=(
            "March in place for 2 minutes, knees up to a mark midway between kneecap and hip "
            "bone. Count the times the right knee reaches the mark (§6.1)."
        ),
        diagram=_DIAGRAMS + "two-min-step.svg",
        norm=True,
        better="higher",
    ),
    MeasureSpec(
        key="senior.chair_sit_reach_cm",
        section="senior_tests",
        label="Chair sit-and-reach",
        unit="cm",
        minimum=-50,
        maximum=50,
        integer=False,
        how_to=(
            "Sit on the front of the chair, one leg straight with the heel down and the foot "
            "at 90 degrees. Reach for the toes; measure to the toes, positive past them and "
            "negative short of them. Skip it with severe osteoporosis or pain on bending "
            "forward (§6.1)."
        ),
        diagram=_DIAGRAMS + "sit-reach.svg",
        norm=True,
        better="higher",
        units=(INCH,),
    ),
    MeasureSpec(
        key="senior.back_scratch_cm",
        section="senior_tests",
        label="Back scratch",
        unit="cm",
        minimum=-60,
        maximum=40,
        integer=False,
        how_to=(
            "One hand over the shoulder, the other up the middle of the back. Measure between "
            "the middle fingers: negative for a gap, positive for an overlap (§6.1)."
        ),
        diagram=_DIAGRAMS + "back-scratch.svg",
        norm=True,
        better="higher",
        units=(INCH,),
    ),
    MeasureSpec(
        key="senior.up_and_go_8ft_s",
        section="senior_tests",
        label="8-foot up-and-go",
        unit="seconds",
        minimum=2,
        maximum=60,
        integer=False,
        how_to=(
            "From seated, stand, walk as quickly as is safe around a cone 8 feet (2.44 m) "
            "away and sit down again. Time it in seconds; lower is better (§6.1)."
        ),
        diagram=_DIAGRAMS + "up-and-go.svg",
        norm=True,
        better="lower",
    ),
    MeasureSpec(
        key="senior.six_min_walk_m",
        section="senior_tests",
        label="6-minute walk",
        unit="m",
        minimum=0,
        maximum=1200,
        integer=False,
        how_to=(
            "Walk as far as possible in 6 minutes around a 20 by 5 yard (45.7 m) rectangle. "
            "Enter the distance in metres, yards or feet; the course shape changes the result "
            "(§6.1)."
        ),
        diagram=_DIAGRAMS + "six-min-walk.svg",
        norm=True,
        better="higher",
        units=(YARD, FOOT),
    ),
    MeasureSpec(
        key="senior.tug_s",
        section="senior_tests",
        label="Timed Up and Go (TUG)",
        unit="seconds",
        minimum=3,
        maximum=120,
        integer=False,
        how_to=(
            "From seated, stand, walk 3 m (10 ft) at usual pace with usual footwear and aid, "
            "turn, walk back and sit. Note how the client walks as well as the time (§6.2)."
        ),
        diagram=_DIAGRAMS + "tug.svg",
        norm=True,
        better="lower",
    ),
    MeasureSpec(
        key="senior.tandem_stance_s",
        section="senior_tests",
        label="Tandem stance",
        unit="seconds",
        minimum=0,
        maximum=60,
        integer=False,
        how_to=(
            "Stand with one foot directly in front of the other, heel to toe, without support. "
            "Time the hold, stopping at 10 seconds or more (§6.2)."
        ),
        diagram=_DIAGRAMS + "tandem-stance.svg",
        norm=True,
        better="higher",
    ),
    _inter_recti("postpartum.ird_above_umbilicus_cm", "4.5 cm above the navel"),
    _inter_recti("postpartum.ird_umbilicus_cm", "at the navel"),
    _inter_recti("postpartum.ird_below_umbilicus_cm", "4.5 cm below the navel"),
    MeasureSpec(
        key="youth.height_cm",
        section="youth",
        label="Standing height",
        unit="cm",
        minimum=80,
        maximum=220,
        integer=False,
        how_to=(
            "Shoes off, heels, buttocks and back of the head against a stadiometer, looking "
            "straight ahead. Read to the nearest 0.1 cm (§8.1)."
        ),
        diagram=_DIAGRAMS + "height.svg",
        norm=False,
        better=None,
        units=(INCH,),
    ),
    MeasureSpec(
        key="youth.sitting_height_cm",
        section="youth",
        label="Sitting height",
        unit="cm",
        minimum=40,
        maximum=120,
        integer=False,
        how_to=(
            "Seated on a box of known height, back straight against the stadiometer. Enter the "
            "height from the seat to the top of the head, not from the floor (§8.1)."
        ),
        diagram=_DIAGRAMS + "sitting-height.svg",
        norm=False,
        better=None,
        units=(INCH,),
    ),
    MeasureSpec(
        key="youth.weight_kg",
        section="youth",
        label="Body mass",
        unit="kg",
        minimum=10,
        maximum=200,
        integer=False,
        how_to=(
            "Light clothing, shoes off, on calibrated scales. Read to the nearest 0.1 kg (§8.1)."
        ),
        diagram=_DIAGRAMS + "weight.svg",
        norm=False,
        better=None,
        units=(POUND,),
    ),
    MeasureSpec(
        key="pain.score",
        section="pain",
        label="Pain score",
        unit="points",
        minimum=0,
        maximum=10,
        integer=True,
        how_to=(
            "Ask the client to rate any pain felt during the test from 0 (no pain) to 10 (worst "
            "pain imaginable), and note where it was."
        ),
        diagram=_DIAGRAMS + "pain-scale.svg",
        norm=True,
        better=None,
    ),
)

MEASURES: dict[str, MeasureSpec] = {spec.key: spec for spec in _SPECS}


@dataclass(frozen=True)
class DerivedMeasure:
    """A value interpretation computes from entered measures; findings may name it as their
    ``measure``. Never entered, so no range."""

    key: str
    label: str
    unit: str
    derived_from: tuple[str, ...]  # MEASURES keys it is computed from


_DERIVED = (
    DerivedMeasure(
        "pelvic_tilt_mean_deg",
        "Pelvic tilt, mean of the measured sides",
        "degrees",
        ("pelvic_tilt_left_deg", "pelvic_tilt_right_deg"),
    ),
    DerivedMeasure(
        "pelvic_tilt_difference_deg",
        "Pelvic tilt, left-right difference",
        "degrees",
        ("pelvic_tilt_left_deg", "pelvic_tilt_right_deg"),
    ),
    DerivedMeasure(
        "postpartum.ird_widest_cm",
        "Inter-recti distance, widest of the three sites",
        "cm",
        (
            "postpartum.ird_above_umbilicus_cm",
            "postpartum.ird_umbilicus_cm",
            "postpartum.ird_below_umbilicus_cm",
        ),
    ),
    DerivedMeasure(
        "youth.maturity_offset",
        "Maturity offset (years from peak height velocity)",
        "years",
        ("youth.height_cm", "youth.sitting_height_cm", "youth.weight_kg"),
    ),
)

DERIVED_MEASURES: dict[str, DerivedMeasure] = {derived.key: derived for derived in _DERIVED}


def measures_of(section: str) -> tuple[MeasureSpec, ...]:
    """The measures a section records, in declaration order."""
    return tuple(spec for spec in _SPECS if spec.section == section)


def measures_in(group: str | None) -> tuple[MeasureSpec, ...]:
    """The measures of one case-format group ("senior"; None for the top of ``measures``)."""
    return tuple(spec for spec in _SPECS if spec.group == group)


def measure_unit(key: str) -> str | None:
    """The unit of an entered or derived measure key; None when unknown."""
    if key in MEASURES:
        return MEASURES[key].unit
    if key in DERIVED_MEASURES:
        return DERIVED_MEASURES[key].unit
    return None


SITTING_HEIGHT_NOT_BELOW_HEIGHT = "Sitting height must be less than standing height."


def measure_label(key: str) -> str:
    """The label of an entered or derived measure key; the key itself when unknown."""
    if key in MEASURES:
        return MEASURES[key].label
    if key in DERIVED_MEASURES:
        return DERIVED_MEASURES[key].label
    return key


def _number(value: float) -> str:
    """A limit as people write it: 20, 2.5, -6."""
    return f"{value:g}"


def range_error(key: str, value: float | None, unit: Unit | None = None) -> str | None:
    """The message for a value outside the plausible range of ``key``, or None when it fits.

    ``value`` is in ``unit`` (the stored unit by default), and so is the message. ``None``
    means "not measured" and is always acceptable here.
    """
    spec = MEASURES[key]
    if value is None:
        return None
    unit = unit or spec.stored_unit
    low, high = spec.limits_in(unit)
    kind = "a whole number" if spec.integer else "a value"
    message = f"Enter {kind} between {_number(low)} and {_number(high)} {unit.label}."
    if isinstance(value, bool) or not isinstance(value, int | float):
        return message
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int with hundreds of digits cannot even become a float
        return message
    if not finite or not low <= value <= high:
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
