"""The scene as a reportlab Drawing for the PDF, with reportlab's public shapes only."""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Polygon, PolyLine, Rect
from reportlab.lib.colors import HexColor

from .scene import Scene, Shape


def _colour(value: str | None):
    return HexColor(value) if value else None


def render_drawing(scene: Scene, *, width: float = 160.0) -> Drawing:
    """A Drawing ``width`` points wide of the scene (y flipped: reportlab's y points up)."""
    scale = width / scene.width
    height = scene.height * scale

    def flat(points) -> list[float]:
        return [v for x, y in points for v in (x * scale, height - y * scale)]

    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=HexColor("#ffffff"), strokeColor=None))
    for shape in scene.shapes:
        drawing.add(_shape(shape, flat, scale, height))
    return drawing


def _shape(shape: Shape, flat, scale: float, height: float):
    style = {
        "fillColor": _colour(shape.fill),
        "strokeColor": _colour(shape.stroke),
        "strokeWidth": shape.width * scale,
    }
    if shape.kind == "circle":
        (x, y) = shape.points[0]
        return Circle(x * scale, height - y * scale, shape.radius * scale, **style)
    if shape.kind == "rect":
        (x0, y0), (x1, y1) = shape.points
        return Rect(
            min(x0, x1) * scale,
            height - max(y0, y1) * scale,
            abs(x1 - x0) * scale,
            abs(y1 - y0) * scale,
            **style,
        )
    if shape.kind == "polygon":
        return Polygon(flat(shape.points), strokeLineJoin=1, **style)
    return PolyLine(
        flat(shape.points),
        strokeColor=_colour(shape.stroke),
        strokeWidth=shape.width * scale,
        strokeLineCap=1,
        strokeLineJoin=1,
    )
