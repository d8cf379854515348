"""Muscle and movement-pattern vocabulary shared by findings, rule tables and the exercise library.

Ids are stable (data files refer to them); labels are what a specialist reads.
"""

# id -> (label, body region id from findings.REGIONS)
MUSCLES: dict[str, tuple[str, str]] = {
    "soleus": ("Soleus", "feet_ankles"),
    "gastrocnemius": ("Gastrocnemius", "feet_ankles"),
    "lateral_gastrocnemius": ("Lateral gastrocnemius", "feet_ankles"),
    "medial_gastrocnemius": ("Medial gastrocnemius", "feet_ankles"),
    "peroneals": ("Peroneals (fibularis)", "feet_ankles"),
    "anterior_tibialis": ("Anterior tibialis", "feet_ankles"),
    "posterior_tibialis": ("Posterior tibialis", "feet_ankles"),
    "toe_flexors": ("Long toe flexors", "feet_ankles"),
    "foot_intrinsics": ("Foot intrinsics (arch)", "feet_ankles"),
    "biceps_femoris_short_head": ("Biceps femoris (short head)", "knees"),
    "biceps_femoris": ("Biceps femoris", "knees"),
    "hamstrings": ("Hamstrings", "lumbo_pelvic_hip"),
    "medial_hamstrings": ("Medial hamstrings", "knees"),
    "vastus_lateralis": ("Vastus lateralis", "knees"),
    "vmo": ("Vastus medialis oblique", "knees"),
    "gracilis": ("Gracilis", "knees"),
    "sartorius": ("Sartorius", "knees"),
    "popliteus": ("Popliteus", "knees"),
    "adductors": ("Adductor complex", "lumbo_pelvic_hip"),
    "adductor_magnus": ("Adductor magnus", "lumbo_pelvic_hip"),
    "tfl": ("Tensor fasciae latae / IT band", "lumbo_pelvic_hip"),
    "piriformis": ("Piriformis", "lumbo_pelvic_hip"),
    "hip_external_rotators": ("Hip external rotators", "lumbo_pelvic_hip"),
    "gluteus_medius": ("Gluteus medius", "lumbo_pelvic_hip"),
    "gluteus_minimus": ("Gluteus minimus", "lumbo_pelvic_hip"),
    "gluteus_maximus": ("Gluteus maximus", "lumbo_pelvic_hip"),
    "hip_flexors": ("Hip flexor complex (iliopsoas, rectus femoris)", "lumbo_pelvic_hip"),
    "rectus_femoris": ("Rectus femoris", "lumbo_pelvic_hip"),
    "erector_spinae": ("Erector spinae", "lumbo_pelvic_hip"),
    "rectus_abdominis": ("Rectus abdominis", "abdomen_pelvic_floor"),
    "external_obliques": ("External obliques", "abdomen_pelvic_floor"),
    "intrinsic_core": (
        "Intrinsic core stabilizers (transversus abdominis, multifidus, internal oblique)",
        "abdomen_pelvic_floor",
    ),
    "pelvic_floor": ("Pelvic floor", "abdomen_pelvic_floor"),
    "diaphragm": ("Diaphragm (breathing)", "abdomen_pelvic_floor"),
    "latissimus_dorsi": ("Latissimus dorsi", "thoracic_spine"),
    "teres_major": ("Teres major", "shoulders"),
    "pectorals": ("Pectoralis major and minor", "shoulders"),
    "upper_trapezius": ("Upper trapezius", "shoulders"),
    "middle_lower_trapezius": ("Middle and lower trapezius", "shoulders"),
    "rhomboids": ("Rhomboids", "shoulders"),
    "serratus_anterior": ("Serratus anterior", "shoulders"),
    "rotator_cuff": ("Rotator cuff", "shoulders"),
    "thoracic_extensors": ("Thoracic extensors", "thoracic_spine"),
    "levator_scapulae": ("Levator scapulae", "head_neck"),
    "scm": ("Sternocleidomastoid", "head_neck"),
    "scalenes": ("Scalenes", "head_neck"),
    "suboccipitals": ("Suboccipitals", "head_neck"),
    "deep_cervical_flexors": ("Deep cervical flexors", "head_neck"),
    "hip_internal_rotators": ("Hip internal rotators", "lumbo_pelvic_hip"),
}

# Integrated movement patterns for the integrate phase.
PATTERNS: dict[str, str] = {
    "squat": "Squat",
    "hinge": "Hip hinge",
    "lunge": "Lunge / split stance",
    "push": "Push",
    "pull": "Pull / row",
    "overhead_reach": "Overhead reach",
    "single_leg_balance": "Single-leg balance",
    "gait": "Walking / gait",
    "rotation": "Rotation / anti-rotation",
    "sit_to_stand": "Sit to stand",
    "carry": "Carry",
    "locomotion": "Run, skip, hop (motor skills)",
    "breathing": "Breathing and pressure management",
}


def muscle_label(muscle_id: str) -> str:
    """The display name of a muscle id, or the id itself when unknown."""
    return MUSCLES.get(muscle_id, (muscle_id.replace("_", " "), ""))[0]


def muscle_region(muscle_id: str) -> str:
    """The body region a muscle belongs to (findings.REGIONS), or "whole_body"."""
    return MUSCLES.get(muscle_id, ("", "whole_body"))[1]
