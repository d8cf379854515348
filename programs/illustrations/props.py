"""Props: what each kind accepts, its size, and its solid shapes for contact checks.

Sizes for a figure of 1.70 m from shared/design/illustrations.md (chair seat 0.45 m, roller
0.15 m across and 0.90 m long, massage ball 0.07 m, step 0.15-0.20 m, mat 0.01 m, doorway
0.80 m). The other sizes (stability ball, chair depth, door height...) are drawing choices.
World metres, floor top at y = 0 (a mat lies in the floor, so its top is also y = 0).
"""

from __future__ import annotations

from dataclasses import dataclass

MAT_THICKNESS = 0.012  # drawn a little over 0.01 m so it shows at phone size
ROLLER_DIAMETER = 0.15
ROLLER_LENGTH = 0.90
BALL_DIAMETERS = {"massage": 0.07, "small": 0.22, "stability": 0.60}
CHAIR_SEAT_HEIGHT = 0.45
CHAIR_SEAT_HEIGHTS = (0.40, 0.50)
CHAIR_DEPTH = 0.42
CHAIR_BACK_HEIGHT = 0.42  # above the seat
STEP_HEIGHT = 0.18
STEP_HEIGHTS = (0.10, 0.50)  # a step, a box or a bench
STEP_DEPTH = 0.35
STEP_DEPTHS = (0.25, 1.20)
DOOR_WIDTH = 0.80
DOOR_HEIGHT = 2.05
DOOR_POST = 0.08
WALL_THICKNESS = 0.12
STICK_LENGTH = 0.50
BAND_KINDS = ("band", "strap")

# kind -> (required fields, optional fields). Positions are world metres.
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "floor": ((), ()),
    "mat": ((), ()),
    "wall": (("x",), ()),
    "chair": (("x",), ("facing", "height", "beside")),
    "ball": (("x",), ("y", "size")),
    "roller": (("x",), ("y", "along")),
    "step": (("x",), ("height", "depth")),
    "doorway": (("x",), ()),
    "band": (("from", "to"), ()),
    "strap": (("from", "to"), ()),
    "stick": (("from", "to"), ("length",)),
    "dumbbell": (("at",), ()),
}
KINDS = tuple(FIELDS)
# Kinds that follow the body (drawn with each key position) rather than stand in the room.
ATTACHED = ("band", "strap", "stick", "dumbbell")
# Kinds a body part can rest on or touch (contacts) and must not pass through.
SOLID = ("floor", "mat", "wall", "chair", "ball", "roller", "step", "doorway")


@dataclass(frozen=True)
class Prop:
    kind: str
    x: float = 0.0
    y: float | None = None
    facing: str = "right"
    height: float | None = None
    depth: float | None = None
    size: str = "massage"
    along: bool = False
    beside: bool = False  # a chair beside the body in depth (held for balance): not in its way
    length: float | None = None
    ends: tuple = ()  # band/strap/stick: (from, to); dumbbell: (at,)


@dataclass(frozen=True)
class Solid:
    """A shape a body must not pass through: rect (x0, y0, x1, y1), circle or half-plane."""

    kind: str  # "rect" | "circle" | "below" | "beyond"
    values: tuple[float, ...]
    prop: str  # the prop kind it belongs to


def ball_radius(prop: Prop) -> float:
    return BALL_DIAMETERS[prop.size] / 2


def roller_centre(prop: Prop) -> tuple[float, float]:
    return (prop.x, prop.y if prop.y is not None else ROLLER_DIAMETER / 2)


def ball_centre(prop: Prop) -> tuple[float, float]:
    return (prop.x, prop.y if prop.y is not None else ball_radius(prop))


def chair_parts(prop: Prop) -> dict[str, tuple[float, float, float, float]]:
    """Seat, backrest and legs of a chair as rectangles (x0, y0, x1, y1)."""
    h = prop.height or CHAIR_SEAT_HEIGHT
    half = CHAIR_DEPTH / 2
    back_x = prop.x - half if prop.facing == "right" else prop.x + half - 0.035
    return {
        "seat": (prop.x - half, h - 0.04, prop.x + half, h),
        "back": (back_x, h, back_x + 0.035, h + CHAIR_BACK_HEIGHT),
        "leg_back": (back_x, 0.0, back_x + 0.03, h - 0.04),
        "leg_front": (
            (prop.x + half - 0.03, 0.0, prop.x + half, h - 0.04)
            if prop.facing == "right"
            else (prop.x - half, 0.0, prop.x - half + 0.03, h - 0.04)
        ),
    }


def step_rect(prop: Prop) -> tuple[float, float, float, float]:
    half = (prop.depth or STEP_DEPTH) / 2
    return (prop.x - half, 0.0, prop.x + half, prop.height or STEP_HEIGHT)


def door_posts(prop: Prop, view: str) -> list[tuple[float, float, float, float]]:
    """Door-frame posts: one seen edge-on from the side, two from the front or back."""
    if view == "side":
        return [(prop.x - DOOR_POST / 2, 0.0, prop.x + DOOR_POST / 2, DOOR_HEIGHT)]
    half = DOOR_WIDTH / 2
    return [
        (prop.x - half - DOOR_POST, 0.0, prop.x - half, DOOR_HEIGHT),
        (prop.x + half, 0.0, prop.x + half + DOOR_POST, DOOR_HEIGHT),
    ]


def solids(prop: Prop, view: str) -> list[Solid]:
    """The solid shapes of a prop in a view (none for bands, straps and held things)."""
    kind = prop.kind
    if kind in ("floor", "mat"):
        return [Solid("below", (0.0,), kind)]
    if kind == "wall":
        return [Solid("beyond", (prop.x, 1.0 if prop.x > 0 else -1.0), kind)]
    if kind == "chair":
        if prop.beside or view != "side":
            return []  # seen from the front or back, the legs hang in front of the seat
        parts = chair_parts(prop)
        return [Solid("rect", parts[n], kind) for n in ("seat", "back")]
    if kind == "ball":
        return [Solid("circle", (*ball_centre(prop), ball_radius(prop)), kind)]
    if kind == "roller":
        cx, cy = roller_centre(prop)
        r = ROLLER_DIAMETER / 2
        if prop.along:
            half = ROLLER_LENGTH / 2
            return [Solid("rect", (cx - half, cy - r, cx + half, cy + r), kind)]
        return [Solid("circle", (cx, cy, r), kind)]
    if kind == "step":
        return [Solid("rect", step_rect(prop), kind)]
    if kind == "doorway":
        return [Solid("rect", post, kind) for post in door_posts(prop, view)]
    return []


def top_of(prop: Prop, view: str) -> float:
    """Height of the surface a body can rest on (``on = "chair"``...)."""
    if prop.kind == "chair":
        return prop.height or CHAIR_SEAT_HEIGHT
    if prop.kind == "step":
        return prop.height or STEP_HEIGHT
    if prop.kind == "roller":
        return roller_centre(prop)[1] + ROLLER_DIAMETER / 2
    if prop.kind == "ball":
        cx, cy = ball_centre(prop)
        return cy + ball_radius(prop)
    return 0.0
