"""Progress charts of saved assessments, ready for a page (SVG) or a PDF (the same Drawing)."""

from __future__ import annotations

import base64

from . import charts, comparison
from .models import Assessment
from .records import measures_from


def progress_drawings(assessments: list[Assessment]) -> list[tuple[comparison.Series, object]]:
    """(series, reportlab Drawing) for each key measure taken at least once, oldest first."""
    series = comparison.progress_series([(a.assessed_on, measures_from(a)) for a in assessments])
    return [(s, charts.progress_chart(s)) for s in series if s.has_data]


def charts_for(assessments: list[Assessment]) -> list[dict]:
    """The charts as base64 SVG for an <img> (no inline markup, so the CSP stays strict)."""
    result = []
    for series, drawing in progress_drawings(assessments):
        svg = charts.drawing_to_svg(drawing)
        taken = [
            f"{day:%-d %b %Y} {value:g} {series.unit}"
            for day, value in series.points
            if value is not None
        ]
        result.append(
            {
                "title": series.title,
                "svg_b64": base64.b64encode(svg.encode()).decode(),
                "alt": "; ".join(taken),
            }
        )
    return result
