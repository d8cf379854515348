"""The scene as PDF drawing operators, for the plan PDF's canvas.

A plan draws a dozen or more illustrations and every plan draws the same ones, so a
shipped pose's operators are written once per process (``shipped_operators``) and each
document adds them to its canvas with reportlab's public ``addLiteral``. They are plain
PDF content-stream operators (ISO 32000-1, 8.4 and 8.5): colours, line width, round caps
and joins, paths filled by the even-odd rule as reportlab's canvas fills them, all inside
their own graphics state (q ... Q), so nothing leaks into what is drawn after them.
"""

from __future__ import annotations

import math
from functools import cache

from .scene import Scene, Shape, scene_of

BACKGROUND = "#ffffff"
# Outline points are kept to a tenth of a PDF point (0.035 mm): far below what print or a
# screen shows at an illustration's size.
GRID_DIGITS = 1
# An outline point closer than this (in PDF points, 0.035 mm) to the line through its
# kept neighbours is left out: the curves are sampled far finer than print shows.
TOLERANCE = 0.1
KAPPA = 0.5522847498  # a circle's quarter as one cubic Bézier curve


def scene_height(scene: Scene, *, width: float) -> float:
    """The height, in points, of the scene drawn ``width`` points wide."""
    return scene.height * width / scene.width


def scene_operators(scene: Scene, *, width: float) -> str:
    """The scene ``width`` points wide as PDF operators, its bottom-left corner at the
    origin (y flipped: the scene's y points down, the PDF's up), the background first."""
    scale = width / scene.width
    height = scene_height(scene, width=width)
    out = ["q", "1 j", "1 J", f"{_rgb(BACKGROUND)} rg", f"0 0 {_n(width)} {_n(height)} re", "f"]
    state = {"rg": _rgb(BACKGROUND)}  # a colour or width is written only when it changes
    for shape in scene.shapes:
        out += _shape(shape, scale, height, state)
    out.append("Q")
    return "\n".join(out)


@cache
def shipped_operators(slug: str, width: float) -> str | None:
    """A shipped pose's illustration as PDF operators, written once per process; None for
    a slug without a pose."""
    scene = scene_of(slug)
    return None if scene is None else scene_operators(scene, width=width)


def draw_scene(canvas, scene: Scene, *, width: float = 160.0) -> None:
    """Draw the scene ``width`` points wide with its bottom-left corner at the origin."""
    canvas.addLiteral(scene_operators(scene, width=width))


def _shape(shape: Shape, scale: float, height: float, state: dict) -> list[str]:
    fill = shape.fill if shape.kind != "line" else None
    out = []
    wanted = {}
    if fill:
        wanted["rg"] = _rgb(fill)
    if shape.stroke:
        wanted |= {"RG": _rgb(shape.stroke), "w": _n(shape.width * scale)}
    for operator, operands in wanted.items():
        if state.get(operator) != operands:
            out.append(f"{operands} {operator}")
            state[operator] = operands
    if shape.kind == "circle":
        (x, y) = shape.points[0]
        out.append(_circle(x * scale, height - y * scale, shape.radius * scale))
    elif shape.kind == "rect":
        (x0, y0), (x1, y1) = shape.points
        left, bottom = min(x0, x1) * scale, height - max(y0, y1) * scale
        size = f"{_n(abs(x1 - x0) * scale)} {_n(abs(y1 - y0) * scale)}"
        out.append(f"{_n(left)} {_n(bottom)} {size} re")
    else:
        points = _simplified(_on_grid(shape.points, scale, height), TOLERANCE)
        out.append(_path(points, closed=shape.kind == "polygon"))
    # Fill and stroke, fill only, stroke only (the even-odd rule, as reportlab fills).
    out.append("B*" if fill and shape.stroke else "f*" if fill else "S" if shape.stroke else "n")
    return out


def _on_grid(points, scale: float, height: float) -> list[tuple[float, float]]:
    """The points in PDF points, on the grid (a point that rounds onto the one before it
    is left out): an outline's curves have many close points, each costing the file bytes
    and the renderer time where no eye can tell them apart."""
    placed: list[tuple[float, float]] = []
    for x, y in points:
        point = (round(x * scale, GRID_DIGITS), round(height - y * scale, GRID_DIGITS))
        if not placed or point != placed[-1]:
            placed.append(point)
    return placed if len(placed) > 1 else placed * 2


def _simplified(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """The points without those within ``tolerance`` of the line their kept neighbours
    draw (Ramer-Douglas-Peucker); the first and last are always kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        far, farthest = 0.0, None
        for index in range(first + 1, last):
            x, y = points[index]
            if length:
                distance = abs(dy * (x - x0) - dx * (y - y0)) / length
            else:
                distance = math.hypot(x - x0, y - y0)
            if distance > far:
                far, farthest = distance, index
        if farthest is not None and far > tolerance:
            keep[farthest] = True
            spans += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _path(points: list[tuple[float, float]], *, closed: bool) -> str:
    (x, y), *rest = points
    parts = [f"{_n(x)} {_n(y)} m", *(f"{_n(x)} {_n(y)} l" for x, y in rest)]
    if closed:
        parts.append("h")
    return " ".join(parts)


def _circle(cx: float, cy: float, r: float) -> str:
    k = KAPPA * r
    quarters = (
        (cx + r, cy + k, cx + k, cy + r, cx, cy + r),
        (cx - k, cy + r, cx - r, cy + k, cx - r, cy),
        (cx - r, cy - k, cx - k, cy - r, cx, cy - r),
        (cx + k, cy - r, cx + r, cy - k, cx + r, cy),
    )
    curves = " ".join(" ".join(_n(v) for v in quarter) + " c" for quarter in quarters)
    return f"{_n(cx + r)} {_n(cy)} m {curves} h"


@cache
def _rgb(value: str) -> str:
    """A "#rrggbb" colour as the three PDF components."""
    return " ".join(_n(int(value[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))


def _n(value: float, digits: int = 2) -> str:
    """A number as PDF writes it: no exponent, no trailing zeros."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
