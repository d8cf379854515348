"""Landmark suggestions from a pose model that runs offline (issue 18). No Django.

The model is BlazePose GHUM 3D "full" (Google, Apache-2.0), taken from MediaPipe 0.10.21's
wheel by ``manage.py fetch_pose_model`` at install time and run with LiteRT on the CPU.
Without MediaPipe's person detector, the landmark model looks twice: at the whole photo,
padded to a square, then at the square MediaPipe itself would crop around the body from
that first look (centred on the model's body-centre point, 1.25 times the body's extent).

``suggest`` turns the model's keypoints into the photo's landmarks. The model has ears,
eyes, shoulders, hips, knees and ankles; it has no tragus, C7, ASIS, iliac crest or PSIS,
so those are never suggested. In a side view the ear's centre is only a proxy for the
tragus: it is returned apart, as a guide, and never becomes the tragus (the CVA needs the
tragus and C7, both placed by hand).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

MODEL_FILE = "pose_landmark_full.tflite"
MODEL_SHA256 = "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"
LICENCE_FILE = "LICENSE"
NOTICE_FILE = "NOTICE.txt"
MODEL_NAME = "BlazePose GHUM 3D full (MediaPipe 0.10.21)"

INPUT_SIDE = 256  # the model's input: 256 x 256 RGB, values 0 to 1
KEYPOINT_COUNT = 39  # 33 body keypoints, then the points MediaPipe crops the body by
BODY_CENTRE, BODY_EXTENT = 33, 34
CROP_MARGIN = 1.25  # MediaPipe's own margin around the body (pose_landmark_by_roi)
# BlazePose's keypoints that photo landmarks can use, by their index in the output.
KEYPOINTS = {
    "left_eye": 2,
    "right_eye": 5,
    "left_ear": 7,
    "right_ear": 8,
    "left_shoulder": 11,
    "right_shoulder": 12,
    "left_hip": 23,
    "right_hip": 24,
    "left_knee": 25,
    "right_knee": 26,
    "left_ankle": 27,
    "right_ankle": 28,
}
# A practice default, not a published figure: keypoints the model itself rates less likely
# visible than this are not suggested (the specialist places them).
MIN_VISIBILITY = 0.5

# Photo landmark <- BlazePose body part, per view. Side views use the part of the side
# turned to the camera (the one the model sees better); front and back views assign each
# pair by where it is in the image, so that a model unsure of the facing cannot swap them.
SIDE_PARTS = {
    "acromion": "shoulder",
    "greater_trochanter": "hip",
    "knee": "knee",
    "lateral_malleolus": "ankle",
}
PAIR_PARTS = {"front": ("eye", "ear", "shoulder", "knee", "ankle"),
              "back": ("ear", "shoulder", "knee", "ankle")}  # fmt: skip
LANDMARK_OF_PART = {"eye": "eye", "ear": "ear", "shoulder": "acromion", "knee": "knee",
                    "ankle": "ankle"}  # fmt: skip
# What a suggestion stands for when it is not the landmark itself: the page says so.
PROXY_NOTES = {
    "tragus": "the centre of the ear from the pose model, a guide only: the tragus is the "
    "small flap just in front of it; place it by hand",
    "acromion": "the shoulder joint's centre: check that it sits on the acromion",
    "greater_trochanter": "the hip joint's centre: check that it sits on the greater trochanter",
    "lateral_malleolus": "the ankle joint's centre: check that it sits on the outer ankle bone",
}
NEVER_SUGGESTED = ("tragus", "c7", "asis", "iliac_crest", "psis")  # no pose model has them


def _part(landmark: str) -> str:
    return landmark.removeprefix("left_").removeprefix("right_")


def proxy_notes(names) -> dict[str, str]:
    """What the model's point stands for, for each of ``names`` where it is only a proxy."""
    return {name: PROXY_NOTES[_part(name)] for name in names if _part(name) in PROXY_NOTES}


def never_suggested(names) -> list[str]:
    """Those of ``names`` that no pose model has: always placed by hand."""
    return [name for name in names if _part(name) in NEVER_SUGGESTED]


@dataclass(frozen=True)
class Keypoint:
    x: float  # image pixels
    y: float
    visibility: float  # 0 to 1, the model's own estimate


@dataclass(frozen=True)
class Suggestions:
    """Landmarks the model proposes ({name: (x, y)}) and proxies shown only as guides."""

    landmarks: dict[str, tuple[float, float]]
    guides: dict[str, tuple[float, float]]

    def as_dict(self) -> dict:
        rounded = lambda points: {k: [round(x, 1), round(y, 1)] for k, (x, y) in points.items()}  # noqa: E731
        return {"landmarks": rounded(self.landmarks), "guides": rounded(self.guides)}


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


class PoseModel:
    """The landmark model, loaded once; ``keypoints`` is safe to call from several threads."""

    def __init__(self, path: Path):
        from ai_edge_litert.interpreter import Interpreter  # heavy: only when suggesting

        self._interpreter = Interpreter(model_path=str(path), num_threads=1)
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = {d["name"]: d["index"] for d in self._interpreter.get_output_details()}
        self._lock = threading.Lock()

    def _look(self, image: Image.Image, box: tuple[float, float, float, float]):
        """The model's 39 keypoints (x, y, visibility) for the square ``box`` of the image,
        in image pixels (a numpy array)."""
        import numpy as np  # with the runtime: pages that only read suggestions skip both

        left, top, right, bottom = (round(v) for v in box)
        crop = image.crop((left, top, right, bottom))  # outside the photo: black, as MediaPipe
        pixels = crop.resize((INPUT_SIDE, INPUT_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
        tensor = np.asarray(pixels, dtype=np.float32)[np.newaxis] / 255.0
        with self._lock:
            self._interpreter.set_tensor(self._input, tensor)
            self._interpreter.invoke()
            raw = self._interpreter.get_tensor(self._output["Identity"])[0]
        points = raw.reshape(KEYPOINT_COUNT, 5).astype(np.float64)
        scale = (right - left) / INPUT_SIDE
        points[:, 0] = left + points[:, 0] * scale
        points[:, 1] = top + points[:, 1] * scale
        points[:, 3] = [_sigmoid(v) for v in points[:, 3]]
        return points[:, [0, 1, 3]]

    def keypoints(self, image: Image.Image) -> dict[str, Keypoint]:
        """The body keypoints of the one person in ``image`` (RGB), in image pixels."""
        import numpy as np

        rgb = image.convert("RGB")
        width, height = rgb.size
        side = max(width, height)
        first = self._look(rgb, _square(width / 2, height / 2, side))
        centre, extent = first[BODY_CENTRE, :2], first[BODY_EXTENT, :2]
        crop_side = 2 * CROP_MARGIN * float(np.hypot(*(extent - centre)))
        points = first
        if crop_side >= side / 8:  # a body too small to crop around: keep the first look
            points = self._look(rgb, _square(float(centre[0]), float(centre[1]), crop_side))
        return {
            name: Keypoint(float(points[i, 0]), float(points[i, 1]), float(points[i, 2]))
            for name, i in KEYPOINTS.items()
        }


def _square(cx: float, cy: float, side: float) -> tuple[float, float, float, float]:
    return (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)


@lru_cache(maxsize=2)
def load(path: Path) -> PoseModel:
    """The model at ``path``, loaded once per process."""
    return PoseModel(path)


def suggest(keypoints: dict[str, Keypoint], *, view: str, width: int, height: int) -> Suggestions:
    """The photo's landmarks from the model's keypoints: ``view`` is the photo's own view
    (``left``/``right`` side, ``front``, ``back``); points the model thinks hidden, or that
    fall outside the image, are left for the specialist."""

    def seen(name: str) -> Keypoint | None:
        point = keypoints.get(name)
        if point is None or point.visibility < MIN_VISIBILITY:
            return None
        if not (0 <= point.x <= width - 1 and 0 <= point.y <= height - 1):
            return None
        return point

    landmarks: dict[str, tuple[float, float]] = {}
    guides: dict[str, tuple[float, float]] = {}
    if view in ("left", "right"):
        for landmark, part in {"tragus": "ear", **SIDE_PARTS}.items():
            pair = [p for p in (seen(f"left_{part}"), seen(f"right_{part}")) if p]
            if pair:
                best = max(pair, key=lambda p: p.visibility)
                (guides if landmark == "tragus" else landmarks)[landmark] = (best.x, best.y)
        return Suggestions(landmarks, guides)
    for part in PAIR_PARTS[view]:
        pair = [seen(f"left_{part}"), seen(f"right_{part}")]
        if not all(pair):
            continue  # a level needs both: one point alone is left to the specialist
        leftmost, rightmost = sorted(pair, key=lambda p: p.x)
        # Front: the client's left is on the image's right; back: on its left.
        client_left = rightmost if view == "front" else leftmost
        client_right = leftmost if view == "front" else rightmost
        name = LANDMARK_OF_PART[part]
        landmarks[f"left_{name}"] = (client_left.x, client_left.y)
        landmarks[f"right_{name}"] = (client_right.x, client_right.y)
    return Suggestions(landmarks, guides)
