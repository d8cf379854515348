"""What an assessment measured, as plain data: the ``measures`` and ``client`` parts of a case.

Field names follow ``shared/design/case-format.md``. ``None`` means "not measured", never zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PostureObservation:
    """A static-posture deviation seen at one kinetic-chain checkpoint."""

    code: str  # e.g. "rounded_shoulders" (assessments.posture vocabulary)
    side: str | None = None  # "left" | "right" | "both"


@dataclass(frozen=True)
class OhsObservation:
    """An overhead-squat compensation, seen from one view, on one side where it applies."""

    code: str  # one of findings.OHS_COMPENSATIONS
    view: str | None = None  # "anterior" | "lateral" | "posterior"
    side: str | None = None


@dataclass(frozen=True)
class SeniorTests:
    chair_stand_30s: int | None = None
    arm_curl_30s: int | None = None
    two_min_step: int | None = None
    chair_sit_reach_cm: float | None = None
    back_scratch_cm: float | None = None
    up_and_go_8ft_s: float | None = None
    six_min_walk_m: float | None = None
    tug_s: float | None = None
    tandem_stance_s: float | None = None


@dataclass(frozen=True)
class PostpartumMeasures:
    ird_above_umbilicus_cm: float | None = None
    ird_umbilicus_cm: float | None = None
    ird_below_umbilicus_cm: float | None = None
    doming: bool | None = None
    leakage: bool | None = None
    heaviness: bool | None = None
    pelvic_pain: bool | None = None  # pelvic girdle, perineal or scar pain


@dataclass(frozen=True)
class YouthMeasures:
    height_cm: float | None = None
    sitting_height_cm: float | None = None
    weight_kg: float | None = None
    growth_pain: tuple[str, ...] = ()  # region ids, e.g. "knee", "heel"


@dataclass(frozen=True)
class PainReport:
    region: str
    score: int  # 0-10


@dataclass(frozen=True)
class Measures:
    cva_deg: float | None = None
    wall_distance_cm: float | None = None
    screen_hours_per_day: float | None = None
    pelvic_tilt_left_deg: float | None = None
    pelvic_tilt_right_deg: float | None = None
    posture: tuple[PostureObservation, ...] = ()
    ohs: tuple[OhsObservation, ...] = ()
    gait: tuple[str, ...] = ()
    senior: SeniorTests | None = None
    postpartum: PostpartumMeasures | None = None
    youth: YouthMeasures | None = None
    pain: tuple[PainReport, ...] = ()


@dataclass(frozen=True)
class ClientFacts:
    """What interpretation needs to know about the client on the assessment date."""

    sex: str  # "female" | "male"
    birth_date: date
    assessed_on: date
    delivery_date: date | None = None
    delivery_type: str | None = None  # "vaginal" | "caesarean"
    parq_yes: tuple[int, ...] = ()
    clearance_recorded: bool = False
