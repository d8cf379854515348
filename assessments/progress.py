"""Progress charts of saved assessments, ready for a page (SVG) or a PDF (the same Drawing)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from . import charts, comparison
from .models import Assessment
from .records import measures_from

# A line needs two points: a measure taken once is a row of a table, not a chart.
MIN_CHARTED_VALUES = 2
# The page's charts: no wider than a phone's column, so that drawn at SCREEN_TEXT sizes
# their smallest text is at least 12 px on a 390 px screen (and larger wherever wider).
SCREEN_CHART_WIDTH = 300
SCREEN_CHART_HEIGHT = 210


def _series(assessments: list[Assessment]) -> list[comparison.Series]:
    return comparison.progress_series([(a.assessed_on, measures_from(a)) for a in assessments])


@dataclass(frozen=True)
class SingleValue:
    """A key measure taken once so far: shown in a table row until it can make a line."""

    title: str
    value: float
    unit: str
    taken_on: date


@dataclass(frozen=True)
class Progress:
    """What the page shows of the key measures: charts for those taken at least twice, and
    one table of those taken once."""

    charts: list[dict]
    single: list[SingleValue]

    def __bool__(self) -> bool:
        return bool(self.charts or self.single)

    @property
    def single_taken_on(self) -> date | None:
        """The one date every single value was taken on (the table then needs no date
        column), or None when they differ."""
        days = {row.taken_on for row in self.single}
        return days.pop() if len(days) == 1 else None


def progress_for(assessments: list[Assessment]) -> Progress:
    """The key measures over time for a page: charts as base64 SVG for an <img> (no inline
    markup, so the CSP stays strict), and the measures taken only once as table rows."""
    drawn, single = [], []
    for series in _series(assessments):
        taken = [(day, value) for day, value in series.points if value is not None]
        if len(taken) >= MIN_CHARTED_VALUES:
            drawn.append(_chart(series, taken))
        elif taken:
            day, value = taken[0]
            single.append(SingleValue(series.title, value, series.unit, day))
    return Progress(drawn, single)


def _chart(series: comparison.Series, taken: list[tuple[date, float]]) -> dict:
    drawing = charts.progress_chart(
        series,
        width=SCREEN_CHART_WIDTH,
        height=SCREEN_CHART_HEIGHT,
        text=charts.SCREEN_TEXT,
    )
    svg = charts.drawing_to_svg(drawing)
    return {
        "title": series.title,
        "svg_b64": base64.b64encode(svg.encode()).decode(),
        "alt": "; ".join(f"{day:%-d %b %Y} {value:g} {series.unit}" for day, value in taken),
        "width": SCREEN_CHART_WIDTH,
        "height": SCREEN_CHART_HEIGHT,
    }
