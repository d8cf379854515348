"""One illustration laid out once: figures, props, the movement arrow and the hold timer.

``build_scene`` computes every shape in frame centimetres (y down), with the one palette
and line weight; ``svg`` and ``drawing`` only write those shapes out. Every illustration
has the same frame and scale, so a body is the same size in every exercise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cache

from . import props as P
from .contacts import contact_gap, pass_throughs, prop_solids
from .kinematics import Figure, Part, Point, mirror, part_bottom, place, pose_figure
from .poses import KeyPosition, Pose, load_poses

FRAME_WIDTH = 2.8  # m
FRAME_HEIGHT = 2.3  # m
FLOOR_MARGIN = 0.10  # m between the floor line and the frame's bottom
SCALE = 100.0  # frame units (cm) per metre

# One palette and line weight for the web and the PDF.
INK = "#173a50"
LINE = 0.8  # cm
SOLID_FILL = {"near": "#2b6a90", "body": "#3c82ad", "far": "#9cc0d6"}
FAINT_FILL = {"near": "#d6e4ee", "body": "#dce9f1", "far": "#eaf1f6"}
FAINT_INK = "#9fb6c7"
ARROW = "#d2552b"
ARROW_WIDTH = 2.2
PROP_INK = "#6f6656"
FLOOR = "#8a8170"
PROP_FILL = {
    "mat": "#8fbcae",
    "wall": "#e6e1d7",
    "chair": "#b48b5a",
    "roller": "#f2b24c",
    "ball": "#f2b24c",
    "stability": "#a9d3e3",
    "step": "#cdc6b8",
    "doorway": "#cbb999",
    "band": "#d64f4f",
    "strap": "#4f4f4f",
    "stick": "#6e5432",
    "dumbbell": "#4f4f4f",
}
TIMER = "#173a50"


@dataclass(frozen=True)
class Shape:
    """A drawing primitive in frame cm (y down): polygon, circle, line or rect."""

    kind: str  # "polygon" | "circle" | "line" | "rect"
    points: tuple[Point, ...]
    fill: str | None = None
    stroke: str | None = None
    width: float = LINE
    radius: float = 0.0
    closed: bool = True


@dataclass(frozen=True)
class Scene:
    slug: str
    width: float  # cm
    height: float
    shapes: tuple[Shape, ...]
    title: str
    description: str
    figures: tuple[Figure, ...] = field(repr=False, default=())
    left: float = 0.0  # world x of the frame's left edge
    top: float = 0.0  # world y of the frame's top edge


def ground_for(pose: Pose, key: KeyPosition) -> float:
    if key.on == "floor":
        return 0.0
    prop = next(p for p in pose.props if p.kind == key.on)
    return P.top_of(prop, pose.view)


def figure_for(pose: Pose, key: KeyPosition) -> Figure:
    """The posed body of one key position, placed in the world (before any mirroring)."""
    figure = pose_figure(pose.view, dict(key.angles))
    if key.on in ("chair", "roller", "ball"):
        # The seat takes the weight: the buttocks (pelvis, or the front view's torso) rest on it.
        seat = figure.part("pelvis" if figure.view == "side" else "torso")
        lowest = part_bottom(seat)
        return figure.moved(key.x - figure.points[key.pin][0], ground_for(pose, key) - lowest)
    return place(figure, ground=ground_for(pose, key), pin=key.pin, pin_x=key.x)


def drawn_positions(pose: Pose) -> tuple[str, ...]:
    """The key positions drawn as bodies: a roll's end only sets its arrow's reach."""
    return ("start",) if pose.motion in ("hold", "roll") else tuple(pose.positions)


def figures(pose: Pose) -> tuple[Figure, ...]:
    """The placed figure of each key position, in order."""
    return tuple(figure_for(pose, key) for key in pose.keys)


def problems(pose: Pose) -> list[str]:
    """Everything wrong with a pose's geometry: contacts, pass-throughs, the frame."""
    found = []
    all_solids = prop_solids(pose.props, pose.view)
    for name, figure in zip(pose.positions, figures(pose), strict=True):
        if name not in drawn_positions(pose):
            continue
        key = pose.positions[name]
        for contact in key.contacts:
            g = contact_gap(figure, contact.part, contact.prop, all_solids)
            if g > 0.005:
                found.append(f"{name}: {contact} is {g * 1000:.0f} mm away")
        for part, kind, depth in pass_throughs(figure, all_solids):
            found.append(f"{name}: {part} passes {-depth * 1000:.0f} mm into the {kind}")
    scene = build_scene(pose)
    for kind, (x0, y0, x1, y1) in _extents(scene):
        if x0 < -0.01 or y0 < -0.01 or x1 > scene.width + 0.01 or y1 > scene.height + 0.01:
            found.append(f"{kind} leaves the frame")
    return found


def _extents(scene: Scene):
    for shape in scene.shapes:
        if shape.kind == "rect" or shape.fill is None and shape.stroke == FLOOR:
            continue  # the floor and walls run to the frame's edges by design
        xs = [x for x, _ in shape.points]
        ys = [y for _, y in shape.points]
        r = shape.radius
        yield shape.fill or shape.stroke, (min(xs) - r, min(ys) - r, max(xs) + r, max(ys) + r)


def build_scene(pose: Pose, *, title: str | None = None) -> Scene:
    """Lay out a pose's illustration: frame, props, figures, arrow and timer."""
    placed = figures(pose)
    if pose.facing == "left":
        placed = tuple(mirror(f) for f in placed)
    room = [_mirrored(p) if pose.facing == "left" else p for p in pose.props]
    xs = [x for f in placed for part in f.parts for x, _ in _outline_x(part)]
    xs += [x for prop in room for x in _prop_xs(prop, pose.view)]
    centre = (min(xs) + max(xs)) / 2
    left = centre - FRAME_WIDTH / 2
    top = FRAME_HEIGHT - FLOOR_MARGIN

    def to_frame(p: Point) -> Point:
        return (round((p[0] - left) * SCALE, 2), round((top - p[1]) * SCALE, 2))

    shapes: list[Shape] = []
    body_xs = (min(xs), max(xs))
    shapes += _room(room, pose.view, to_frame, left, top, body_xs)
    shown = placed[:1] if pose.motion in ("hold", "roll") else placed
    for index, figure in enumerate(shown):
        faint = pose.motion == "move" and index < len(shown) - 1
        shapes += _attached(pose, room, figure, to_frame, faint)
        shapes += _figure_shapes(figure, to_frame, faint)
    if pose.motion != "hold":
        shapes += _arrow(pose, placed, to_frame)
    else:
        shapes += _timer(FRAME_WIDTH * SCALE, FRAME_HEIGHT * SCALE)
    return Scene(
        slug=pose.slug,
        width=FRAME_WIDTH * SCALE,
        height=FRAME_HEIGHT * SCALE,
        shapes=tuple(shapes),
        title=title or pose.slug,
        description=pose.alt,
        figures=placed,
        left=left,
        top=top,
    )


def _mirrored(prop: P.Prop) -> P.Prop:
    ends = tuple((-e[0], e[1]) if isinstance(e, tuple) else e for e in prop.ends)
    facing = "left" if prop.facing == "right" else "right"
    return replace(prop, x=-prop.x, facing=facing, ends=ends)


def _outline_x(part: Part):
    if part.kind == "polygon":
        return part.points
    radii = part.radii
    return [(x + s * r, y) for (x, y), r in zip(part.points, radii, strict=False) for s in (-1, 1)]


def _prop_xs(prop: P.Prop, view: str) -> list[float]:
    if prop.kind in ("ball", "roller"):
        r = P.ball_radius(prop) if prop.kind == "ball" else P.ROLLER_DIAMETER / 2
        if prop.kind == "roller" and prop.along:
            r = P.ROLLER_LENGTH / 2
        return [prop.x - r, prop.x + r]
    if prop.kind == "chair":
        return [prop.x - P.CHAIR_DEPTH / 2, prop.x + P.CHAIR_DEPTH / 2]
    if prop.kind == "step":
        x0, _, x1, _ = P.step_rect(prop)
        return [x0, x1]
    if prop.kind == "doorway":
        return [x for post in P.door_posts(prop, view) for x in (post[0], post[2])]
    if prop.kind == "wall":
        return [prop.x]
    return []


def _rect(box, to_frame, **style) -> Shape:
    x0, y0, x1, y1 = box
    return Shape("polygon", (to_frame((x0, y0)), to_frame((x1, y0)), to_frame((x1, y1)),
                             to_frame((x0, y1))), **style)  # fmt: skip


def _room(room, view, to_frame, left, top, body_xs) -> list[Shape]:
    right = left + FRAME_WIDTH
    top - FRAME_HEIGHT
    shapes: list[Shape] = []
    for prop in room:
        fill = PROP_FILL.get(prop.kind)
        style = {"fill": fill, "stroke": PROP_INK}
        if prop.kind == "wall":  # a wall beside the body, seen edge-on
            x1 = right if prop.x > 0 else left
            shapes.append(Shape("rect", (to_frame((min(prop.x, x1), top)),
                                         to_frame((max(prop.x, x1), 0.0))), **style))  # fmt: skip
            shapes.append(Shape("line", (to_frame((prop.x, top)), to_frame((prop.x, 0.0))),
                                stroke=PROP_INK, width=LINE * 1.5, closed=False))  # fmt: skip
        elif prop.kind == "mat":
            x0, x1 = max(body_xs[0] - 0.08, left + 0.05), min(body_xs[1] + 0.08, right - 0.05)
            shapes.append(_rect((x0, -P.MAT_THICKNESS, x1, 0.0), to_frame, **style))
        elif prop.kind == "chair":
            for name, box in P.chair_parts(prop).items():
                if view != "side" and name in ("leg_back", "leg_front", "back"):
                    box = _front_chair(prop, name)
                shapes.append(_rect(box, to_frame, **style))
        elif prop.kind == "step":
            shapes.append(_rect(P.step_rect(prop), to_frame, **style))
        elif prop.kind == "doorway":
            for post in P.door_posts(prop, view):
                shapes.append(_rect(post, to_frame, **style))
            if view != "side":
                half = P.DOOR_WIDTH / 2 + P.DOOR_POST
                lintel = (prop.x - half, P.DOOR_HEIGHT - P.DOOR_POST, prop.x + half, P.DOOR_HEIGHT)
                shapes.append(_rect(lintel, to_frame, **style))
        elif prop.kind == "roller":
            cx, cy = P.roller_centre(prop)
            r = P.ROLLER_DIAMETER / 2
            if prop.along:
                half = P.ROLLER_LENGTH / 2
                shapes.append(_rect((cx - half, cy - r, cx + half, cy + r), to_frame, **style))
            else:
                shapes.append(Shape("circle", (to_frame((cx, cy)),), radius=r * SCALE, **style))
                shapes.append(Shape("circle", (to_frame((cx, cy)),), radius=r * SCALE * 0.35,
                                    stroke=PROP_INK, fill=None))  # fmt: skip
        elif prop.kind == "ball":
            c = P.ball_centre(prop)
            fill = PROP_FILL["stability"] if prop.size == "stability" else fill
            shapes.append(Shape("circle", (to_frame(c),), radius=P.ball_radius(prop) * SCALE,
                                fill=fill, stroke=PROP_INK))  # fmt: skip
    shapes.append(Shape("line", (to_frame((left, 0.0)), to_frame((right, 0.0))),
                        stroke=FLOOR, width=LINE * 2, closed=False))  # fmt: skip
    return shapes


def _front_chair(prop: P.Prop, name: str):
    """A chair seen from the front: legs at both sides, the backrest behind the seat."""
    h = prop.height or P.CHAIR_SEAT_HEIGHT
    half = 0.22
    return {
        "leg_back": (prop.x - half, 0.0, prop.x - half + 0.03, h - 0.04),
        "leg_front": (prop.x + half - 0.03, 0.0, prop.x + half, h - 0.04),
        "back": (prop.x - half + 0.02, h, prop.x + half - 0.02, h + P.CHAIR_BACK_HEIGHT),
    }[name]


def _point(figure: Figure, end) -> Point:
    return figure.points[end] if isinstance(end, str) else end


def _attached(pose, room, figure, to_frame, faint) -> list[Shape]:
    shapes = []
    for prop in room:
        if prop.kind not in P.ATTACHED:
            continue
        colour = FAINT_INK if faint else PROP_FILL[prop.kind]
        if prop.kind == "dumbbell":
            c = figure.points[prop.ends[0]]
            for dx in (-0.07, 0.07):
                shapes.append(Shape("circle", (to_frame((c[0] + dx, c[1])),), radius=4.0,
                                    fill=colour, stroke=INK))  # fmt: skip
            shapes.append(Shape("line", (to_frame((c[0] - 0.07, c[1])),
                                         to_frame((c[0] + 0.07, c[1]))),
                                stroke=colour, width=2.5, closed=False))  # fmt: skip
            continue
        a, b = (_point(figure, e) for e in prop.ends)
        if prop.kind == "stick":
            length = prop.length or P.STICK_LENGTH
            mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
            dx, dy = b[0] - a[0], b[1] - a[1]
            n = math.hypot(dx, dy) or 1.0
            ux, uy = dx / n, dy / n
            a = (mx - ux * length / 2, my - uy * length / 2)
            b = (mx + ux * length / 2, my + uy * length / 2)
            shapes.append(Shape("line", (to_frame(a), to_frame(b)), stroke=colour, width=3.0,
                                closed=False))  # fmt: skip
            continue
        shapes.append(Shape("line", (to_frame(a), to_frame(b)), stroke=colour, width=1.6,
                            closed=False))  # fmt: skip
        if not isinstance(prop.ends[1], str):  # an anchor in the room
            shapes.append(Shape("circle", (to_frame(b),), radius=2.2, fill=PROP_INK))
    return shapes


_ORDER = {"far": 0, "body": 1, "near": 2}


def _group(part: Part) -> tuple[int, str]:
    """Parts drawn as one outline: the trunk and head, and each limb."""
    layer = _ORDER[part.layer]
    name = part.name.split("_", 1)[-1]
    side = part.name.split("_", 1)[0]
    limb = "arm" if name in ("upper_arm", "forearm", "hand") else "leg"
    if part.layer == "body" and part.name in ("pelvis", "chest", "neck", "head", "torso"):
        return (layer, "trunk")
    return (layer, f"{side}_{limb}")


def _figure_shapes(figure: Figure, to_frame, faint: bool) -> list[Shape]:
    fills = FAINT_FILL if faint else SOLID_FILL
    ink = FAINT_INK if faint else INK
    groups: dict[tuple, list[Part]] = {}
    parts = figure.parts
    if figure.view == "side":
        parts = sorted(parts, key=lambda p: _ORDER[p.layer])
    for part in parts:
        groups.setdefault(_group(part), []).append(part)
    shapes = []
    for group in groups.values():
        # Outline every part, then fill them all without a stroke: a limb or the trunk
        # reads as one shape with no seams at its joints.
        outlines, fills_only, front = [], [], []
        for part in group:
            fill = fills[part.layer]
            if part.kind == "circle":
                behind, front = _face(figure, part, to_frame, fill, ink)
                outlines += behind
                points = (to_frame(part.points[0]),)
                radius = part.radii[0] * SCALE
                outlines.append(Shape("circle", points, fill=fill, stroke=ink, radius=radius,
                                      width=LINE * 2))  # fmt: skip
                fills_only.append(Shape("circle", points, fill=fill, radius=radius))
                continue
            outline = capsule_outline(part) if part.kind == "capsule" else part.points
            points = tuple(to_frame(p) for p in outline)
            outlines.append(Shape("polygon", points, fill=fill, stroke=ink, width=LINE * 2))
            fills_only.append(Shape("polygon", points, fill=fill))
        shapes += outlines + fills_only + front
    return shapes


def _face(figure: Figure, head: Part, to_frame, fill: str, ink: str):
    """The nose (drawn behind the head) and the eyes (in front), for the face's direction."""
    (cx, cy), r = head.points[0], head.radii[0]
    if figure.face is not None:
        fx, fy = figure.face
        px, py = figure.points["head_pivot"]
        n = math.hypot(cx - px, cy - py) or 1.0
        ux, uy = (cx - px) / n, (cy - py) / n  # towards the crown
        base = (cx + fx * r * 0.9, cy + fy * r * 0.9)
        tip = (cx + fx * r * 1.25 - ux * r * 0.12, cy + fy * r * 1.25 - uy * r * 0.12)
        upper = (base[0] + ux * r * 0.18, base[1] + uy * r * 0.18)
        lower = (base[0] - ux * r * 0.3, base[1] - uy * r * 0.3)
        eye = (cx + fx * r * 0.5 + ux * r * 0.22, cy + fy * r * 0.5 + uy * r * 0.22)
        nose = Shape("polygon", (to_frame(upper), to_frame(tip), to_frame(lower)), fill=fill,
                     stroke=ink)  # fmt: skip
        return [nose], [Shape("circle", (to_frame(eye),), radius=r * SCALE * 0.1, fill=ink)]
    if figure.face_front:
        px, py = figure.points["head_pivot"]
        n = math.hypot(cx - px, cy - py) or 1.0
        ux, uy = (cx - px) / n, (cy - py) / n
        eyes = [(cx + s * uy * r * 0.35 + ux * r * 0.15, cy - s * ux * r * 0.35 + uy * r * 0.15)
                for s in (-1, 1)]  # fmt: skip
        return [], [Shape("circle", (to_frame(e),), radius=r * SCALE * 0.1, fill=ink) for e in eyes]
    return [], []


def capsule_outline(part: Part, steps: int = 8) -> list[Point]:
    """The outline of a tapered capsule: two arcs joined by their common tangents."""
    (ax, ay), (bx, by) = part.points
    r1, r2 = part.radii
    d = math.hypot(bx - ax, by - ay)
    theta = math.atan2(by - ay, bx - ax)
    if d <= abs(r1 - r2):
        big, r = ((ax, ay), r1) if r1 >= r2 else ((bx, by), r2)
        return [(big[0] + r * math.cos(t), big[1] + r * math.sin(t))
                for t in (2 * math.pi * i / (4 * steps) for i in range(4 * steps))]  # fmt: skip
    beta = math.acos(max(-1.0, min(1.0, (r1 - r2) / d)))
    points = []
    for i in range(steps + 1):  # around the b end, from -beta to +beta through 0
        t = theta - beta + 2 * beta * i / steps
        points.append((bx + r2 * math.cos(t), by + r2 * math.sin(t)))
    for i in range(steps + 1):  # around the a end, from beta to 2pi - beta through pi
        t = theta + beta + (2 * math.pi - 2 * beta) * i / steps
        points.append((ax + r1 * math.cos(t), ay + r1 * math.sin(t)))
    return points


def _interpolated(pose: Pose, t: float) -> Figure:
    """The figure between key positions (t from 0 at start to 1 at end)."""
    keys = pose.keys
    span = t * (len(keys) - 1)
    i = min(int(span), len(keys) - 2)
    f = span - i
    a, b = keys[i], keys[i + 1]
    names = set(a.angles) | set(b.angles)
    angles = {n: a.angles.get(n, 0.0) * (1 - f) + b.angles.get(n, 0.0) * f for n in names}
    # Placed as each key position places its figure (its pin, x and support), then blended:
    # a step up or a stand from a chair ends where the end figure stands.
    at_a = figure_for(pose, KeyPosition(angles, a.pin, a.x, a.on, ()))
    at_b = figure_for(pose, KeyPosition(angles, b.pin, b.x, b.on, ()))
    (xa, ya), (xb, yb) = at_a.points["pelvis"], at_b.points["pelvis"]
    return at_a.moved((xb - xa) * f, (yb - ya) * f)


_MOVERS = ("hand", "toe", "knee", "elbow", "head", "heel")


def mover_name(pose: Pose, placed: tuple[Figure, ...]) -> str:
    """The body point whose path the arrow follows: given, or the one that moves most."""
    if pose.mover:
        return pose.mover
    start, end = placed[0], placed[-1]

    def moved(name: str) -> float:
        (x0, y0), (x1, y1) = start.points[name], end.points[name]
        return math.hypot(x1 - x0, y1 - y0)

    names = [n for n in start.points if n.split("_")[-1] in _MOVERS]
    return max(names, key=moved)


def _arrow(pose: Pose, placed: tuple[Figure, ...], to_frame) -> list[Shape]:
    name = mover_name(pose, placed)
    flip = pose.facing == "left"
    if pose.motion == "roll":
        path = [placed[0].points[name], placed[-1].points[name]]
    else:
        path = []
        for i in range(21):
            figure = _interpolated(pose, i / 20)
            figure = mirror(figure) if flip else figure
            path.append(figure.points[name])
    centre = placed[-1].points["waist"]
    path = _offset(path, centre, 0.11)
    frame_path = [to_frame(p) for p in path]
    shapes = [Shape("line", tuple(frame_path), stroke=ARROW, width=ARROW_WIDTH, closed=False)]
    shapes.append(_head(frame_path[-2], frame_path[-1]))
    if pose.motion == "roll":
        shapes.append(_head(frame_path[1], frame_path[0]))
    return shapes


def _offset(path: list[Point], centre: Point, distance: float) -> list[Point]:
    """The path moved sideways, away from the body's centre, so the arrow sits beside it."""
    (x0, y0), (x1, y1) = path[0], path[-1]
    dx, dy = x1 - x0, y1 - y0
    n = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / n, dx / n
    mx, my = path[len(path) // 2]
    if (mx - centre[0]) * nx + (my - centre[1]) * ny < 0:
        nx, ny = -nx, -ny
    return [(x + nx * distance, y + ny * distance) for x, y in path]


def _head(a: Point, b: Point) -> Shape:
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy) or 1.0
    ux, uy = dx / n, dy / n
    size = 7.0
    left = (b[0] - ux * size - uy * size * 0.6, b[1] - uy * size + ux * size * 0.6)
    right = (b[0] - ux * size + uy * size * 0.6, b[1] - uy * size - ux * size * 0.6)
    tip = (b[0] + ux * 2.0, b[1] + uy * 2.0)
    return Shape("polygon", (left, tip, right), fill=ARROW, stroke=ARROW, width=LINE)


def _timer(width: float, height: float) -> list[Shape]:
    """A small stopwatch in the top right corner: this position is held."""
    cx, cy, r = width - 16.0, 18.0, 9.0
    return [
        Shape("rect", ((cx - 2.5, cy - r - 4.5), (cx + 2.5, cy - r)), fill=TIMER),
        Shape("circle", ((cx, cy),), radius=r, fill="#ffffff", stroke=TIMER, width=1.6),
        Shape("line", ((cx, cy), (cx, cy - r * 0.7)), stroke=TIMER, width=1.6, closed=False),
        Shape("line", ((cx, cy), (cx + r * 0.5, cy)), stroke=TIMER, width=1.6, closed=False),
    ]


@cache
def scene_of(slug: str) -> Scene | None:
    """The shipped pose's scene, laid out once per process (the pose files are read once
    too): a plan, the library and the portal draw the same illustration many times."""
    pose = load_poses().get(slug)
    return None if pose is None else build_scene(pose)
