"""Forward kinematics: one key position's joint angles to body geometry in metres.

The chain starts at the pelvis (the hip joints' centre) and is then moved as a whole:
down until its lowest point rests on the supporting surface, and sideways until the pinned
point is where the pose says. So what touches the floor stays on it, and a pinned foot or
hand stays put between the start and end positions. Y points up; the side view is drawn
facing right (``facing = "left"`` mirrors the finished picture).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import body
from .body import metres

Point = tuple[float, float]


def direction(degrees: float) -> Point:
    """Unit vector at an angle in degrees, counter-clockwise from +x."""
    radians = math.radians(degrees)
    return (math.cos(radians), math.sin(radians))


def add(p: Point, *terms: tuple[float, Point]) -> Point:
    """``p`` plus each ``scale * vector`` of ``terms``."""
    x, y = p
    for scale, (dx, dy) in terms:
        x += scale * dx
        y += scale * dy
    return (x, y)


@dataclass(frozen=True)
class Part:
    """One drawn piece of the body: a tapered capsule, a circle or a polygon."""

    name: str
    layer: str  # "far" (drawn lighter, behind), "body", "near"
    kind: str  # "capsule" | "circle" | "polygon"
    points: tuple[Point, ...]
    radii: tuple[float, ...] = ()

    def moved(self, dx: float, dy: float) -> Part:
        return Part(
            self.name,
            self.layer,
            self.kind,
            tuple((x + dx, y + dy) for x, y in self.points),
            self.radii,
        )


@dataclass(frozen=True)
class Figure:
    """A posed body: named points and drawable parts, in world metres."""

    view: str
    points: dict[str, Point]
    parts: tuple[Part, ...]
    face: Point | None  # the direction the face looks (side view), else None
    face_front: bool = False  # front view: the face is towards the viewer
    angles: dict[str, float] = field(default_factory=dict)

    def part(self, name: str) -> Part:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)

    def lowest(self) -> float:
        return min(part_bottom(part) for part in self.parts)

    def moved(self, dx: float, dy: float) -> Figure:
        return Figure(
            self.view,
            {k: (x + dx, y + dy) for k, (x, y) in self.points.items()},
            tuple(p.moved(dx, dy) for p in self.parts),
            self.face,
            self.face_front,
            self.angles,
        )


def part_bottom(part: Part) -> float:
    if part.kind == "capsule":
        return min(y - r for (_, y), r in zip(part.points, part.radii, strict=True))
    if part.kind == "circle":
        return part.points[0][1] - part.radii[0]
    return min(y for _, y in part.points)


def pose_figure(view: str, angles: dict[str, float]) -> Figure:
    """The body for joint ``angles`` (flat keys like ``near_knee``), pelvis at the origin."""
    if view == "side":
        return _side(angles)
    return _front(angles, back=view == "back")


def place(figure: Figure, *, ground: float, pin: str, pin_x: float) -> Figure:
    """Move the figure so its lowest point is on ``ground`` and point ``pin`` is at ``pin_x``."""
    return figure.moved(pin_x - figure.points[pin][0], ground - figure.lowest())


def _capsule(name: str, layer: str, a: Point, b: Point, radii_key: str) -> Part:
    r1, r2 = body.RADII[radii_key]
    return Part(name, layer, "capsule", (a, b), (metres(r1), metres(r2)))


def _resting(
    name: str, layer: str, a: Point, b: Point, radius: float, up: Point, taper: float
) -> Part:
    """A capsule resting on the line a-b (a sole): both ends lifted by its radius along
    ``up``; the far end's radius is ``taper`` of the near one's."""
    lift = (radius, up)
    return Part(name, layer, "capsule", (add(a, lift), add(b, lift)), (radius, radius * taper))


def _trunk(angles: dict[str, float], sign: int) -> dict[str, float]:
    """Absolute directions of lumbar, chest, neck and head (sign: -1 side view, +1 front)."""
    lumbar = 90.0 - angles.get("trunk", 0.0) if sign < 0 else 90.0 + angles.get("trunk", 0.0)
    chest = lumbar + sign * angles.get("lumbar", 0.0)
    neck = chest + sign * angles.get("neck", 0.0)
    head = neck + sign * angles.get("head", 0.0)
    return {"lumbar": lumbar, "chest": chest, "neck": neck, "head": head}


def _side(angles: dict[str, float]) -> Figure:
    d = _trunk(angles, -1)  # in the side view, flexion turns the trunk clockwise (forward)
    pts: dict[str, Point] = {"pelvis": (0.0, 0.0)}
    pts["waist"] = add(pts["pelvis"], (metres(body.LUMBAR), direction(d["lumbar"])))
    pts["neck_base"] = add(pts["waist"], (metres(body.THORAX), direction(d["chest"])))
    pts["head_pivot"] = add(pts["neck_base"], (metres(body.NECK), direction(d["neck"])))
    face = direction(d["head"] - 90.0)
    pts["head"] = add(
        pts["head_pivot"],
        (metres(body.HEAD_OFFSET), direction(d["head"])),
        (metres(0.012), face),
    )
    pts["nose"] = add(pts["head"], (metres(body.HEAD_RADIUS + 0.016), face))
    shoulder = add(pts["neck_base"], (-metres(body.SHOULDER_DROP), direction(d["chest"])))
    limbs: dict[str, list[Part]] = {}
    for side in ("near", "far"):
        a = {j: angles.get(f"{side}_{j}", 0.0) for j in body.LIMB_JOINTS}
        limbs[side] = _side_limbs(side, pts, shoulder, d, a)
    parts = [
        *limbs["far"],
        _capsule("pelvis", "body", pts["pelvis"], pts["waist"], "pelvis"),
        _capsule("chest", "body", pts["waist"], pts["neck_base"], "chest"),
        _capsule("neck", "body", pts["neck_base"], pts["head_pivot"], "neck"),
        Part("head", "body", "circle", (pts["head"],), (metres(body.HEAD_RADIUS),)),
        *limbs["near"],
    ]
    # Near arm over the near leg: an arm reaching a knee or foot reads in front of it.
    return Figure("side", pts, tuple(parts), face, angles=dict(angles))


def _side_limbs(side: str, pts: dict, shoulder: Point, d: dict, a: dict) -> list[Part]:
    layer = "far" if side == "far" else "near"
    upper = d["chest"] + 180.0 + a["shoulder"]  # flexion swings the arm forward (CCW)
    fore = upper + a["elbow"]
    hand = fore + a["wrist"]
    thigh = d["lumbar"] + 180.0 + a["hip"]  # flexion swings the thigh forward (CCW)
    shank = thigh - a["knee"]  # knee flexion folds the shank back (CW)
    foot = shank + 90.0 + a["ankle"]  # dorsiflexion lifts the toes (CCW)
    p = {f"{side}_shoulder": shoulder, f"{side}_hip": pts["pelvis"]}
    p[f"{side}_elbow"] = add(shoulder, (metres(body.UPPER_ARM), direction(upper)))
    p[f"{side}_wrist"] = add(p[f"{side}_elbow"], (metres(body.FOREARM), direction(fore)))
    p[f"{side}_hand"] = add(p[f"{side}_wrist"], (metres(body.HAND), direction(hand)))
    p[f"{side}_knee"] = add(pts["pelvis"], (metres(body.THIGH), direction(thigh)))
    p[f"{side}_ankle"] = add(p[f"{side}_knee"], (metres(body.SHANK), direction(shank)))
    along, down = direction(foot), direction(foot - 90.0)
    length, ankle_h = metres(body.FOOT), metres(body.ANKLE_HEIGHT)
    p[f"{side}_heel"] = add(
        p[f"{side}_ankle"], (-body.HEEL_BEHIND_ANKLE * length, along), (ankle_h, down)
    )
    p[f"{side}_ball"] = add(p[f"{side}_heel"], (body.BALL_OF_FOOT * length, along))
    toe_dir = direction(foot + a["toe"])
    p[f"{side}_toe"] = add(p[f"{side}_ball"], ((1 - body.BALL_OF_FOOT) * length, toe_dir))
    pts.update(p)
    rf, rt = metres(body.RADII["foot"][0]), metres(body.RADII["toes"][0])
    up = (-down[0], -down[1])
    toe_up = direction(foot + a["toe"] + 90.0)
    return [
        _capsule(f"{side}_thigh", layer, pts["pelvis"], p[f"{side}_knee"], "thigh"),
        _capsule(f"{side}_shank", layer, p[f"{side}_knee"], p[f"{side}_ankle"], "shank"),
        _resting(f"{side}_foot", layer, p[f"{side}_heel"], p[f"{side}_ball"], rf, up, 0.85),
        _resting(f"{side}_toes", layer, p[f"{side}_ball"], p[f"{side}_toe"], rt, toe_up, 0.8),
        _capsule(f"{side}_upper_arm", layer, shoulder, p[f"{side}_elbow"], "upper_arm"),
        _capsule(f"{side}_forearm", layer, p[f"{side}_elbow"], p[f"{side}_wrist"], "forearm"),
        _capsule(f"{side}_hand", layer, p[f"{side}_wrist"], p[f"{side}_hand"], "hand"),
    ]


def _front(angles: dict[str, float], *, back: bool) -> Figure:
    # Computed as seen from the front (the figure's right at -x); the back view is its mirror.
    d = _trunk(angles, +1)  # a side bend to the figure's right turns towards -x (CCW)
    pts: dict[str, Point] = {"pelvis": (0.0, 0.0)}
    pts["waist"] = add(pts["pelvis"], (metres(body.LUMBAR), direction(d["lumbar"])))
    pts["neck_base"] = add(pts["waist"], (metres(body.THORAX), direction(d["chest"])))
    pts["head_pivot"] = add(pts["neck_base"], (metres(body.NECK), direction(d["neck"])))
    pts["head"] = add(pts["head_pivot"], (metres(body.HEAD_OFFSET), direction(d["head"])))
    pts["nose"] = pts["head"]
    shoulder_mid = add(pts["neck_base"], (-metres(body.SHOULDER_DROP), direction(d["chest"])))
    hip_w, waist_w, shoulder_w = (metres(w) for w in body.TORSO_HALF_WIDTHS)
    outline: list[Point] = []
    for s in (1, -1):  # left edge up, then right edge down
        lumbar_out = direction(d["lumbar"] - 90.0 * s)
        chest_out = direction(d["chest"] - 90.0 * s)
        edge = [
            add(pts["pelvis"], (hip_w, lumbar_out), (-metres(0.03), direction(d["lumbar"]))),
            add(pts["waist"], (waist_w, chest_out)),
            add(shoulder_mid, (shoulder_w, chest_out)),
            add(pts["neck_base"], (metres(0.05), chest_out)),
        ]
        outline.extend(edge if s == 1 else edge[::-1])
    legs: list[Part] = []
    arms: list[Part] = []
    for side, s in (("left", 1), ("right", -1)):
        a = {j: angles.get(f"{side}_{j}", 0.0) for j in body.LIMB_JOINTS}
        shoulder = add(
            shoulder_mid, (metres(body.SHOULDER_HALF_WIDTH), direction(d["chest"] - 90 * s))
        )
        hip = add(pts["pelvis"], (metres(body.HIP_HALF_WIDTH), direction(d["lumbar"] - 90 * s)))
        upper = d["chest"] + 180.0 + s * a["shoulder"]  # abduction swings the arm outwards
        fore = upper + s * a["elbow"]
        hand = fore + s * a["wrist"]
        thigh = d["lumbar"] + 180.0 + s * a["hip"]
        shank = thigh + s * a["knee"]
        foot = shank + s * a["ankle"]
        p = {f"{side}_shoulder": shoulder, f"{side}_hip": hip}
        # A limb pointing towards or away from the viewer looks shorter (orthographic view).
        arm_seen = abs(math.cos(math.radians(a["shoulder_flexion"])))
        thigh_seen = abs(math.cos(math.radians(a["hip_flexion"])))
        p[f"{side}_elbow"] = add(shoulder, (metres(body.UPPER_ARM) * arm_seen, direction(upper)))
        p[f"{side}_wrist"] = add(p[f"{side}_elbow"], (metres(body.FOREARM), direction(fore)))
        p[f"{side}_hand"] = add(p[f"{side}_wrist"], (metres(body.HAND), direction(hand)))
        p[f"{side}_knee"] = add(hip, (metres(body.THIGH) * thigh_seen, direction(thigh)))
        p[f"{side}_ankle"] = add(p[f"{side}_knee"], (metres(body.SHANK), direction(shank)))
        sole = add(p[f"{side}_ankle"], (metres(body.ANKLE_HEIGHT), direction(foot)))
        outward = direction(foot + 90.0 * s)
        rf = metres(body.RADII["foot"][0]) * 1.2
        centre = add(sole, (-rf, direction(foot)))
        p[f"{side}_heel"] = add(sole, (-metres(0.02), outward))  # inner edge of the sole
        p[f"{side}_toe"] = add(sole, (metres(0.045), outward))  # outer edge of the sole
        p[f"{side}_ball"] = sole
        pts.update(p)
        legs += [
            _capsule(f"{side}_thigh", "body", hip, p[f"{side}_knee"], "thigh"),
            _capsule(f"{side}_shank", "body", p[f"{side}_knee"], p[f"{side}_ankle"], "shank"),
            Part(
                f"{side}_foot",
                "body",
                "capsule",
                (add(centre, (-metres(0.02), outward)), add(centre, (metres(0.045), outward))),
                (rf, rf * 0.9),
            ),
        ]
        arms += [
            _capsule(f"{side}_upper_arm", "near", shoulder, p[f"{side}_elbow"], "upper_arm"),
            _capsule(f"{side}_forearm", "near", p[f"{side}_elbow"], p[f"{side}_wrist"], "forearm"),
            _capsule(f"{side}_hand", "near", p[f"{side}_wrist"], p[f"{side}_hand"], "hand"),
        ]
    parts = [
        *legs,
        Part("torso", "body", "polygon", tuple(outline)),
        _capsule("neck", "body", pts["neck_base"], pts["head_pivot"], "neck"),
        Part("head", "body", "circle", (pts["head"],), (metres(body.HEAD_RADIUS),)),
        *arms,
    ]
    figure = Figure("front", pts, tuple(parts), None, face_front=not back, angles=dict(angles))
    if back:
        figure = mirror(figure)
        figure = Figure("back", figure.points, figure.parts, None, False, figure.angles)
    return figure


def mirror(figure: Figure) -> Figure:
    """The figure reflected left-right about x = 0."""

    def flip(p: Point) -> Point:
        return (-p[0], p[1])

    parts = tuple(
        Part(part.name, part.layer, part.kind, tuple(flip(p) for p in part.points), part.radii)
        for part in figure.parts
    )
    face = flip(figure.face) if figure.face else None
    points = {k: flip(v) for k, v in figure.points.items()}
    return Figure(figure.view, points, parts, face, figure.face_front, figure.angles)
