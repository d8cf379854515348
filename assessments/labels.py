"""Plain-language names for finding codes and referral reasons (pure)."""

from __future__ import annotations

from .measures import measure_label
from .posture import GAIT, OHS

REFERRAL_LABELS = {
    "parq_positive": "PAR-Q+ answered yes, not yet cleared by a physician",
    "pain": "Pain during testing",
    "pelvic_floor_symptoms": "Pelvic floor symptoms",
    "postpartum_not_cleared": "Postpartum, before the postnatal check and not cleared",
    "growth_related_pain": "Growth-related pain",
    "fall_risk": "Fall risk with gait changes",
    "gait_red_flag": "Gait signs that need a physician (e.g. foot slap, shuffling)",
}

FINDING_LABELS = {
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


def finding_label(code: str) -> str:
    """A finding code as a specialist reads it."""
    if code in FINDING_LABELS:
        return FINDING_LABELS[code]
    if code.startswith("ohs_") and code[4:] in OHS:
        return f"Overhead squat: {OHS[code[4:]].label.lower()}"
    if code.startswith("gait_") and code[5:] in GAIT:
        return f"Gait: {GAIT[code[5:]].label.lower()}"
    if code.startswith("senior_below_norm_"):
        return f"Below the norm: {measure_label('senior.' + code[18:]).lower()}"
    return code.replace("_", " ").capitalize()


def referral_label(reason: str) -> str:
    """A referral reason as a specialist reads it."""
    return REFERRAL_LABELS.get(reason, reason.replace("_", " ").capitalize())
