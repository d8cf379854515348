"""The scene as an SVG string for the web: no script, no style, escaped text.

Colours are presentation attributes (``fill=``), which the site's CSP (style-src 'self')
allows; inline ``style=""`` would be blocked. The title and description are the text
alternative: the exercise and what the body does.
"""

from __future__ import annotations

import re
from html import escape

from .scene import Scene, Shape

_ID = re.compile(r"[^a-z0-9-]")


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _paint(shape: Shape) -> str:
    fill = shape.fill or "none"
    attrs = [f'fill="{fill}"']
    if shape.stroke:
        attrs.append(f'stroke="{shape.stroke}" stroke-width="{_n(shape.width)}"')
        attrs.append('stroke-linejoin="round" stroke-linecap="round"')
    return " ".join(attrs)


def _shape(shape: Shape) -> str:
    if shape.kind == "circle":
        (x, y), r = shape.points[0], shape.radius
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {_paint(shape)}/>'
    if shape.kind == "rect":
        (x0, y0), (x1, y1) = shape.points
        return (
            f'<rect x="{_n(min(x0, x1))}" y="{_n(min(y0, y1))}" width="{_n(abs(x1 - x0))}" '
            f'height="{_n(abs(y1 - y0))}" {_paint(shape)}/>'
        )
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
    tag = "polygon" if shape.kind == "polygon" else "polyline"
    return f'<{tag} points="{points}" {_paint(shape)}/>'


def render_svg(scene: Scene, *, id_prefix: str = "pose") -> str:
    """An accessible inline SVG (role img, title and description) of the scene."""
    ident = _ID.sub("-", f"{id_prefix}-{scene.slug}".lower())
    body = "".join(_shape(s) for s in scene.shapes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(scene.width)} '
        f'{_n(scene.height)}" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'class="exercise-figure">'
        f'<title id="{ident}-t">{escape(scene.title)}</title>'
        f'<desc id="{ident}-d">{escape(scene.description)}</desc>'
        f'<rect width="{_n(scene.width)}" height="{_n(scene.height)}" fill="#ffffff"/>'
        f"{body}</svg>"
    )
