"""Plain-language names for finding codes and referral reasons (pure)."""

from __future__ import annotations

from .findings import FINDING_CODES

REFERRAL_LABELS = {
    # Reasons are listed whether or not a clearance covers them, so none says "not cleared".
    "parq_positive": "PAR-Q+ answered yes",
    "pain": "Pain during testing",
    "pelvic_floor_symptoms": "Pelvic floor symptoms",
    "postpartum_not_cleared": "Postpartum, before the postnatal check",
    "growth_related_pain": "Growth-related pain",
    "fall_risk": "Fall risk with gait changes",
    "gait_red_flag": "Gait signs that need a physician (e.g. foot slap, shuffling, a limp "
    "under 18)",
    "diastasis_review": "Diastasis recti for a pelvic-health physiotherapist",
    "pelvic_obliquity": "Visible pelvic obliquity to measure",
}


def finding_label(code: str) -> str:
    """A finding code as a specialist reads it (findings.FINDING_CODES)."""
    return FINDING_CODES.get(code) or code.replace("_", " ").capitalize()


def referral_label(reason: str) -> str:
    """A referral reason as a specialist reads it."""
    return REFERRAL_LABELS.get(reason, reason.replace("_", " ").capitalize())
