"""Findings: what an assessment means, as plain data for the pages, the engine and the PDF.

Codes and reasons are the vocabulary of ``shared/design/case-format.md``: keep them exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .measures import measure_label
from .posture import GAIT, OHS


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


# The overhead squat compensations, in the order of their declarations (posture.OHS).
OHS_COMPENSATIONS = tuple(OHS)

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

# --- The finding vocabulary, declared once: every code with the label a specialist reads ---

# Codes of their own (shared/design/case-format.md, "Finding codes").
FINDING_LABELS: dict[str, str] = {
    "forward_head_posture": "Forward head posture",
    "anterior_pelvic_tilt": "Anterior pelvic tilt",
    "posterior_pelvic_tilt": "Posterior pelvic tilt",
    "pelvic_asymmetry": "Pelvic asymmetry",
    "upper_crossed_pattern": "Upper crossed pattern",
    "lower_crossed_pattern": "Lower crossed pattern",
    "pronation_distortion_pattern": "Pronation distortion pattern",
    "fall_risk": "Fall risk",
    "diastasis_recti": "Diastasis recti (inter-recti gap)",
    "pelvic_floor_symptoms": "Pelvic floor symptoms",
    "youth_pre_phv": "Before peak height velocity",
    "youth_circa_phv": "Around peak height velocity (growth spurt)",
    "youth_post_phv": "After peak height velocity",
    "growth_related_pain": "Growth-related pain",
    "pain": "Pain during testing",
}

# Every finding code, the families included (one per overhead squat compensation, gait
# deviation and senior test), with its label. Finding() refuses any other code.
FINDING_CODES: dict[str, str] = {
    **FINDING_LABELS,
    **{f"ohs_{c.code}": f"Overhead squat: {c.label.lower()}" for c in OHS.values()},
    **{f"gait_{g.code}": f"Gait: {g.label.lower()}" for g in GAIT.values()},
    **{
        f"senior_below_norm_{test}": f"Below the norm: {measure_label('senior.' + test).lower()}"
        for test in SENIOR_NORM_TESTS + SENIOR_FALL_RISK_TESTS
    },
}

REFERRAL_REASONS = (
    "parq_positive",
    "pain",
    "pelvic_floor_symptoms",
    "postpartum_not_cleared",
    "growth_related_pain",
    "fall_risk",
    "gait_red_flag",  # gait signs §11 refers always, and a limp in a growing client (§8.4)
    "diastasis_review",  # gap of 2 finger-breadths or more, or doming (§7.1, §7.3)
    "pelvic_obliquity",  # visible obliquity: refer for measurement (§5.3)
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
    # How the value was taken when not typed ("from the left side photo, landmarks placed by
    # hand"); set by with_provenance, never by the interpretation itself.
    provenance: str = ""

    def __post_init__(self):
        if self.code not in FINDING_CODES:
            raise ValueError(f"{self.code!r} is not a finding code (findings.FINDING_CODES)")

    def as_case_dict(self) -> dict:
        """The finding as the case-format output object."""
        extra = {"provenance": self.provenance} if self.provenance else {}
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
            **extra,
        }


def with_provenance(findings: Iterable[Finding], provenance: Mapping[str, str]) -> list[Finding]:
    """The findings, each of a measure in ``provenance`` (measure key -> how it was taken)
    saying how its value was taken."""
    return [
        replace(f, provenance=provenance[f.measure]) if f.measure in provenance else f
        for f in findings
    ]


@dataclass(frozen=True)
class Referral:
    """Whether the client must see a physiotherapist or physician first, and why."""

    reasons: tuple[str, ...] = ()
    details: tuple[str, ...] = field(default=())  # plain-language lines for the specialist

    @property
    def required(self) -> bool:
        return bool(self.reasons)


# The case format's closed vocabulary of body region ids (pain ``region``, youth
# ``growth_pain``), in its order: id -> (label, the body map region of REGIONS it lights up
# and that safety rules scope by). Any other id is invalid input.
BODY_REGIONS: dict[str, tuple[str, str]] = {
    "head": ("Head", "head_neck"),
    "neck": ("Neck", "head_neck"),
    "shoulder": ("Shoulder", "shoulders"),
    "upper_back": ("Upper back", "thoracic_spine"),
    "low_back": ("Low back", "lumbo_pelvic_hip"),
    "hip": ("Hip or groin", "lumbo_pelvic_hip"),
    "pelvis": ("Pelvis, pelvic floor or scar", "abdomen_pelvic_floor"),
    "abdomen": ("Abdomen", "abdomen_pelvic_floor"),
    "knee": ("Knee", "knees"),
    "ankle_foot": ("Ankle or foot", "feet_ankles"),
    "heel": ("Heel", "feet_ankles"),
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
