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
    # Added to the case-format list: gait signs that reference §11 says to refer
    # (foot slap, wide base, shuffling, asymmetry) are red flags that gate a program.
    "gait_red_flag",
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
            # Additions to the contract's finding object (new optional keys are allowed):
            "region": self.region,
            "practice_default": self.practice_default,
        }


@dataclass(frozen=True)
class Referral:
    """Whether the client must see a physiotherapist or physician first, and why."""

    reasons: tuple[str, ...] = ()
    details: tuple[str, ...] = field(default=())  # plain-language lines for the specialist

    @property
    def required(self) -> bool:
        return bool(self.reasons)


# Where pain is reported during a test: id -> (label, body region of REGIONS).
PAIN_REGIONS: dict[str, tuple[str, str]] = {
    "neck": ("Neck", "head_neck"),
    "head": ("Head", "head_neck"),
    "shoulder": ("Shoulder", "shoulders"),
    "upper_back": ("Upper back", "thoracic_spine"),
    "low_back": ("Low back", "lumbo_pelvic_hip"),
    "hip": ("Hip or groin", "lumbo_pelvic_hip"),
    "pelvis": ("Pelvis, pelvic floor or scar", "abdomen_pelvic_floor"),
    "abdomen": ("Abdomen", "abdomen_pelvic_floor"),
    "knee": ("Knee", "knees"),
    "ankle_foot": ("Ankle or foot", "feet_ankles"),
    "elbow_wrist_hand": ("Elbow, wrist or hand", "shoulders"),
    "other": ("Elsewhere", "whole_body"),
}

REGION_LABELS: dict[str, str] = {
    "head_neck": "Head and neck",
    "shoulders": "Shoulders and upper limbs",
    "thoracic_spine": "Upper back",
    "lumbo_pelvic_hip": "Lumbo-pelvic-hip complex",
    "abdomen_pelvic_floor": "Abdomen and pelvic floor",
    "knees": "Knees",
    "feet_ankles": "Feet and ankles",
    "whole_body": "Whole body",
}


def by_region(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by body region, head to feet, keeping their order within a region."""
    groups: dict[str, list[Finding]] = {region: [] for region in REGIONS}
    for finding in findings:
        groups.setdefault(finding.region, []).append(finding)
    return [(REGION_LABELS.get(region, region), items) for region, items in groups.items() if items]
