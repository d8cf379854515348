"""Findings: what an assessment means, as plain data for the pages, the engine and the PDF.

Codes and reasons are the vocabulary of ``shared/design/case-format.md``: keep them exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    PRESENT = "present"  # a yes/no observation with no bands


class Band(StrEnum):
    """Where a value falls against a norm range (senior tests)."""

    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"


OHS_COMPENSATIONS = (
    "feet_turn_out",
    "feet_flatten",
    "knees_in",
    "knees_out",
    "excessive_forward_lean",
    "low_back_arches",
    "low_back_rounds",
    "arms_fall_forward",
    "asymmetric_weight_shift",
    "heels_rise",
    "head_forward",
)

SENIOR_NORM_TESTS = (
    "chair_stand_30s",
    "arm_curl_30s",
    "two_min_step",
    "chair_sit_reach_cm",
    "back_scratch_cm",
    "up_and_go_8ft_s",
    "six_min_walk_m",
)
SENIOR_FALL_RISK_TESTS = ("tug_s", "tandem_stance_s")

REFERRAL_REASONS = (
    "parq_positive",
    "pain",
    "pelvic_floor_symptoms",
    "postpartum_not_cleared",
    "growth_related_pain",
    "fall_risk",
)

# Body regions used to group findings on the page and to light up the PDF body map.
REGIONS = (
    "head_neck",
    "shoulders",
    "thoracic_spine",
    "lumbo_pelvic_hip",
    "abdomen_pelvic_floor",
    "knees",
    "feet_ankles",
    "whole_body",
)


@dataclass(frozen=True)
class Finding:
    """One interpreted observation: a case-format finding plus what the pages need."""

    code: str
    severity: Severity
    region: str
    explanation: str
    measure: str | None = None
    value: float | str | None = None
    reference: str | None = None
    source: str | None = None
    practice_default: bool = False  # threshold chosen by the practice, not published
    side: str | None = None  # "left" | "right" | "both" where it applies
    overactive: tuple[str, ...] = ()  # muscle ids (assessments.muscles)
    underactive: tuple[str, ...] = ()

    def as_case_dict(self) -> dict:
        """The finding as the case-format output object."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "measure": self.measure,
            "value": self.value,
            "reference": self.reference,
            "source": self.source,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Referral:
    """Whether the client must see a physiotherapist or physician first, and why."""

    reasons: tuple[str, ...] = ()
    details: tuple[str, ...] = field(default=())  # plain-language lines for the specialist

    @property
    def required(self) -> bool:
        return bool(self.reasons)
