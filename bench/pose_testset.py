"""The pose model's test set: figures drawn in known poses, with their true landmarks (issue 18).

Each image is the project's own 2-D body model (``programs.illustrations.kinematics``) posed
by joint angles and drawn with Pillow as photo-like as a flat drawing allows: a plain wall
and floor, skin-coloured head, neck, forearms, hands and lower legs, a T-shirt and shorts,
hair, soft cylinder shading and a little sensor noise. Nothing is tuned to the model: the
figure is drawn from the same points that are the truth.

The truth, in the photo landmarks' names (shared/design/photo-landmarks.md), image pixels
with the origin at the centre of the top-left pixel, y down:

- side (``left``: the client's left side to the camera, face to the image's left; ``right``
  the mirror): ``acromion`` = the shoulder joint, ``greater_trochanter`` = the hip joint,
  ``knee`` and ``lateral_malleolus`` = the near knee and ankle joints. The tragus truth is
  the centre of the head circle, where the figure draws its ear: a choice (the model's ear
  point is a guide for the tragus, never the tragus).
- front and back: ``left_/right_acromion`` = the shoulder joints, ``left_/right_knee``,
  ``left_/right_ankle``, and the ears (and in front the eyes) the figure draws at known
  places on its head. The client's own left and right: in a front view the client's left is
  on the image's right, in a back view on its left.

The body model's joints are joint centres, so is the pose model's output: both stand for the
bony landmarks in the same way, and the error measures where the model puts the joints.

Plain Python: ``python -m bench.pose_testset [DIR]`` writes the images and a truth.json
(into var/pose-testset/ by default) to look at.
"""

from __future__ import annotations

import json
import math
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from programs.illustrations import body
from programs.illustrations.kinematics import Figure, Part, mirror, pose_figure
from programs.illustrations.scene import capsule_outline

ROOT = Path(__file__).resolve().parent.parent
SHOULDER_TOP = 0.03  # side view: the torso's top above the shoulder joint (fraction of H)
SUPERSAMPLE = 2  # drawn at twice the size, then reduced: smooth edges as a camera gives

SKIN = {"light": (226, 188, 160), "medium": (196, 148, 112), "dark": (128, 88, 62)}
HAIR = {"light": (92, 66, 44), "medium": (48, 36, 30), "dark": (24, 20, 20)}
OUTFITS = {
    # shirt, shorts
    "navy": ((52, 70, 110), (40, 40, 46)),
    "grey": ((150, 152, 156), (34, 52, 84)),
    "red": ((168, 56, 52), (50, 50, 56)),
    "green": ((70, 110, 84), (70, 64, 60)),
}
ROOMS = {
    # wall, floor
    "beige": ((222, 216, 204), (168, 150, 128)),
    "white": ((236, 236, 232), (150, 150, 152)),
    "blue": ((196, 208, 216), (140, 124, 106)),
}


@dataclass(frozen=True)
class Case:
    """One test image: a pose, a view, a size and a look."""

    name: str
    view: str  # "left" or "right" (side photos), "front", "back"
    angles: dict[str, float]
    size: tuple[int, int] = (600, 800)
    figure_fraction: float = 0.82  # the figure's height over the image's
    x_shift: float = 0.0  # the figure's centre from the image's, in image widths
    skin: str = "medium"
    outfit: str = "navy"
    room: str = "beige"


@dataclass
class Sample:
    """A drawn test image with its true landmarks (image pixels)."""

    case: Case
    image: Image.Image
    truth: dict[str, tuple[float, float]]  # photo landmark -> point
    figure_height_px: float
    guides: dict[str, tuple[float, float]] = field(default_factory=dict)  # side: tragus

    @property
    def view(self) -> str:
        return self.case.view

    def document(self, landmarks: dict[str, tuple[float, float]]) -> dict:
        """A landmarks document (photo-landmarks.md) for ``landmarks`` on this image."""
        width, height = self.image.size
        doc = {
            "view": "side" if self.view in ("left", "right") else self.view,
            "image": {"width": width, "height": height},
            "landmarks": {k: [float(x), float(y)] for k, (x, y) in landmarks.items()},
        }
        if self.view in ("left", "right"):
            doc["facing"] = self.view
        return doc


# --- Poses -------------------------------------------------------------------------------------


def side_pose(*, trunk=0.0, lumbar=0.0, neck=0.0, head=0.0, arm=5.0, knee=2.0, stride=4.0):
    """Standing in profile: ``neck`` flexion with ``head`` extension is a forward head;
    ``trunk`` leans the pelvis and everything above it forward (positive) or back, the hips
    flexing by as much so that the thighs still hang."""
    return {
        "trunk": trunk,
        "lumbar": lumbar,
        "neck": neck,
        "head": head,
        "near_shoulder": arm,
        "near_elbow": 12.0,
        "far_shoulder": -arm,
        "far_elbow": 10.0,
        "near_hip": trunk + stride / 2,
        "far_hip": trunk - stride / 2,
        "near_knee": knee,
        "far_knee": knee,
        "near_ankle": knee - stride / 2,  # the soles flat on the floor
        "far_ankle": knee + stride / 2,
    }


def frontal_pose(*, pelvis=0.0, shoulders=0.0, arms=(8.0, 8.0), stance=3.0, head=0.0):
    """Standing facing the camera or away from it. ``pelvis`` tilts the hip line (degrees,
    the figure's left side up when positive), ``shoulders`` the shoulder line (by a side
    bend above the pelvis); the legs stay on the floor: on the side whose hip is lower the
    knee turns a little inwards (its shank leans out) and the thigh is seen a little
    shorter, as a knee bent towards the camera would be."""
    lower = -1 if pelvis > 0 else 1  # +1: the figure's left hip is lower
    drop = 2 * body.HIP_HALF_WIDTH * abs(math.sin(math.radians(pelvis)))  # fraction of H
    # Half the drop by a shorter-looking thigh, half by a shank leaning in (knee valgus).
    thigh_seen = (body.THIGH - drop / 2) / body.THIGH
    shank_lean = math.degrees(math.acos(max(-1.0, min(1.0, 1 - (drop / 2) / body.SHANK))))
    angles = {"trunk": pelvis, "lumbar": shoulders - pelvis, "neck": -shoulders, "head": head}
    for side, s in (("left", 1), ("right", -1)):
        low = (s == 1 and lower == 1) or (s == -1 and lower == -1)
        angles[f"{side}_shoulder"] = arms[0] if side == "left" else arms[1]
        angles[f"{side}_elbow"] = 6.0
        # Hip angles turn the thigh outwards; cancel the pelvis' tilt so the legs hang.
        angles[f"{side}_hip"] = stance - s * pelvis
        angles[f"{side}_knee"] = -stance + (shank_lean if low else 0.0)
        angles[f"{side}_ankle"] = 0.0
        if low:
            angles[f"{side}_hip_flexion"] = math.degrees(math.acos(thigh_seen))
    return angles


def cases() -> list[Case]:
    """The test set: 20 images, every view, two sizes, several scales and looks."""
    big = (1200, 1600)
    return [
        Case("side_left_upright", "left", side_pose(), skin="light", outfit="navy"),
        Case("side_right_upright", "right", side_pose(), skin="dark", outfit="grey", room="white"),
        Case("side_left_forward_head", "left", side_pose(neck=22, head=-14), outfit="red",
             room="blue"),
        Case("side_right_forward_head", "right", side_pose(neck=30, head=-20), skin="light",
             outfit="green", size=big, figure_fraction=0.7),
        Case("side_left_lean_forward", "left", side_pose(trunk=6, neck=8, head=-8), skin="dark",
             outfit="grey", size=big),
        Case("side_right_sway_back", "right", side_pose(trunk=-6, lumbar=12, neck=10, head=-6),
             outfit="navy", room="blue", figure_fraction=0.9),
        Case("side_left_slouch", "left", side_pose(lumbar=14, neck=18, head=-16, knee=6),
             skin="light", outfit="green", room="white", figure_fraction=0.66, x_shift=0.1),
        Case("side_right_small", "right", side_pose(neck=12, head=-6), skin="medium",
             outfit="red", size=big, figure_fraction=0.55, x_shift=-0.12),
        Case("front_level", "front", frontal_pose(), skin="light", outfit="navy"),
        Case("front_pelvis_left_up", "front", frontal_pose(pelvis=4, shoulders=-3),
             skin="medium", outfit="red", room="blue"),
        Case("front_pelvis_right_up", "front", frontal_pose(pelvis=-5, shoulders=2),
             skin="dark", outfit="grey", size=big),
        Case("front_shoulder_drop", "front", frontal_pose(shoulders=5, arms=(12, 6)),
             skin="light", outfit="green", room="white", size=big, figure_fraction=0.7),
        Case("front_wide_arms", "front", frontal_pose(pelvis=2, arms=(25, 20), stance=6),
             skin="medium", outfit="navy", figure_fraction=0.9),
        Case("front_small", "front", frontal_pose(pelvis=-3, shoulders=-4), skin="dark",
             outfit="red", size=big, figure_fraction=0.58, x_shift=0.1),
        Case("back_level", "back", frontal_pose(), skin="medium", outfit="grey"),
        Case("back_pelvis_left_up", "back", frontal_pose(pelvis=4, shoulders=-2), skin="light",
             outfit="navy", room="blue"),
        Case("back_pelvis_right_up", "back", frontal_pose(pelvis=-5, shoulders=3), skin="dark",
             outfit="green", size=big),
        Case("back_shoulder_drop", "back", frontal_pose(shoulders=-5, arms=(6, 14)),
             skin="medium", outfit="red", room="white", size=big, figure_fraction=0.7),
        Case("back_wide_arms", "back", frontal_pose(pelvis=-2, arms=(22, 26), stance=6),
             skin="light", outfit="grey", figure_fraction=0.9),
        Case("back_small", "back", frontal_pose(pelvis=3, shoulders=3), skin="medium",
             outfit="navy", size=big, figure_fraction=0.58, x_shift=-0.1),
    ]  # fmt: skip


# --- Drawing -----------------------------------------------------------------------------------


def _figure(case: Case) -> Figure:
    if case.view in ("left", "right"):
        figure = pose_figure("side", case.angles)
        # The body model faces right; the client facing left is its mirror.
        return mirror(figure) if case.view == "left" else figure
    return pose_figure(case.view, case.angles)


def _outline(part: Part) -> list[tuple[float, float]]:
    if part.kind == "capsule":
        return capsule_outline(part, steps=16)
    if part.kind == "circle":
        (cx, cy), r = part.points[0], part.radii[0]
        return [(cx + r * math.cos(t), cy + r * math.sin(t))
                for t in (2 * math.pi * i / 64 for i in range(64))]  # fmt: skip
    return list(part.points)


class _Canvas:
    """Metres (y up) to supersampled pixels (y down), so that a figure point lands on the
    centre of the final image's pixel it names."""

    def __init__(self, figure: Figure, case: Case):
        xs, ys = zip(*(p for part in figure.parts for p in _outline(part)), strict=True)
        width, height = case.size
        self.height_m = max(ys) - min(ys)
        self.scale = case.figure_fraction * height / self.height_m  # final pixels per metre
        self.floor_px = height - (1 - case.figure_fraction) * height * 0.45
        self.centre_x_px = width / 2 + case.x_shift * width
        self.mid_x, self.bottom = (max(xs) + min(xs)) / 2, min(ys)

    def pixel(self, p: tuple[float, float]) -> tuple[float, float]:
        """A figure point in the final image's pixels."""
        return (
            self.centre_x_px + (p[0] - self.mid_x) * self.scale,
            self.floor_px - (p[1] - self.bottom) * self.scale,
        )

    def big(self, p: tuple[float, float]) -> tuple[float, float]:
        x, y = self.pixel(p)
        k = SUPERSAMPLE
        return (k * x + (k - 1) / 2, k * y + (k - 1) / 2)

    def length(self, metres: float) -> float:
        return metres * self.scale * SUPERSAMPLE


def _shade(colour, factor):
    return tuple(max(0, min(255, round(c * factor))) for c in colour)


def _draw_part(draw: ImageDraw.ImageDraw, canvas: _Canvas, part: Part, colour) -> None:
    """A part as a lit cylinder: a darker rim, a lighter core nearer the light (upper left),
    blended by the blur applied to the whole figure afterwards."""
    draw.polygon([canvas.big(p) for p in _outline(part)], fill=_shade(colour, 0.78))
    if part.kind == "polygon":
        xs, ys = zip(*part.points, strict=True)
        cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
        inner = [(cx + (x - cx) * 0.8, cy + (y - cy) * 0.85) for x, y in part.points]
        draw.polygon([canvas.big(p) for p in inner], fill=colour)
        return
    shift = (-0.18 * part.radii[0], 0.12 * part.radii[0])
    core = Part(
        part.name,
        part.layer,
        part.kind,
        tuple((x + shift[0], y + shift[1]) for x, y in part.points),
        tuple(r * 0.62 for r in part.radii),
    )
    draw.polygon([canvas.big(p) for p in _outline(core)], fill=_shade(colour, 1.06))


def _segment(part: Part, start: float, end: float) -> Part:
    """The stretch of a capsule from ``start`` to ``end`` (fractions of its length)."""
    (ax, ay), (bx, by) = part.points
    r1, r2 = part.radii
    at = lambda t: (ax + (bx - ax) * t, ay + (by - ay) * t)  # noqa: E731
    radius = lambda t: r1 + (r2 - r1) * t  # noqa: E731
    return Part(part.name, part.layer, "capsule", (at(start), at(end)),
                (radius(start) * 1.06, radius(end) * 1.06))  # fmt: skip


def _clothes(part: Part, shirt, shorts, skin) -> list[tuple[Part, tuple]]:
    """What a part looks like dressed: (piece, colour) in drawing order."""
    name = (
        part.name.split("_", 1)[-1]
        if part.name.startswith(("near", "far", "left", "right"))
        else part.name
    )
    if name in ("chest", "torso"):
        return [(part, shirt)]
    if name == "pelvis":
        return [(part, shorts)]
    if name == "upper_arm":
        return [(part, skin), (_segment(part, 0.0, 0.5), shirt)]
    if name == "thigh":
        return [(part, skin), (_segment(part, 0.0, 0.72), shorts)]
    return [(part, skin)]


def _head_details(draw, mask_draw, canvas: _Canvas, figure: Figure, case: Case, skin, hair) -> dict:
    """Hair, ears, eyes, nose and mouth drawn on the head (and added to the figure's
    silhouette ``mask_draw``); returns the drawn ear and eye centres (figure metres) by
    landmark name."""
    head = figure.part("head")
    (hx, hy), r = head.points[0], head.radii[0]
    pivot = figure.points["head_pivot"]
    ux, uy = hx - pivot[0], hy - pivot[1]  # the head's own up
    n = math.hypot(ux, uy)
    ux, uy = ux / n, uy / n
    rx, ry = uy, -ux  # the head's own "image right" (perpendicular)
    at = lambda a, b: (hx + r * (a * rx + b * ux), hy + r * (a * ry + b * uy))  # noqa: E731

    def blob(centre, a, b, colour):
        cx, cy = canvas.big(centre)
        ra, rb = canvas.length(a * r), canvas.length(b * r)
        draw.ellipse((cx - ra, cy - rb, cx + ra, cy + rb), fill=colour)
        mask_draw.ellipse((cx - ra, cy - rb, cx + ra, cy + rb), fill=255)

    def poly(points, colour):
        outline = [canvas.big(at(a, b)) for a, b in points]
        draw.polygon(outline, fill=colour)
        mask_draw.polygon(outline, fill=255)

    arc = lambda a0, a1, rr=1.06, n=24: [  # noqa: E731
        (rr * math.cos(math.radians(a0 + (a1 - a0) * i / n)),
         rr * math.sin(math.radians(a0 + (a1 - a0) * i / n))) for i in range(n + 1)]  # fmt: skip
    points: dict[str, tuple[float, float]] = {}
    if case.view in ("left", "right"):
        f = -1 if case.view == "left" else 1  # the face's side, in the head's own frame
        # Hair over the crown and the back of the head.
        start, end = (60, 250) if f == 1 else (-70, 120)
        hair_arc = arc(start, end)
        poly([*hair_arc, (0.0, 0.3)], hair)
        poly([(f * 0.96, 0.05), (f * 1.25, -0.22), (f * 0.92, -0.35)], _shade(skin, 0.9))  # nose
        blob(at(0.0, 0.0), 0.17, 0.26, _shade(skin, 0.82))  # the ear
        blob(at(0.0, 0.0), 0.07, 0.12, _shade(skin, 0.62))
        blob(at(f * 0.62, 0.18), 0.08, 0.05, (40, 34, 32))  # the eye
        poly([(f * 0.55, 0.34), (f * 0.85, 0.32), (f * 0.85, 0.27), (f * 0.55, 0.29)], hair)
        poly([(f * 0.62, -0.52), (f * 0.86, -0.5), (f * 0.86, -0.46), (f * 0.62, -0.47)],
             _shade(skin, 0.6))  # fmt: skip
        points["tragus"] = (hx, hy)
        return points
    # Front and back: the ears on the head's sides, the eyes and mouth in front.
    for a in (-1, 1):
        ear = at(a * 1.0, -0.02)
        blob(ear, 0.16, 0.27, _shade(skin, 0.86))
        # The body model's left is at +x in the front view, at -x in the back view.
        client_left = (a == 1) == (case.view == "front")
        points["left_ear" if client_left else "right_ear"] = ear
    if case.view == "front":
        poly([*arc(10, 170, 1.05), (-0.9, 0.45), (0.0, 0.62), (0.9, 0.45)], hair)
        for a in (-1, 1):
            eye = at(a * 0.36, 0.08)
            blob(eye, 0.14, 0.08, (240, 236, 230))
            blob(eye, 0.07, 0.07, (46, 36, 30))
            poly([(a * 0.2, 0.3), (a * 0.52, 0.3), (a * 0.5, 0.24), (a * 0.22, 0.24)], hair)
            points["left_eye" if a == 1 else "right_eye"] = eye
        poly([(-0.08, -0.05), (0.0, -0.28), (0.08, -0.05)], _shade(skin, 0.86))
        poly([(-0.22, -0.5), (0.22, -0.5), (0.18, -0.56), (-0.18, -0.56)], _shade(skin, 0.62))
    else:
        poly([*arc(-20, 200, 1.05), (-0.9, -0.55), (0.0, -0.75), (0.9, -0.55)], hair)
    return points


def _drawn_parts(figure: Figure) -> tuple[Part, ...]:
    """The parts as drawn. In a side view the body model's chest capsule rounds off a hand's
    breadth above the shoulder joint (its end is the base of the neck), which reads as a
    hunched back: drawn here ending a little above the shoulder joint, as the acromion does
    (SHOULDER_TOP). Only the outline changes; the joints, and so the truth, do not."""
    if figure.view != "side":
        return figure.parts
    parts = []
    for part in figure.parts:
        if part.name == "chest":
            (wx, wy), (nx, ny) = part.points
            length = math.hypot(nx - wx, ny - wy)
            ux, uy = (nx - wx) / length, (ny - wy) / length
            sx, sy = figure.points["near_shoulder"]
            lift = body.metres(SHOULDER_TOP) - part.radii[1]
            part = Part(part.name, part.layer, part.kind,
                        (part.points[0], (sx + lift * ux, sy + lift * uy)), part.radii)  # fmt: skip
        parts.append(part)
    return tuple(parts)


def _truth(figure: Figure, case: Case) -> dict[str, tuple[float, float]]:
    p = figure.points
    if case.view in ("left", "right"):
        return {
            "acromion": p["near_shoulder"],
            "greater_trochanter": p["near_hip"],
            "knee": p["near_knee"],
            "lateral_malleolus": p["near_ankle"],
        }
    return {
        f"{side}_{landmark}": p[f"{side}_{joint}"]
        for side in ("left", "right")
        for landmark, joint in (("acromion", "shoulder"), ("knee", "knee"), ("ankle", "ankle"))
    }


def render(case: Case, *, grain: bool = True) -> Sample:
    """The drawn image and its true landmarks; ``grain=False`` leaves out the sensor noise
    (small PNG files for the regression test)."""
    figure = _figure(case)
    canvas = _Canvas(figure, case)
    width, height = case.size
    k = SUPERSAMPLE
    wall, floor = ROOMS[case.room]
    skin, hair = SKIN[case.skin], HAIR[case.skin]
    shirt, shorts = OUTFITS[case.outfit]

    scene = Image.new("RGB", (width * k, height * k), wall)
    draw = ImageDraw.Draw(scene)
    horizon = round((canvas.floor_px - 0.05 * canvas.scale * body.HEIGHT) * k)
    for y in range(0, horizon):  # the wall, a little darker towards the top
        draw.line((0, y, width * k, y), fill=_shade(wall, 0.9 + 0.1 * y / horizon))
    for y in range(horizon, height * k):  # the floor, lighter towards the camera
        draw.line((0, y, width * k, y), fill=_shade(floor, 0.92 + 0.12 * (y - horizon) /
                                                    max(1, height * k - horizon)))  # fmt: skip
    draw.rectangle((0, horizon - 3 * k, width * k, horizon), fill=_shade(wall, 0.8))  # skirting
    # A soft shadow under the feet.
    shadow = Image.new("L", scene.size, 0)
    cx, _ = canvas.big((canvas.mid_x, canvas.bottom))
    half = canvas.length(0.22 if case.view in ("front", "back") else 0.26)
    floor_y = canvas.floor_px * k
    ImageDraw.Draw(shadow).ellipse(
        (cx - half, floor_y - half * 0.12, cx + half, floor_y + half * 0.12), fill=90
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(canvas.length(0.03)))
    scene.paste(_shade(floor, 0.55), (0, 0), shadow)

    # The figure on its own layer, blurred within its silhouette for soft shading.
    layer = Image.new("RGB", scene.size, (0, 0, 0))
    mask = Image.new("L", scene.size, 0)
    draw, mask_draw = ImageDraw.Draw(layer), ImageDraw.Draw(mask)
    for part in _drawn_parts(figure):
        far = part.layer == "far"
        for piece, colour in _clothes(part, shirt, shorts, skin):
            _draw_part(draw, canvas, piece, _shade(colour, 0.82) if far else colour)
            mask_draw.polygon([canvas.big(p) for p in _outline(piece)], fill=255)
    layer = layer.filter(ImageFilter.GaussianBlur(canvas.length(0.006)))
    drawn = _head_details(ImageDraw.Draw(layer), mask_draw, canvas, figure, case, skin, hair)
    scene.paste(layer, (0, 0), mask.filter(ImageFilter.GaussianBlur(k * 0.6)))

    image = scene.resize((width, height), Image.Resampling.LANCZOS)
    if grain:
        image = _noise(image, case.name)
    truth = {name: canvas.pixel(point) for name, point in _truth(figure, case).items()}
    guides = {}
    if case.view in ("left", "right"):
        guides["tragus"] = canvas.pixel(drawn["tragus"])
    else:
        truth.update({name: canvas.pixel(point) for name, point in drawn.items()})
    return Sample(case, image, truth, canvas.height_m * canvas.scale, guides)


def _noise(image: Image.Image, seed: str) -> Image.Image:
    """A little grain, as a camera's sensor gives (seeded: the same image every time)."""
    rng = np.random.default_rng(zlib.crc32(seed.encode()))
    pixels = np.asarray(image, dtype=np.float32)
    pixels += rng.normal(0.0, 2.5, pixels.shape[:2])[..., np.newaxis]
    return Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8))


def build() -> list[Sample]:
    """Every test image, drawn."""
    return [render(case) for case in cases()]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else ROOT / "var" / "pose-testset")
    out.mkdir(parents=True, exist_ok=True)
    truth = {}
    for sample in build():
        sample.image.save(out / f"{sample.case.name}.png")
        truth[sample.case.name] = {
            "view": sample.view,
            "size": list(sample.image.size),
            "figure_height_px": round(sample.figure_height_px, 1),
            "truth": {k: [round(x, 1), round(y, 1)] for k, (x, y) in sample.truth.items()},
            "guides": {k: [round(x, 1), round(y, 1)] for k, (x, y) in sample.guides.items()},
        }
    (out / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
    sys.stdout.write(f"{len(truth)} images in {out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
