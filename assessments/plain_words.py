"""What each finding and referral reason means, in the client's own words (pure).

The specialist's labels (``findings.FINDING_CODES``, ``labels.REFERRAL_LABELS``) name
patterns and muscles; a client reads these instead, in the client plan and the portal.
Every finding code has one entry here (a test checks it): a sentence for "What we found"
and the phrase a "why" line ends with ("for the way your knees move inward when you
squat").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .findings import FINDING_CODES
from .muscles import MUSCLES


@dataclass(frozen=True)
class Plain:
    said: str  # a whole sentence, to the client: "Your head sits forward of your shoulders."
    reason: str  # what an exercise is for, after "for ": "the way your head sits forward"


_OWN: dict[str, Plain] = {
    "forward_head_posture": Plain(
        "Your head sits forward of your shoulders.",
        "the way your head sits forward of your shoulders",
    ),
    "anterior_pelvic_tilt": Plain(
        "Your pelvis tips forward, which deepens the curve of your lower back.",
        "the way your pelvis tips forward",
    ),
    "posterior_pelvic_tilt": Plain(
        "Your pelvis tucks under, which flattens your lower back.",
        "the way your pelvis tucks under",
    ),
    "pelvic_asymmetry": Plain(
        "One side of your pelvis sits higher than the other.",
        "one side of your pelvis sitting higher than the other",
    ),
    "upper_crossed_pattern": Plain(
        "Your shoulders round forward, and your neck and upper back work harder than they "
        "should to hold your head up.",
        "your rounded shoulders and the strain on your neck",
    ),
    "lower_crossed_pattern": Plain(
        "The front of your hips is tight, while your buttock and deep tummy muscles do less "
        "than their share.",
        "the tight front of your hips and your resting buttock and tummy muscles",
    ),
    "pronation_distortion_pattern": Plain(
        "Your arches flatten and your knees drift inward as you stand and move.",
        "your flattening arches and the way your knees drift inward",
    ),
    "fall_risk": Plain(
        "Your balance tests show a higher chance of a fall.",
        "your balance",
    ),
    "diastasis_recti": Plain(
        "There is a gap along the middle of your tummy muscles, as often after pregnancy.",
        "the gap along the middle of your tummy muscles",
    ),
    "pelvic_floor_symptoms": Plain(
        "You told us about leakage, heaviness or pain in your pelvis.",
        "your pelvic floor",
    ),
    "youth_pre_phv": Plain(
        "Your fastest growth spurt is still ahead of you.",
        "building skills and strength before your growth spurt",
    ),
    "youth_circa_phv": Plain(
        "You are in your fastest growth spurt, when bones can grow faster than muscles stretch.",
        "your growth spurt",
    ),
    "youth_post_phv": Plain(
        "Your fastest growth spurt is behind you.",
        "building strength now that your growth spurt is behind you",
    ),
    "growth_related_pain": Plain(
        "You have pain where your bones are growing, such as around a knee or a heel.",
        "the pain where your bones are growing",
    ),
    "pain": Plain(
        "You felt pain during some of the tests.",
        "the pain you felt during the tests",
    ),
}

# The overhead squat: squatting with your arms raised.
_SQUAT = {
    "feet_turn_out": "your feet turn out",
    "feet_flatten": "your arches flatten",
    "knees_in": "your knees move inward",
    "knees_out": "your knees move outward",
    "excessive_forward_lean": "you lean far forward",
    "low_back_arches": "your lower back arches",
    "low_back_rounds": "your lower back rounds",
    "arms_fall_forward": "your arms drift forward",
    "asymmetric_weight_shift": "you shift your weight to one side",
    "heels_rise": "your heels lift",
    "head_forward": "your head pokes forward",
}

_WALK = {
    "overpronation": "your arches flatten",
    "trendelenburg": "your hip drops on one side",
    "reduced_arm_swing": "your arms swing less than usual",
    "short_stride": "your steps are short",
    "toe_out": "your toes point out",
    "foot_slap": "your foot slaps down or your toes catch",
    "antalgic": "you spend less time on one leg",
    "wide_base": "your feet go wide or you sway",
    "shuffling": "you shuffle, or find it hard to start or turn",
    "asymmetry": "your steps differ from one side to the other",
    "slow_speed": "you walk more slowly than most people your age",
}

_FITNESS = {
    "chair_stand_30s": (
        "Standing up from a chair is harder for you than for most people your age.",
        "the strength of your legs",
    ),
    "arm_curl_30s": (
        "Your arms are less strong than most people's your age.",
        "the strength of your arms",
    ),
    "two_min_step": (
        "Your stamina is lower than most people's your age.",
        "your stamina",
    ),
    "chair_sit_reach_cm": (
        "The backs of your legs are stiffer than most people's your age.",
        "the stiffness at the back of your legs",
    ),
    "back_scratch_cm": (
        "Your shoulders are stiffer than most people's your age when you reach behind your back.",
        "the stiffness of your shoulders",
    ),
    "up_and_go_8ft_s": (
        "Getting up and walking a few steps takes you longer than most people your age.",
        "getting up and walking with ease",
    ),
    "six_min_walk_m": (
        "You walk less far in six minutes than most people your age.",
        "how far you can walk",
    ),
    "tug_s": (
        "Getting up, walking and sitting down again took you long enough to show a higher "
        "chance of a fall.",
        "your balance when you get up and walk",
    ),
    "tandem_stance_s": (
        "Standing with one foot in front of the other is hard for you to hold, which shows "
        "a higher chance of a fall.",
        "your standing balance",
    ),
}


def _squat(change: str) -> Plain:
    return Plain(
        f"{change[0].upper()}{change[1:]} when you squat.", f"the way {change} when you squat"
    )


def _walk(change: str) -> Plain:
    if change.startswith("you walk"):
        return Plain(f"{change[0].upper()}{change[1:]}.", f"the way {change}")
    return Plain(
        f"{change[0].upper()}{change[1:]} when you walk.", f"the way {change} when you walk"
    )


FINDING_PLAIN: dict[str, Plain] = {
    **_OWN,
    **{f"ohs_{code}": _squat(change) for code, change in _SQUAT.items()},
    **{f"gait_{code}": _walk(change) for code, change in _WALK.items()},
    **{f"senior_below_norm_{test}": Plain(*words) for test, words in _FITNESS.items()},
}

# What to talk over with a physician or physiotherapist, for each referral reason
# (findings.REFERRAL_REASONS), finishing the sentence "Talk to them about ...".
REFERRAL_PLAIN: dict[str, str] = {
    "parq_positive": "the health questions you answered yes to",
    "pain": "the pain you felt during the tests",
    "pelvic_floor_symptoms": "leakage, heaviness or pain in your pelvis",
    "postpartum_not_cleared": "your check-up after the birth, before you start exercising",
    "growth_related_pain": "the pain where your bones are growing",
    "fall_risk": "your balance and the way you walk, to lower the chance of a fall",
    "gait_red_flag": "the way you walk",
    "diastasis_review": "the gap along the middle of your tummy muscles (a pelvic-health "
    "physiotherapist can check it)",
    "pelvic_obliquity": "one side of your pelvis sitting higher, which needs measuring",
}


def plain_finding(code: str) -> Plain | None:
    """The client's words for a finding code, or None for a code not in the vocabulary."""
    return FINDING_PLAIN.get(code) if code in FINDING_CODES else None


def plain_referral(reason: str) -> str:
    """The client's words for a referral reason (a general phrase for an unknown one)."""
    return REFERRAL_PLAIN.get(reason, "what your specialist found")


# Words of the muscle vocabulary (assessments.muscles) that a client also uses; every other
# word of a muscle's name, and the specialist's shorthand below, is a specialist's term.
_EVERYDAY = frozenset(
    [
        "and",
        "arch",
        "band",
        "breathing",
        "complex",
        "core",
        "cuff",
        "deep",
        "external",
        "flexor",
        "flexors",
        "floor",
        "foot",
        "hamstrings",
        "head",
        "hip",
        "internal",
        "it",
        "long",
        "lower",
        "major",
        "middle",
        "minor",
        "pelvic",
        "rotator",
        "rotators",
        "short",
        "toe",
        "upper",
    ]
)
_SHORTHAND = frozenset({"lats", "tfl", "vmo", "scm", "pecs", "traps"})

SPECIALIST_TERMS: frozenset[str] = (
    frozenset(
        word
        for label, _region in MUSCLES.values()
        for word in re.findall(r"[a-z]+", label.lower())
        if word not in _EVERYDAY
    )
    | _SHORTHAND
)
