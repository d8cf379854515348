"""Geometry checks: how far each body part is from each prop, contacts and pass-throughs.

Distances are signed (negative: inside the prop) and in metres. A part is sampled along
its length with its tapered radius; the tolerances allow for soft tissue and drawing.
"""

from __future__ import annotations

import math

from .kinematics import Figure, Part, Point
from .props import Prop, Solid, solids

CONTACT_TOLERANCE = 0.005  # m: a contact is within 5 mm of its prop
PASS_TOLERANCE = 0.005  # m: a part may sink this far into a prop (soft tissue), no more
_SAMPLES = 16


def signed_distance(point: Point, solid: Solid) -> float:
    """Distance from a point to a solid's surface; negative inside."""
    x, y = point
    v = solid.values
    if solid.kind == "below":
        return y - v[0]
    if solid.kind == "beyond":
        wall_x, side = v
        return (wall_x - x) * side
    if solid.kind == "circle":
        return math.hypot(x - v[0], y - v[1]) - v[2]
    x0, y0, x1, y1 = v
    dx = max(x0 - x, 0.0, x - x1)
    dy = max(y0 - y, 0.0, y - y1)
    if dx == 0.0 and dy == 0.0:
        return -min(x - x0, x1 - x, y - y0, y1 - y)
    return math.hypot(dx, dy)


def samples(part: Part) -> list[tuple[Point, float]]:
    """Points along a part with the part's radius there (polygons: along their edges)."""
    if part.kind == "circle":
        return [(part.points[0], part.radii[0])]
    if part.kind == "capsule":
        (ax, ay), (bx, by) = part.points
        r1, r2 = part.radii
        return [
            ((ax + (bx - ax) * t, ay + (by - ay) * t), r1 + (r2 - r1) * t)
            for t in (i / _SAMPLES for i in range(_SAMPLES + 1))
        ]
    edges = list(zip(part.points, part.points[1:] + part.points[:1], strict=True))
    return [
        ((ax + (bx - ax) * t, ay + (by - ay) * t), 0.0)
        for (ax, ay), (bx, by) in edges
        for t in (i / 4 for i in range(4))
    ]


def gap(part: Part, solid: Solid) -> float:
    """The part's clearance from a solid: 0 touching, negative passing into it."""
    return min(signed_distance(p, solid) - r for p, r in samples(part))


def prop_solids(props: tuple[Prop, ...], view: str) -> list[Solid]:
    floor = (
        [] if any(p.kind in ("floor", "mat") for p in props) else [Solid("below", (0.0,), "floor")]
    )
    return floor + [s for prop in props for s in solids(prop, view)]


def contact_gap(figure: Figure, part_name: str, kind: str, all_solids: list[Solid]) -> float:
    """Clearance of a named part or point from the nearest solid of a prop kind (floor = mat)."""
    kinds = {"floor", "mat"} if kind in ("floor", "mat") else {kind}
    try:
        part = figure.part(part_name)
    except KeyError:  # a point (heel, toe...): the surface of the body there
        point = figure.points[part_name]
        return min(signed_distance(point, s) for s in all_solids if s.prop in kinds)
    return min(gap(part, s) for s in all_solids if s.prop in kinds)


def pass_throughs(figure: Figure, all_solids: list[Solid]) -> list[tuple[str, str, float]]:
    """(part, prop kind, depth) for every part that sinks into a prop beyond tolerance."""
    found = []
    for part in figure.parts:
        for solid in all_solids:
            depth = gap(part, solid)
            if depth < -PASS_TOLERANCE:
                found.append((part.name, solid.prop, depth))
    return found
