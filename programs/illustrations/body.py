"""The body model: proportions, joints and their ranges, for a side and a front/back view.

Lengths are fractions of standing height (Drillis & Contini 1966, as tabulated in Winter,
*Biomechanics and Motor Control of Human Movement*, 4th ed., ch. 4; shared/design/
illustrations.md). The split of the trunk (hip to shoulder, 0.288 H) into a lumbar and a
thoracic part, the neck, and the limb thicknesses are drawing choices, not anthropometry.
All lengths are in metres for a figure of ``HEIGHT``.
"""

from __future__ import annotations

HEIGHT = 1.70  # m: the figure's standing height; props use the same metres

# Segment lengths (fractions of HEIGHT).
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.108 * 0.8  # drawn to the knuckles' middle: a full-length hand reads as a paddle
THIGH = 0.245
SHANK = 0.246
FOOT = 0.152
ANKLE_HEIGHT = 0.039
HEEL_BEHIND_ANKLE = 0.25  # fraction of the foot behind the ankle (drawing choice)
BALL_OF_FOOT = 0.72  # fraction of the foot from the heel to the toes' joint
LUMBAR = 0.110  # hip joint to waist (drawing choice: 0.110 + 0.178 = shoulder - hip)
THORAX = 0.178  # waist to the base of the neck
SHOULDER_DROP = 0.025  # the shoulder joint sits this far below the base of the neck
NECK = 0.055
HEAD_RADIUS = 0.064  # chin 0.870 H to crown 1.0 H: about 0.13 H tall
HEAD_OFFSET = 0.056  # head pivot (top of the neck) to the head's centre
SHOULDER_HALF_WIDTH = 0.100  # joint to midline, front view (shoulder width 0.259 H outside)
HIP_HALF_WIDTH = 0.050  # hip joint to midline, front view (hip width 0.191 H outside)

# Radii (fractions of HEIGHT) at the start and end of each drawn segment: tapered capsules.
RADII = {
    "pelvis": (0.060, 0.052),
    "chest": (0.054, 0.058),
    "neck": (0.026, 0.026),
    "upper_arm": (0.027, 0.021),
    "forearm": (0.021, 0.016),
    "hand": (0.015, 0.011),
    "thigh": (0.048, 0.031),
    "shank": (0.031, 0.020),
    "foot": (0.016, 0.010),
    "toes": (0.010, 0.008),
}
# Front view: half-widths of the torso outline at hip, waist and shoulder level.
TORSO_HALF_WIDTHS = (0.098, 0.080, 0.122)

VIEWS = ("side", "front", "back")
SIDES = {"side": ("near", "far"), "front": ("left", "right"), "back": ("left", "right")}

# Joint angle ranges in degrees, by view. Trunk is the pelvis' absolute angle; the rest are
# relative to their parent segment. The authoring guide explains the signs.
SIDE_RANGES = {
    "trunk": (-180.0, 180.0),
    "lumbar": (-60.0, 100.0),
    "neck": (-70.0, 80.0),
    "head": (-40.0, 40.0),
    "shoulder": (-90.0, 200.0),
    "elbow": (0.0, 160.0),
    "wrist": (-90.0, 100.0),
    "hip": (-45.0, 160.0),
    "knee": (0.0, 165.0),
    "ankle": (-70.0, 45.0),
    "toe": (0.0, 80.0),
}
FRONT_RANGES = {
    "trunk": (-180.0, 180.0),
    "lumbar": (-50.0, 50.0),
    "neck": (-60.0, 60.0),
    "head": (-40.0, 40.0),
    "shoulder": (-60.0, 200.0),
    "elbow": (-160.0, 160.0),
    "wrist": (-90.0, 90.0),
    "hip": (-60.0, 110.0),
    "knee": (-165.0, 165.0),
    "ankle": (-60.0, 60.0),
    # Towards or away from the viewer: only shortens the upper arm or thigh as drawn.
    "shoulder_flexion": (-90.0, 90.0),
    "hip_flexion": (-30.0, 130.0),
}
TRUNK_JOINTS = ("trunk", "lumbar", "neck", "head")
LIMB_JOINTS = (
    "shoulder",
    "elbow",
    "wrist",
    "hip",
    "knee",
    "ankle",
    "toe",
    "shoulder_flexion",
    "hip_flexion",
)


def ranges(view: str) -> dict[str, tuple[float, float]]:
    """The allowed joint angles (degrees) for a view."""
    return SIDE_RANGES if view == "side" else FRONT_RANGES


def metres(fraction: float) -> float:
    """A fraction of standing height in metres."""
    return fraction * HEIGHT
