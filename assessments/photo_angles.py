"""Angles from one posture photo's landmarks (pure): shared/design/photo-landmarks.md.

``parse`` validates a landmarks document, ``measure`` computes the craniovertebral angle,
the sagittal plumb-line offsets or the frontal levels, and ``to_json`` gives the contract's
output. It only measures: no threshold, no finding. Definitions and sources follow
shared/domain/reference.md §4.1, §5.3 and §12.1.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

VIEWS = ("side", "front", "back")
FACINGS = ("left", "right")
_FRONT_AND_BACK = (
    "left_ear",
    "right_ear",
    "left_acromion",
    "right_acromion",
    "left_iliac_crest",
    "right_iliac_crest",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)
# The landmark names of each view, the client's own left and right whatever the view.
LANDMARKS: dict[str, tuple[str, ...]] = {
    "side": ("tragus", "c7", "acromion", "greater_trochanter", "knee", "lateral_malleolus"),
    "front": ("left_eye", "right_eye", "left_asis", "right_asis", *_FRONT_AND_BACK),
    "back": (*_FRONT_AND_BACK, "left_psis", "right_psis"),
}
# Each landmark in plain words (the client's own left and right), head to toe: the order in
# which the landmark tool offers them for placing.
LANDMARK_LABELS: dict[str, str] = {
    "tragus": "Ear (tragus)",
    "c7": "C7 (base of the neck)",
    "acromion": "Shoulder (acromion)",
    "greater_trochanter": "Hip (greater trochanter)",
    "knee": "Knee",
    "lateral_malleolus": "Ankle (lateral malleolus)",
    "left_ear": "Left ear",
    "right_ear": "Right ear",
    "left_eye": "Left eye",
    "right_eye": "Right eye",
    "left_acromion": "Left shoulder (acromion)",
    "right_acromion": "Right shoulder (acromion)",
    "left_iliac_crest": "Left iliac crest (top of the pelvis)",
    "right_iliac_crest": "Right iliac crest (top of the pelvis)",
    "left_asis": "Left ASIS (front of the pelvis)",
    "right_asis": "Right ASIS (front of the pelvis)",
    "left_psis": "Left PSIS (back of the pelvis)",
    "right_psis": "Right PSIS (back of the pelvis)",
    "left_knee": "Left knee",
    "right_knee": "Right knee",
    "left_ankle": "Left ankle",
    "right_ankle": "Right ankle",
}


def placing_order(view: str) -> tuple[str, ...]:
    """The landmarks of ``view`` (side, front or back) head to toe, each left before right."""
    return tuple(name for name in LANDMARK_LABELS if name in LANDMARKS[view])


CVA_DEFINITION = "angle between the horizontal through C7 and the line from C7 to the tragus"
CVA_SOURCE = "Lau-2009"  # §4.1 and §12.1 (also PostureScreen-params)
LEVEL_SOURCE = "PostureScreen-params"  # §12.1 frontal levels against the horizontal
PLUMB_SOURCE = "PostureScreen-params"  # §12.1 horizontal offsets in the side view
PLUMB_DEFINITION = (
    "horizontal offset from the vertical through the lateral malleolus, in percent of the "
    "malleolus-to-tragus height; positive is in front"
)
# Below this a level is reported as level: no side is lower (the contract's rule).
LEVEL_SIDE_MIN_DEG = 0.05

# Each level, with the pairs it can use in order of preference, per view.
_LEVEL_PAIRS: dict[str, dict[str, tuple[str, ...]]] = {
    "head_tilt": {"front": ("ear", "eye"), "back": ("ear",)},
    "shoulder_level": {"front": ("acromion",), "back": ("acromion",)},
    "pelvic_level": {"front": ("iliac_crest", "asis"), "back": ("iliac_crest", "psis")},
    "knee_level": {"front": ("knee",), "back": ("knee",)},
}
_PAIR_WORDS = {
    "ear": "ears",
    "eye": "eyes",
    "acromion": "acromions",
    "iliac_crest": "iliac crests",
    "asis": "ASIS",
    "psis": "PSIS",
    "knee": "knees",
}
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_]{1,40}")


class LandmarksError(ValueError):
    """An invalid landmarks document; ``field`` is the path of the offending field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PhotoLandmarks:
    """One photo's validated landmarks: image pixels, origin top left, y downward."""

    view: str
    facing: str | None  # side view: the way the client's face points in the image
    width: int
    height: int
    points: dict[str, tuple[float, float]]


@dataclass(frozen=True)
class Angle:
    """An angle in degrees (side view: the craniovertebral angle)."""

    code: str
    value_deg: float
    landmarks: tuple[str, ...]
    definition: str
    source: str


@dataclass(frozen=True)
class Level:
    """A frontal-plane level: the pair's line against the horizontal and the lower side."""

    code: str
    difference_deg: float
    lower_side: str | None  # "left" | "right" (the client's), None when level
    landmarks: tuple[str, str]
    definition: str
    source: str


@dataclass(frozen=True)
class PlumbOffset:
    """A landmark's offset from the plumb line, in % of the malleolus-to-tragus height."""

    landmark: str
    offset_pct: float


@dataclass(frozen=True)
class NotMeasured:
    """A measure of the view that the landmarks do not allow, and why."""

    code: str
    reason: str


@dataclass(frozen=True)
class PhotoAngles:
    """Everything one photo's landmarks measure."""

    view: str
    angles: tuple[Angle, ...] = ()
    levels: tuple[Level, ...] = ()
    plumb: tuple[PlumbOffset, ...] = ()
    not_measured: tuple[NotMeasured, ...] = ()


# --- Reading a document ------------------------------------------------------------------


def parse(document: Any) -> PhotoLandmarks:
    """Validate a landmarks document; raise LandmarksError naming the first bad field.

    Unknown top-level and ``image`` keys are ignored (the format may grow optional fields);
    an unknown landmark name is invalid. ``facing``, when given, must be left or right; only
    a side view needs and uses it.
    """
    if not isinstance(document, dict):
        raise LandmarksError("input", "must be a JSON object")
    view = document.get("view")
    if view not in VIEWS:
        raise LandmarksError("view", 'must be "side", "front" or "back"')
    facing = document.get("facing")
    if facing is None and view == "side":
        raise LandmarksError("facing", 'a side view needs "left" or "right"')
    if facing is not None and facing not in FACINGS:
        raise LandmarksError("facing", 'must be "left" or "right"')
    width, height = _image(document.get("image"))
    landmarks = document.get("landmarks")
    if not isinstance(landmarks, dict):
        raise LandmarksError("landmarks", "must be an object of name: [x, y]")
    points = {}
    for name, value in landmarks.items():
        field = _landmark_field(name)
        if name not in LANDMARKS[view]:
            raise LandmarksError(field, f"is not a landmark of a {view} view")
        points[name] = _point(field, value, width, height)
    # Facing only orients a side view; front and back views ignore it.
    return PhotoLandmarks(view, facing if view == "side" else None, width, height, points)


def _image(image: Any) -> tuple[int, int]:
    if not isinstance(image, dict):
        raise LandmarksError("image", "must be an object with width and height")
    sizes = []
    for key in ("width", "height"):
        value = image.get(key)
        if not _is_int(value) or value <= 0:
            raise LandmarksError(f"image.{key}", "must be a positive whole number of pixels")
        sizes.append(value)
    return sizes[0], sizes[1]


def _landmark_field(name: Any) -> str:
    # A name from the input is quoted when unusual, so the error stays one short line.
    if isinstance(name, str) and _PLAIN_NAME.fullmatch(name):
        return f"landmarks.{name}"
    shown = str(name)[:40].encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return f'landmarks["{shown}"]'


def _point(field: str, value: Any, width: int, height: int) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise LandmarksError(field, "must be [x, y]")
    coordinates = []
    for axis, number, size in zip("xy", value, (width, height), strict=True):
        if not _is_number(number):
            raise LandmarksError(field, f"{axis} must be a finite number")
        if not 0 <= number <= size:
            limit = "image.width" if axis == "x" else "image.height"
            raise LandmarksError(field, f"{axis} must be inside the image (0 to {limit})")
        try:
            coordinates.append(float(number))
        except OverflowError:
            raise LandmarksError(field, f"{axis} must be a finite number") from None
    return coordinates[0], coordinates[1]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return _is_int(value)


# --- Measuring ------------------------------------------------------------------------------


def measure(landmarks: PhotoLandmarks) -> PhotoAngles:
    """The angles, levels and plumb offsets the view's landmarks allow; never raises."""
    if landmarks.view == "side":
        return _side(landmarks)
    return _frontal(landmarks)


def _side(landmarks: PhotoLandmarks) -> PhotoAngles:
    points = landmarks.points
    facing = 1.0 if landmarks.facing == "right" else -1.0
    angles, not_measured = [], []
    tragus, c7 = points.get("tragus"), points.get("c7")
    if tragus is None or c7 is None:
        not_measured.append(NotMeasured("cva", "needs tragus and c7"))
    elif tragus == c7:
        not_measured.append(NotMeasured("cva", "tragus and c7 coincide"))
    else:
        value = math.degrees(math.atan2(c7[1] - tragus[1], facing * (tragus[0] - c7[0])))
        angles.append(Angle("cva", value, ("tragus", "c7"), CVA_DEFINITION, CVA_SOURCE))
    plumb, reason = _plumb(points, facing)
    if reason:
        not_measured.append(NotMeasured("plumb", reason))
    return PhotoAngles("side", tuple(angles), (), plumb, tuple(not_measured))


def _plumb(points: dict, facing: float) -> tuple[tuple[PlumbOffset, ...], str | None]:
    malleolus, tragus = points.get("lateral_malleolus"), points.get("tragus")
    if malleolus is None or tragus is None:
        return (), "needs lateral_malleolus and tragus"
    height = abs(malleolus[1] - tragus[1])
    if height == 0:
        return (), "lateral_malleolus and tragus are at the same height"
    offsets = []
    for name in LANDMARKS["side"]:
        if name == "lateral_malleolus" or name not in points:
            continue
        pct = 100.0 * facing * (points[name][0] - malleolus[0]) / height
        if not math.isfinite(pct):
            return (), "lateral_malleolus and tragus are too close in height to measure"
        offsets.append(PlumbOffset(name, pct))
    return tuple(offsets), None


def _frontal(landmarks: PhotoLandmarks) -> PhotoAngles:
    levels, not_measured = [], []
    for code, by_view in _LEVEL_PAIRS.items():
        result = _level(code, by_view[landmarks.view], landmarks.points)
        (levels if isinstance(result, Level) else not_measured).append(result)
    return PhotoAngles(landmarks.view, (), tuple(levels), (), tuple(not_measured))


def _level(code: str, parts: tuple[str, ...], points: dict) -> Level | NotMeasured:
    # The first pair of which both points are placed: ears else eyes, crests else ASIS/PSIS.
    placed = [part for part in parts if f"left_{part}" in points and f"right_{part}" in points]
    if not placed:
        needs = ", or ".join(f"left_{part} and right_{part}" for part in parts)
        return NotMeasured(code, f"needs {needs}")
    part = placed[0]
    left_name, right_name = f"left_{part}", f"right_{part}"
    left, right = points[left_name], points[right_name]
    if left == right:
        return NotMeasured(code, f"{left_name} and {right_name} coincide")
    if left[0] == right[0]:
        return NotMeasured(code, f"{left_name} and {right_name} are on one vertical line")
    difference = math.degrees(math.atan2(abs(left[1] - right[1]), abs(left[0] - right[0])))
    lower = None
    if difference >= LEVEL_SIDE_MIN_DEG:
        lower = "left" if left[1] > right[1] else "right"  # y grows downward
    definition = f"angle between the horizontal and the line through the {_PAIR_WORDS[part]}"
    return Level(code, difference, lower, (left_name, right_name), definition, LEVEL_SOURCE)


# --- Output ----------------------------------------------------------------------------------


def to_json(angles: PhotoAngles) -> dict:
    """The contract's output: view, angles, levels, plumb, not_measured; one decimal."""
    return {
        "view": angles.view,
        "angles": [
            {
                "code": a.code,
                "value_deg": _one_decimal(a.value_deg),
                "landmarks": list(a.landmarks),
                "definition": a.definition,
                "source": a.source,
            }
            for a in angles.angles
        ],
        "levels": [
            {
                "code": level.code,
                "difference_deg": _one_decimal(level.difference_deg),
                "lower_side": level.lower_side,
                "landmarks": list(level.landmarks),
                "definition": level.definition,
                "source": level.source,
            }
            for level in angles.levels
        ],
        "plumb": [
            {
                "landmark": p.landmark,
                "offset_pct": _one_decimal(p.offset_pct),
                "definition": PLUMB_DEFINITION,
                "source": PLUMB_SOURCE,
            }
            for p in angles.plumb
        ],
        "not_measured": [{"code": n.code, "reason": n.reason} for n in angles.not_measured],
    }


def photo_angles(document: Any) -> dict:
    """A landmarks document in, the contract's output out (the command and the page)."""
    return to_json(measure(parse(document)))


def _one_decimal(value: float) -> float:
    return round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
