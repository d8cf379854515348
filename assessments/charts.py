"""Progress charts as reportlab Drawings: SVG inline on the web, the same Drawing in the PDF.

Pure: dates and values in, a ``Drawing`` out. A ``None`` value is "not measured": it
breaks the line and is never drawn as zero.

The same input gives the same drawing, so a chart of frozen series (``ChartSeries``,
``comparison.Series``) is built once and shared (``progress_chart``), as is its SVG
(``drawing_to_svg``): a shared drawing is drawn, never changed, and one thread at a
time draws it (``RENDER_LOCK``: reportlab's renderers mark the nodes they draw).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isString
from reportlab.pdfbase.pdfmetrics import stringWidth

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
INK = colors.HexColor("#212529")
MUTED = colors.HexColor("#6c757d")
GRID = colors.HexColor("#e9ecef")
AXIS = colors.HexColor("#adb5bd")
REFERENCE_INK = colors.HexColor("#495057")
BAND_FILL = colors.HexColor("#d1e7dd")

# Charts of frozen series kept for reuse; a client page shows up to about twenty.
CHART_CACHE_SIZE = 128
# Held while a drawing that may be shared is rendered (to PDF or SVG).
RENDER_LOCK = threading.RLock()

# Value labels beside every point stop being readable past this many points.
MAX_LABELLED_POINTS = 12
MIN_DATE_LABEL_GAP = 8  # points between two date labels


@dataclass(frozen=True)
class ChartText:
    """A chart's type sizes and the margin its axis labels need, in drawing units: points in
    the PDF, CSS pixels on a page shown at its natural width."""

    title: float = 11
    label: float = 8  # the unit, the legend, the axis ticks and dates
    value: float = 7.5  # the value written beside each point
    band: float = 7  # a shaded band's name
    left: float = 44  # room for the value axis's labels
    # The PDF registers and embeds its own font and passes its names; the web's SVG
    # names Helvetica and gets a sans-serif family list (``drawing_to_svg``).
    font: str = FONT
    bold: str = FONT_BOLD


# The PDF's sizes (printed on A4 or Letter at full size).
PRINT_TEXT = ChartText()
# On a page no text is smaller than 12 px when the chart is shown at its natural width
# (assessments/progress.py draws the page's charts no wider than a phone's column).
SCREEN_TEXT = ChartText(title=14, label=12, value=12, band=12, left=52)


@dataclass(frozen=True)
class ChartSeries:
    """One line on a chart: a name and its (date, value) points, ``None`` = not measured."""

    title: str
    points: tuple[tuple[date, float | None], ...]
    unit: str = ""
    reference: float | None = None
    reference_label: str | None = None


@dataclass(frozen=True)
class ReferenceBand:
    """A shaded range, e.g. a norm's 25th-75th percentile; either end may be open."""

    low: float | None
    high: float | None
    label: str = ""


class ChartDrawing(Drawing):
    """A Drawing that remembers its title and summary, for the SVG's <title> and <desc>."""

    _attrMap = AttrMap(
        BASE=Drawing,
        title=AttrMapValue(isString, desc="accessible name"),
        description=AttrMapValue(isString, desc="text summary of the data"),
    )

    def __init__(self, width, height, *, title: str = "", description: str = ""):
        super().__init__(width, height)
        self.title = title
        self.description = description


def format_value(value: float) -> str:
    """A value as labelled on the chart: at most two decimals, no trailing zeros."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_date(day: date) -> str:
    """A date as written on the x axis, e.g. "2 Mar 2026"."""
    return f"{day.day} {day:%b %Y}"


def nice_ticks(low: float, high: float, *, count: int = 5) -> list[float]:
    """Round tick values spanning low..high (steps of 1, 2, 2.5 or 5 times a power of ten)."""
    span = high - low
    raw = span / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(round((last - first) / step) + 1)]


def _as_series_list(series) -> list:
    """One series-like object (anything with ``.points``) or a sequence of them."""
    if hasattr(series, "points"):
        return [series]
    return list(series)


def _value_range(values: list[float], extras: list[float]) -> tuple[float, float]:
    everything = values + extras
    low, high = min(everything), max(everything)
    if math.isclose(low, high):
        # Equal values: give the line room instead of dividing by a zero span.
        pad = max(abs(low) * 0.1, 1.0)
        return low - pad, high + pad
    pad = (high - low) * 0.08
    return low - pad, high + pad


def _date_labels(
    days: list[date], x_of, font_size: float, font: str = FONT
) -> list[tuple[float, str]]:
    """Labels for the measurement dates: first and last always, the rest only where they fit."""
    labels = [(x_of(day), format_date(day)) for day in days]

    def clear(a: tuple[float, str], b: tuple[float, str]) -> bool:
        half_widths = (stringWidth(a[1], font, font_size) + stringWidth(b[1], font, font_size)) / 2
        return abs(b[0] - a[0]) - half_widths >= MIN_DATE_LABEL_GAP

    if len(labels) <= 1:
        return labels
    kept = [labels[0]]
    for label in labels[1:-1]:
        if clear(kept[-1], label) and clear(label, labels[-1]):
            kept.append(label)
    if clear(kept[-1], labels[-1]) or len(kept) == 1:
        kept.append(labels[-1])
    return kept


def progress_chart(
    series,
    *,
    title: str | None = None,
    unit: str | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    band: ReferenceBand | None = None,
    width: float = 480,
    height: float = 240,
    text: ChartText = PRINT_TEXT,
) -> ChartDrawing:
    """A line chart of one or more series over time, with an optional reference line and band.

    ``series`` is one object with ``.points`` (and optionally ``.title``, ``.unit``,
    ``.reference``, ``.reference_label``, e.g. ``ChartSeries``) or a sequence of them;
    keyword arguments override what the first series carries. ``text`` sets the type sizes
    (``PRINT_TEXT`` for the PDF, ``SCREEN_TEXT`` for a page).

    When every series is a frozen dataclass (and the band a ``ReferenceBand``), the
    drawing is built once for that input and shared with every later call: draw it,
    never change it.
    """
    lines = tuple(_as_series_list(series))
    arguments = (title, unit, reference, reference_label, band, width, height, text)
    if _shareable(lines, arguments):
        return _shared_chart(lines, *arguments)
    return _progress_chart(list(lines), *arguments)


def _shareable(lines: tuple, arguments: tuple) -> bool:
    """Frozen series and a ReferenceBand (or none), all of it hashable."""
    band = arguments[4]
    if band is not None and not isinstance(band, ReferenceBand):
        return False
    frozen = (dataclasses.is_dataclass(line) and line.__dataclass_params__.frozen for line in lines)
    if not all(frozen):
        return False
    try:
        hash((lines, arguments))
    except TypeError:  # e.g. a list inside a series
        return False
    return True


@functools.lru_cache(maxsize=CHART_CACHE_SIZE)
def _shared_chart(lines: tuple, *arguments) -> ChartDrawing:
    drawing = _progress_chart(list(lines), *arguments)
    drawing._shared = True  # drawing_to_svg keeps its SVG on it
    return drawing


def _progress_chart(
    lines: list, title, unit, reference, reference_label, band, width, height, text=PRINT_TEXT
) -> ChartDrawing:
    first = lines[0] if lines else None
    title = title if title is not None else getattr(first, "title", "")
    unit = unit if unit is not None else getattr(first, "unit", "")
    if reference is None:
        reference = getattr(first, "reference", None)
        reference_label = reference_label or getattr(first, "reference_label", None)

    points = [
        (day, value)
        for line in lines
        for day, value in line.points
        if value is not None and math.isfinite(value)
    ]
    summary = "; ".join(
        f"{getattr(line, 'title', '')}: "
        + ", ".join(
            f"{format_date(day)} {format_value(value) if value is not None else 'not measured'}"
            for day, value in line.points
        )
        for line in lines
    )
    drawing = ChartDrawing(width, height, title=title, description=summary)
    drawing.initialFontName = text.font  # the renderer's starting font: no other one in use
    # Lines from the top: the title, then the unit and legend, then the plot.
    title_y = height - (text.title + 3)
    legend_y = title_y - 1.75 * text.label
    drawing.add(String(0, title_y, title, fontName=text.bold, fontSize=text.title, fillColor=INK))
    if unit:
        drawing.add(
            String(0, legend_y, unit, fontName=text.font, fontSize=text.label, fillColor=MUTED)
        )

    left, right = text.left, width - 12
    bottom, top = 3.75 * text.label, legend_y - 2 * text.label
    entries = []
    if len(lines) > 1:
        entries += [
            (getattr(line, "title", "") or f"Series {index + 1}", _colour(index), False)
            for index, line in enumerate(lines)
        ]
    if reference is not None:
        entries.append((reference_label or format_value(reference), REFERENCE_INK, True))
    _legend(drawing, entries, right=right, y=legend_y, size=text.label, font=text.font)
    if not points:
        drawing.add(
            String(
                (left + right) / 2,
                (bottom + top) / 2,
                "No measurements yet",
                fontName=text.font,
                fontSize=text.title - 1,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
        return drawing

    extras = (reference, getattr(band, "low", None), getattr(band, "high", None))
    y_low, y_high = _value_range([v for _, v in points], [v for v in extras if v is not None])
    ticks = nice_ticks(y_low, y_high)
    y_low, y_high = min(ticks[0], y_low), max(ticks[-1], y_high)

    def y_of(value: float) -> float:
        return bottom + (value - y_low) / (y_high - y_low) * (top - bottom)

    days = sorted({day for line in lines for day, _ in line.points})
    first_day, last_day = days[0].toordinal(), days[-1].toordinal()
    inset = 24  # keep the first and last points and their labels off the axis lines

    def x_of(day: date) -> float:
        if first_day == last_day:
            return (left + right) / 2
        share = (day.toordinal() - first_day) / (last_day - first_day)
        return left + inset + share * (right - left - 2 * inset)

    plot = Group()
    if band is not None:
        _band(
            plot,
            band,
            y_of,
            left=left,
            right=right,
            y_low=y_low,
            y_high=y_high,
            size=text.band,
            font=text.font,
        )
    for tick in ticks:
        y = y_of(tick)
        plot.add(Line(left, y, right, y, strokeColor=GRID, strokeWidth=0.6))
        plot.add(
            String(
                left - 5,
                y - 0.375 * text.label,
                format_value(tick),
                fontName=text.font,
                fontSize=text.label,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    plot.add(Line(left, bottom, right, bottom, strokeColor=AXIS, strokeWidth=0.8))
    for x, label in _date_labels(days, x_of, text.label, text.font):
        plot.add(Line(x, bottom, x, bottom - 3, strokeColor=AXIS, strokeWidth=0.8))
        plot.add(
            String(
                x,
                bottom - 1.625 * text.label,
                label,
                fontName=text.font,
                fontSize=text.label,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    if reference is not None:
        _reference_line(plot, reference, y_of, left=left, right=right)
    label_points = len(points) <= MAX_LABELLED_POINTS
    for index, line in enumerate(lines):
        _series(
            plot,
            line.points,
            _colour(index),
            x_of,
            y_of,
            labelled=label_points,
            size=text.value,
            font=text.font,
        )
    drawing.add(plot)
    return drawing


def _colour(index: int):
    return colors.HexColor(PALETTE[index % len(PALETTE)])


def _legend(
    drawing: Drawing,
    entries: list[tuple[str, object, bool]],
    *,
    right,
    y,
    size: float,
    font: str = FONT,
) -> None:
    """Swatches right-aligned under the title: (text, colour, dashed) per entry."""
    x = right
    for text, colour, dashed in reversed(entries):
        x -= stringWidth(text, font, size)
        drawing.add(String(x, y, text, fontName=font, fontSize=size, fillColor=INK))
        x -= 20
        drawing.add(
            PolyLine(
                [x, y + 3, x + 16, y + 3],
                strokeColor=colour,
                strokeWidth=1.2 if dashed else 2,
                strokeDashArray=[4, 3] if dashed else None,
            )
        )
        x -= 14


def _band(
    plot: Group,
    band: ReferenceBand,
    y_of,
    *,
    left,
    right,
    y_low,
    y_high,
    size: float,
    font: str = FONT,
) -> None:
    low = y_low if band.low is None else max(band.low, y_low)
    high = y_high if band.high is None else min(band.high, y_high)
    if high <= low:
        return
    plot.add(
        Rect(
            left,
            y_of(low),
            right - left,
            y_of(high) - y_of(low),
            fillColor=BAND_FILL,
            strokeColor=None,
        )
    )
    if band.label:
        plot.add(
            String(
                left + 4,
                y_of(high) - 10 * size / 7,
                band.label,
                fontName=font,
                fontSize=size,
                fillColor=REFERENCE_INK,
            )
        )


def _reference_line(plot: Group, value: float, y_of, *, left, right) -> None:
    # A PolyLine, not a Line: renderSVG closes a Line's path ("Z"), which draws the dashes
    # twice and makes the line look solid.
    y = y_of(value)
    plot.add(
        PolyLine(
            [left, y, right, y], strokeColor=REFERENCE_INK, strokeWidth=1, strokeDashArray=[4, 3]
        )
    )


def _series(
    plot: Group,
    points: Sequence,
    colour,
    x_of,
    y_of,
    *,
    labelled: bool,
    size: float,
    font: str = FONT,
) -> None:
    segment: list[float] = []
    segments = []
    for day, value in sorted(points, key=lambda point: point[0]):
        if value is None or not math.isfinite(value):
            segments.append(segment)  # a gap: "not measured" breaks the line
            segment = []
            continue
        segment += [x_of(day), y_of(value)]
    segments.append(segment)
    for coordinates in segments:
        if len(coordinates) >= 4:
            plot.add(PolyLine(coordinates, strokeColor=colour, strokeWidth=2, strokeLineJoin=1))
    previous: tuple[float, float, float] | None = None  # x, y and width of the last label
    for day, value in sorted(points, key=lambda point: point[0]):
        if value is None or not math.isfinite(value):
            continue
        x, y = x_of(day), y_of(value)
        plot.add(Circle(x, y, 3.2, fillColor=colors.white, strokeColor=colour, strokeWidth=1.6))
        text_width = stringWidth(format_value(value), font, size)
        collides = previous is not None and (
            abs(x - previous[0]) < (text_width + previous[2]) / 2 + 2
            and abs(y - previous[1]) < size * 4 / 3
        )
        if labelled and not collides:
            previous = (x, y, text_width)
            plot.add(
                String(
                    x,
                    y + 3.2 + 0.5 * size,
                    format_value(value),
                    fontName=font,
                    fontSize=size,
                    fillColor=INK,
                    textAnchor="middle",
                )
            )


_BOLD_FAMILY = re.compile(r"(^|[;\"\s])font-family: ?Helvetica-Bold")
_FAMILY = re.compile(r"(^|[;\"\s])font-family: ?Helvetica(?![-,])")
_PROLOG = re.compile(r"^\s*<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)


def drawing_to_svg(drawing: Drawing) -> str:
    """The drawing as an SVG element ready to inline in HTML (no XML prolog), titled.

    A shared chart (``progress_chart``) is rendered once; its SVG is kept on it.
    """
    if not getattr(drawing, "_shared", False):
        return _svg(drawing)
    with RENDER_LOCK:
        svg = getattr(drawing, "_svg", None)
        if svg is None:
            svg = drawing._svg = _svg(drawing)
    return svg


def _svg(drawing: Drawing) -> str:
    from reportlab.graphics import renderSVG  # only pages that show a chart need it

    svg = renderSVG.drawToString(drawing)
    svg = _PROLOG.sub("", svg)
    title = escape(getattr(drawing, "title", "") or "Chart")
    description = escape(getattr(drawing, "description", "") or "")
    svg = svg.replace("<title>...</title>", f"<title>{title}</title>", 1)
    svg = svg.replace("<desc>...</desc>", f"<desc>{description}</desc>", 1)
    # reportlab names its PDF core fonts; browsers without Helvetica would fall back to a
    # serif face, so give them a sans-serif family list and real bold weight.
    svg = _BOLD_FAMILY.sub(
        r"\1font-family: Helvetica, Arial, 'DejaVu Sans', sans-serif; font-weight: bold", svg
    )
    svg = _FAMILY.sub(r"\1font-family: Helvetica, Arial, 'DejaVu Sans', sans-serif", svg)
    return svg.replace("<svg ", '<svg role="img" ', 1)
