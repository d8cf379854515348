"""What a specialist can observe, as data: static posture, overhead squat and gait (pure).

Muscle lists are screening hypotheses ("probably overactive / underactive"), never a
diagnosis. Muscle ids come from ``assessments.muscles``; source ids and status tags
(C, C2, U) from ``shared/domain/reference.md`` (§ numbers below).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Static posture -------------------------------------------------------------------

# Kinetic-chain checkpoints, in the order a specialist looks (feet up), with a region id
# from findings.REGIONS.
CHECKPOINTS: dict[str, tuple[str, str]] = {
    "feet_ankles": ("Feet and ankles", "feet_ankles"),
    "knees": ("Knees", "knees"),
    "lumbo_pelvic_hip": ("Lumbo-pelvic-hip complex", "lumbo_pelvic_hip"),
    "shoulders": ("Shoulders and upper back", "shoulders"),
    "head_neck": ("Head and neck", "head_neck"),
}


@dataclass(frozen=True)
class PostureDeviation:
    """A static-posture deviation seen at one checkpoint, and what it probably means."""

    code: str
    label: str
    checkpoint: str
    region: str
    overactive: tuple[str, ...]
    underactive: tuple[str, ...]
    source: str
    status: str
    finding: str | None = None  # the case-format finding code it maps to, if any
    per_side: bool = False


_POSTURE = (
    PostureDeviation(
        "feet_flatten",
        "Feet flatten (arches collapse)",
        "feet_ankles",
        "feet_ankles",
        ("peroneals", "lateral_gastrocnemius", "soleus"),
        ("anterior_tibialis", "posterior_tibialis"),
        "NFPT-LED, PaloAlto-PDS",  # §1.2 feet flatten, §3 pronation distortion
        "C2",
        per_side=True,
    ),
    PostureDeviation(
        "feet_turn_out",
        "Feet turn out",
        "feet_ankles",
        "feet_ankles",
        ("soleus", "lateral_gastrocnemius", "biceps_femoris_short_head"),
        ("medial_gastrocnemius", "medial_hamstrings", "gracilis", "sartorius", "popliteus"),
        "Quizlet-7.6",  # §1.2 feet turn out; the same checkpoint standing still
        "C2",
        per_side=True,
    ),
    PostureDeviation(
        "knees_in",
        "Knees turn in (knock-knee, valgus)",
        "knees",
        "knees",
        ("adductors", "biceps_femoris_short_head", "tfl", "vastus_lateralis"),
        ("gluteus_medius", "gluteus_maximus", "vmo"),
        "Quizlet-7.6, PaloAlto-PDS",  # §1.2 knees move inward, §3
        "C2",
        per_side=True,
    ),
    PostureDeviation(
        "knees_out",
        "Knees bow out (varus)",
        "knees",
        "knees",
        ("piriformis", "biceps_femoris", "tfl", "gluteus_minimus"),
        ("adductors", "medial_hamstrings", "gluteus_maximus"),
        "Examzify-lateral",  # §1.2 knees move outward: NASM CES list, partial support only
        "U",
        per_side=True,
    ),
    PostureDeviation(
        "anterior_pelvic_tilt",
        "Pelvis tilts forward (anterior pelvic tilt)",
        "lumbo_pelvic_hip",
        "lumbo_pelvic_hip",
        ("hip_flexors", "tfl", "erector_spinae"),
        ("intrinsic_core", "gluteus_maximus"),
        "NETA-LCS, Coach-lordosis",  # §3 lower crossed
        "C2",
        finding="anterior_pelvic_tilt",
    ),
    PostureDeviation(
        "increased_lumbar_lordosis",
        "Low back arches more than usual (increased lumbar curve)",
        "lumbo_pelvic_hip",
        "lumbo_pelvic_hip",
        ("hip_flexors", "erector_spinae"),
        ("intrinsic_core", "gluteus_maximus"),
        "NETA-LCS, Coach-lordosis",  # §3 lower crossed
        "C2",
    ),
    PostureDeviation(
        # The reference gives no muscle list for a standing posterior tilt (§5); the
        # overhead-squat "low back rounds" list is NASM CES only (U), so none is borrowed.
        "posterior_pelvic_tilt",
        "Pelvis tucks under (posterior pelvic tilt)",
        "lumbo_pelvic_hip",
        "lumbo_pelvic_hip",
        (),
        (),
        "Herrington-2011",  # §5.2: 6-7 % of young adults stand in posterior tilt
        "C",
        finding="posterior_pelvic_tilt",
    ),
    PostureDeviation(
        "pelvic_obliquity",
        "One hip higher than the other (pelvic obliquity, hip hike)",
        "lumbo_pelvic_hip",
        "lumbo_pelvic_hip",
        (),
        (),
        "PMC6151938, Applebaum-2021",  # §5.3: refer for measurement, not exercise alone
        "C",
        finding="pelvic_asymmetry",
        per_side=True,
    ),
    PostureDeviation(
        "rounded_shoulders",
        "Rounded (protracted) shoulders",
        "shoulders",
        "shoulders",
        ("pectorals",),
        ("middle_lower_trapezius", "rhomboids", "serratus_anterior"),
        "Physiopedia-UCS, YJ-UCS",  # §3 upper crossed
        "C2",
    ),
    PostureDeviation(
        "elevated_shoulders",
        "Shoulders elevated",
        "shoulders",
        "shoulders",
        ("upper_trapezius", "levator_scapulae", "scm"),
        ("middle_lower_trapezius",),
        "Quizlet-7.6, Physiopedia-UCS",  # §1.2 shoulders elevate, §3 upper crossed
        "C2",
        per_side=True,
    ),
    PostureDeviation(
        "scapular_winging",
        "Shoulder blades wing",
        "shoulders",
        "shoulders",
        ("pectorals",),
        ("serratus_anterior", "middle_lower_trapezius"),
        "Physiopedia-UCS",  # §3 upper crossed
        "C2",
        per_side=True,
    ),
    PostureDeviation(
        "increased_thoracic_kyphosis",
        "Rounded upper back (increased thoracic curve)",
        "shoulders",
        "thoracic_spine",
        ("pectorals",),
        ("middle_lower_trapezius", "rhomboids"),
        "Physiopedia-UCS, PostureGeek",  # §3 upper crossed
        "C2",
    ),
    PostureDeviation(
        "forward_head",
        "Head sits forward of the shoulders",
        "head_neck",
        "head_neck",
        ("upper_trapezius", "scm", "levator_scapulae", "suboccipitals", "scalenes"),
        ("deep_cervical_flexors",),
        "Quizlet-7.6, Physiopedia-UCS",  # §1.2 head protrudes forward, §3 upper crossed
        "C2",
        finding="forward_head_posture",
    ),
)

POSTURE_DEVIATIONS: dict[str, PostureDeviation] = {d.code: d for d in _POSTURE}
POSTURE_BY_CHECKPOINT: dict[str, tuple[PostureDeviation, ...]] = {
    checkpoint: tuple(d for d in _POSTURE if d.checkpoint == checkpoint)
    for checkpoint in CHECKPOINTS
}


# --- Postural distortion patterns (§3) --------------------------------------------------


@dataclass(frozen=True)
class PatternRule:
    """A distortion pattern is flagged when every group has at least one sign present.

    Signs are namespaced: ``posture:<code>`` (static observation), ``ohs:<code>``,
    ``gait:<code>`` and ``finding:<code>`` (a finding made from a measurement).
    """

    code: str
    label: str
    region: str
    groups: tuple[tuple[str, ...], ...]
    overactive: tuple[str, ...]
    underactive: tuple[str, ...]
    source: str
    why: str


PATTERNS: tuple[PatternRule, ...] = (
    PatternRule(
        "upper_crossed_pattern",
        "Upper crossed pattern",
        "shoulders",
        groups=(
            ("posture:forward_head", "finding:forward_head_posture"),
            (
                "posture:rounded_shoulders",
                "posture:elevated_shoulders",
                "posture:scapular_winging",
                "posture:increased_thoracic_kyphosis",
            ),
        ),
        overactive=(
            "upper_trapezius",
            "levator_scapulae",
            "pectorals",
            "scm",
            "suboccipitals",
            "scalenes",
        ),
        underactive=(
            "deep_cervical_flexors",
            "middle_lower_trapezius",
            "rhomboids",
            "serratus_anterior",
            "rotator_cuff",
        ),
        source="Physiopedia-UCS, YJ-UCS, PostureGeek",
        why="a forward head together with a shoulder-girdle sign (Janda's upper crossed pattern)",
    ),
    PatternRule(
        "lower_crossed_pattern",
        "Lower crossed pattern",
        "lumbo_pelvic_hip",
        # Two independent signs: a tilt alone is common in healthy people (85 % of men,
        # 75 % of women, Herrington-2011) and does not track lordosis (Youdas-1996), so it
        # must be backed by a lordosis sign or the squat's arching low back (§5.2).
        groups=(
            ("posture:anterior_pelvic_tilt", "finding:anterior_pelvic_tilt"),
            ("posture:increased_lumbar_lordosis", "ohs:low_back_arches"),
        ),
        overactive=("hip_flexors", "rectus_femoris", "tfl", "erector_spinae"),
        underactive=("intrinsic_core", "gluteus_maximus", "gluteus_medius"),
        source="NETA-LCS, Coach-lordosis, PostureGeek",
        why="an anterior pelvic tilt backed by a second sign of an arched low back "
        "(Janda's lower crossed pattern)",
    ),
    PatternRule(
        "pronation_distortion_pattern",
        "Pronation distortion pattern",
        "feet_ankles",
        # Overpronation in gait is "part of pronation distortion syndrome" (§11).
        groups=(
            ("posture:feet_flatten", "gait:overpronation"),
            ("posture:knees_in",),
        ),
        overactive=(
            "gastrocnemius",
            "soleus",
            "peroneals",
            "adductors",
            "tfl",
            "hip_flexors",
            "biceps_femoris",
        ),
        underactive=(
            "anterior_tibialis",
            "posterior_tibialis",
            "vmo",
            "gluteus_medius",
            "gluteus_maximus",
            "hip_external_rotators",
        ),
        source="PaloAlto-PDS, NASM-blog-PDS",
        why="flat feet together with knees turning in (NASM pronation distortion)",
    ),
)


# --- Overhead squat (§1.2) ----------------------------------------------------------------

VIEWS: dict[str, str] = {
    "anterior": "front view",
    "lateral": "side view",
    "posterior": "back view",
}


@dataclass(frozen=True)
class OhsCompensation:
    """An overhead-squat compensation, the view it is seen from and what it probably means."""

    code: str  # one of findings.OHS_COMPENSATIONS
    label: str
    view: str
    per_side: bool
    region: str
    overactive: tuple[str, ...]
    underactive: tuple[str, ...]
    source: str
    status: str
    note: str = ""  # side detail or caveat the muscle lists cannot carry


_OHS = (
    OhsCompensation(
        "feet_turn_out",
        "Feet turn out",
        "anterior",
        True,
        "feet_ankles",
        ("soleus", "lateral_gastrocnemius", "biceps_femoris_short_head", "tfl"),
        (
            "medial_gastrocnemius",
            "medial_hamstrings",
            "gracilis",
            "sartorius",
            "popliteus",
            "gluteus_medius",
            "gluteus_maximus",
        ),
        "Quizlet-7.6, Scribd-NASM-OHS",
        "C2",
    ),
    OhsCompensation(
        # NASM CES also lists medial gastrocnemius and gluteus medius (U); only the
        # confirmed NFPT list is kept.
        "feet_flatten",
        "Feet flatten",
        "anterior",
        True,
        "feet_ankles",
        ("peroneals", "lateral_gastrocnemius", "soleus", "toe_flexors"),
        ("anterior_tibialis", "posterior_tibialis"),
        "NFPT-LED",
        "C",
    ),
    OhsCompensation(
        "knees_in",
        "Knees move inward",
        "anterior",
        True,
        "knees",
        ("adductors", "biceps_femoris_short_head", "tfl", "vastus_lateralis"),
        ("gluteus_medius", "gluteus_maximus", "vmo"),
        "Quizlet-7.6, OEP-SLS, Barbell-SLS",
        "C2",
    ),
    OhsCompensation(
        "knees_out",
        "Knees move outward",
        "anterior",
        True,
        "knees",
        ("piriformis", "biceps_femoris", "tfl", "gluteus_minimus"),
        ("adductors", "medial_hamstrings", "gluteus_maximus"),
        "Examzify-lateral",
        "U",
        note="The muscle list is NASM CES with only partial published support: verify.",
    ),
    OhsCompensation(
        "excessive_forward_lean",
        "Excessive forward lean",
        "lateral",
        False,
        "lumbo_pelvic_hip",
        ("soleus", "gastrocnemius", "hip_flexors", "rectus_abdominis", "external_obliques"),
        ("anterior_tibialis", "gluteus_maximus", "erector_spinae"),
        "Quizlet-7.6, NASM-pod10",
        "C2",
    ),
    OhsCompensation(
        "low_back_arches",
        "Low back arches",
        "lateral",
        False,
        "lumbo_pelvic_hip",
        ("hip_flexors", "erector_spinae", "latissimus_dorsi"),
        ("gluteus_maximus", "hamstrings", "intrinsic_core", "pelvic_floor"),
        "Quizlet-7.6, NASM-pod10",
        "C2",
    ),
    OhsCompensation(
        "low_back_rounds",
        "Low back rounds",
        "lateral",
        False,
        "lumbo_pelvic_hip",
        ("hamstrings", "adductor_magnus", "rectus_abdominis", "external_obliques"),
        (
            "gluteus_maximus",
            "erector_spinae",
            "intrinsic_core",
            "hip_flexors",
            "latissimus_dorsi",
        ),
        "NASM-CES",  # reference §1.2 quotes it without a retrieved copy (status U)
        "U",
        note="The muscle list is from the NASM CES manual and was not confirmed: verify.",
    ),
    OhsCompensation(
        "arms_fall_forward",
        "Arms fall forward",
        "lateral",
        False,
        "shoulders",
        ("latissimus_dorsi", "teres_major", "pectorals"),
        ("middle_lower_trapezius", "rhomboids", "rotator_cuff"),
        "Quizlet-7.6, FreeCram-NASM, Luthi",
        "C2",
    ),
    OhsCompensation(
        # Side = the side the weight shifts towards. The lists merge both sides; where a
        # muscle is listed for both (gluteus medius, adductors) the shift side wins and
        # the other side's role is given in the note.
        "asymmetric_weight_shift",
        "Weight shifts to one side",
        "posterior",
        True,
        "lumbo_pelvic_hip",
        ("adductors", "tfl", "gastrocnemius", "soleus", "piriformis", "biceps_femoris"),
        ("gluteus_medius", "anterior_tibialis"),
        "NASM-blog-hipshift, ISSA-AWS",
        "C2",
        note="On the side the weight shifts to, the adductors and TFL are probably "
        "overactive and gluteus medius underactive; on the other side, calf, piriformis, "
        "biceps femoris and gluteus medius are probably overactive and the adductors and "
        "anterior tibialis underactive.",
    ),
    OhsCompensation(
        "heels_rise",
        "Heels rise",
        "posterior",
        True,
        "feet_ankles",
        ("soleus", "gastrocnemius"),
        ("anterior_tibialis",),
        "Payne-UO, ISSA-examzify",
        "C",
    ),
    OhsCompensation(
        "head_forward",
        "Head protrudes forward",
        "lateral",
        False,
        "head_neck",
        ("upper_trapezius", "scm", "levator_scapulae"),
        ("deep_cervical_flexors",),
        "Quizlet-7.6, OEP-SLS",
        "C2",
    ),
)

OHS: dict[str, OhsCompensation] = {c.code: c for c in _OHS}


# --- Gait (§11) -----------------------------------------------------------------------------

# How strongly the reference asks for referral: "always", "refer", "conditional" (refer
# only in the circumstances given), or None (no referral on its own).
ALWAYS_REFER = "always"
REFER = "refer"
REFER_IF = "conditional"


@dataclass(frozen=True)
class GaitDeviation:
    """A gait deviation, what it is usually linked to, and when the reference says refer."""

    code: str
    label: str
    region: str
    linked_to: str  # screening hypotheses, in plain words
    overactive: tuple[str, ...]
    underactive: tuple[str, ...]
    refer: str | None
    refer_when: str
    source: str
    status: str
    # Listed by STEADI among the TUG observations that point to fall risk (§6.2, §9.3).
    fall_risk_sign: bool = False
    # A limp in a client under 18 is a youth red flag (§8.4, §9.3: possible slipped capital
    # femoral epiphysis), whatever the other conditions: refer, never correct.
    refer_in_youth: bool = False


_GAIT = (
    GaitDeviation(
        "overpronation",
        "Overpronation (feet flatten when walking)",
        "feet_ankles",
        "a weak posterior tibialis and arch, tight calves and peroneals; part of the "
        "pronation distortion pattern",
        ("gastrocnemius", "soleus", "peroneals"),
        ("posterior_tibialis", "foot_intrinsics"),
        REFER_IF,
        "if painful, changing quickly, or collapsing on one side only",
        "FreezingBlue-gait, PaloAlto-PDS",
        "C2",
    ),
    GaitDeviation(
        "trendelenburg",
        "Trendelenburg (pelvis drops on the swing side)",
        "lumbo_pelvic_hip",
        "weak hip abductors of the stance leg; occasionally a nerve or lumbar problem",
        (),
        ("gluteus_medius", "gluteus_minimus"),
        REFER_IF,
        "if it is new, comes with back or leg symptoms, or is seen in an adolescent "
        "(possible slipped capital femoral epiphysis)",
        "Scribd-Trendelenburg, Coggle-gait, MSD-SCFE",
        "C2",
        refer_in_youth=True,
    ),
    GaitDeviation(
        "reduced_arm_swing",
        "Reduced or absent arm swing",
        "shoulders",
        "thoracic or shoulder stiffness, guarding; with shuffling and slow turns it can be "
        "a sign of Parkinsonism",
        (),
        (),
        REFER_IF,
        "if it is on both sides with shuffling or freezing, or a new reduction on one side",
        "STEADI-TUG, Coggle-gait",
        "C2",
        fall_risk_sign=True,
    ),
    GaitDeviation(
        "short_stride",
        "Short stride",
        "lumbo_pelvic_hip",
        "limited hip extension (tight hip flexors), pain, weakness or fear of falling",
        ("hip_flexors",),
        (),
        REFER_IF,
        "if seen with a TUG of 12 s or more, or with a history of falls",
        "STEADI-TUG, FreezingBlue-gait",
        "C",
        fall_risk_sign=True,
    ),
    GaitDeviation(
        "toe_out",
        "Toes point out",
        "feet_ankles",
        "tight hip external rotators and calves, weak hip internal rotators, or bony "
        "(femoral) shape",
        ("hip_external_rotators", "gastrocnemius", "soleus"),
        ("hip_internal_rotators",),
        REFER_IF,
        "if painful, or asymmetric after an injury",
        "FreezingBlue-gait",
        "C",
    ),
    GaitDeviation(
        "foot_slap",
        "Foot slap, toe drag or high-stepping gait",
        "feet_ankles",
        "weak ankle dorsiflexors from a peroneal nerve or L5 nerve-root problem",
        (),
        ("anterior_tibialis",),
        ALWAYS_REFER,
        "always",
        "FreezingBlue-gait, Coggle-gait",
        "C2",
    ),
    GaitDeviation(
        "antalgic",
        "Antalgic gait (short stance on one side)",
        "whole_body",
        "pain on the side with the short stance",
        (),
        (),
        REFER_IF,
        "unless the cause of the pain is known and managed; in a client under 18 always "
        "(a limp is a youth red flag)",
        "Coggle-gait, AAFP-SCFE",
        "C",
        refer_in_youth=True,
    ),
    GaitDeviation(
        "wide_base",
        "Wide base or lurching",
        "whole_body",
        "a balance or cerebellar problem, or general weakness",
        (),
        (),
        REFER,
        "always",
        "Coggle-gait, FreezingBlue-gait",
        "C",
        fall_risk_sign=True,
    ),
    GaitDeviation(
        "shuffling",
        "Shuffling, freezing or turning en bloc",
        "whole_body",
        "a neurological problem such as Parkinsonism",
        (),
        (),
        REFER,
        "always",
        "STEADI-TUG, MSD-gait",
        "C2",
        fall_risk_sign=True,
    ),
    GaitDeviation(
        "asymmetry",
        "Left-right asymmetry or very variable step rhythm",
        "whole_body",
        "a one-sided musculoskeletal or neurological problem; variability can mean a "
        "breakdown of motor control or a medication effect",
        (),
        (),
        REFER,
        "always",
        "MSD-gait",
        "C",
    ),
    GaitDeviation(
        "slow_speed",
        "Slow walking speed",
        "whole_body",
        "reduced capacity; below 1.0 m/s usual pace marks a high risk of limitation, and "
        "below 0.76 m/s separates fallers from non-fallers",
        (),
        (),
        None,
        "not on its own; read it with the TUG",
        "Cesari-2005, PMC4912425",
        "C2",
        fall_risk_sign=True,
    ),
)

GAIT: dict[str, GaitDeviation] = {g.code: g for g in _GAIT}
