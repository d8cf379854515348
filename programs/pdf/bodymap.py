"""A front-view body outline with the plan's focus regions filled in, labelled and explained.

Pure drawing code: region ids (``assessments.findings.REGIONS``) in, a reportlab
``Drawing`` out. Draw it only after ``styles.setup()``: its labels use the DejaVu font.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Ellipse, Group, Path, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from assessments.findings import REGION_LABELS

from .styles import ACCENT_DARK, FONT, FONT_BOLD, INK, MUTED

BODY_FILL = colors.HexColor("#eef2f4")
BODY_STROKE = colors.HexColor("#9aa7af")
FOCUS_FILL = colors.HexColor("#8fcfc9")
FOCUS_STROKE = ACCENT_DARK
WHOLE_BODY_FILL = colors.HexColor("#dcefed")

FIGURE_HEIGHT = 296  # figure units, floor to the top of the head
FIGURE_HALF_WIDTH = 58  # fingertips
LABEL_SIZE = 9
LABEL_GAP = 15  # the least vertical distance between two labels
LEGEND_HEIGHT = 30
WHOLE_BODY = "whole_body"


@dataclass(frozen=True)
class Part:
    region: str | None  # None: drawn, never highlighted (thighs, shins)
    shape: Callable[[float], object]  # side (-1 mirrored, 1 as drawn) -> a shape


def _path(points: Iterable[tuple], side: float) -> Path:
    """A closed path from ("M"|"L", x, y) and ("C", x1, y1, x2, y2, x3, y3) steps."""
    path = Path()
    for step in points:
        kind, *xy = step
        coordinates = [value * side if i % 2 == 0 else value for i, value in enumerate(xy)]
        {"M": path.moveTo, "L": path.lineTo, "C": path.curveTo}[kind](*coordinates)
    path.closePath()
    return path


def _mirrored(points: tuple) -> Callable[[float], Path]:
    return lambda side: _path(points, side)


def _ellipse(x: float, y: float, rx: float, ry: float) -> Callable[[float], Ellipse]:
    return lambda side: Ellipse(x * side, y, rx, ry)


# A figure about 60 units wide at the shoulders; paths are the left side, mirrored for
# the right. Order matters: later parts are drawn over earlier ones.
UPPER_ARM = (("M", -47, 222), ("L", -52, 165), ("L", -40, 162), ("L", -30, 214))
FOREARM = (("M", -52, 167), ("L", -57, 113), ("L", -47, 111), ("L", -40, 164))
THIGH = (
    ("M", -31, 98),
    ("C", -31, 84, -27, 74, -23, 66),
    ("L", -6, 66),
    ("C", -5, 76, -3, 86, -1, 92),
)
SHIN = (
    ("M", -22, 55),
    ("C", -23, 42, -21, 30, -19, 19),
    ("L", -10, 19),
    ("C", -9, 30, -7, 42, -6, 55),
)
FOOT = (
    ("M", -19, 21),
    ("L", -10, 21),
    ("L", -9, 10),
    ("C", -6, 7, -6, 2, -10, 1),
    ("L", -24, 1),
    ("C", -31, 2, -30, 8, -20, 10),
)
NECK = (("M", -7, 254), ("L", -8.5, 234), ("L", 8.5, 234), ("L", 7, 254))
THORAX = (
    ("M", -30, 234),
    ("C", -36, 220, -34, 190, -27, 172),
    ("L", 27, 172),
    ("C", 34, 190, 36, 220, 30, 234),
    ("C", 18, 239, -18, 239, -30, 234),
)
ABDOMEN = (
    ("M", -27, 172),
    ("C", -25, 158, -26, 142, -29, 130),
    ("L", 29, 130),
    ("C", 26, 142, 25, 158, 27, 172),
)
PELVIS = (
    ("M", -29, 130),
    ("C", -33, 118, -33, 106, -31, 96),
    ("L", -2, 90),
    ("L", 0, 88),
    ("L", 2, 90),
    ("L", 31, 96),
    ("C", 33, 106, 33, 118, 29, 130),
)

PARTS = (
    Part("shoulders", _mirrored(UPPER_ARM)),
    Part("shoulders", _mirrored(FOREARM)),
    Part("shoulders", _ellipse(-52, 101, 6.5, 11)),
    Part(None, _mirrored(THIGH)),
    Part(None, _mirrored(SHIN)),
    Part("feet_ankles", _mirrored(FOOT)),
    Part("knees", _ellipse(-14.5, 60, 9.5, 9)),
    Part("head_neck", _mirrored(NECK)),
    Part("lumbo_pelvic_hip", _mirrored(PELVIS)),
    Part("abdomen_pelvic_floor", _mirrored(ABDOMEN)),
    Part("thoracic_spine", _mirrored(THORAX)),
    Part("shoulders", _ellipse(-37, 222, 11.5, 12.5)),
    Part("head_neck", _ellipse(0, 274, 16, 20)),
)
CENTRED = {"head_neck", "thoracic_spine", "abdomen_pelvic_floor", "lumbo_pelvic_hip"}

# Where each region's leader line starts, on the figure's right side.
ANCHORS = {
    WHOLE_BODY: (0, 294),
    "head_neck": (13, 278),
    "shoulders": (44, 226),
    "thoracic_spine": (18, 206),
    "abdomen_pelvic_floor": (14, 152),
    "lumbo_pelvic_hip": (24, 112),
    "knees": (20, 62),
    "feet_ankles": (24, 6),
}


def body_map(regions: Iterable[str], *, width: float, height: float = 300) -> Drawing:
    """The figure with ``regions`` filled and labelled (unknown ids are ignored)."""
    focus = {region for region in regions if region in REGION_LABELS}
    whole_body = WHOLE_BODY in focus
    drawing = Drawing(width, height, initialFontName=FONT)  # not the default Helvetica

    scale = (height - LEGEND_HEIGHT - 6) / FIGURE_HEIGHT
    centre_x = min(width * 0.3, 150)
    figure = Group(transform=(scale, 0, 0, scale, centre_x, LEGEND_HEIGHT + 4))
    for part in PARTS:
        for side in (1,) if part.region in CENTRED else (-1, 1):
            shape = part.shape(side)
            highlighted = part.region in focus
            shape.fillColor = (
                FOCUS_FILL if highlighted else WHOLE_BODY_FILL if whole_body else BODY_FILL
            )
            shape.strokeColor = FOCUS_STROKE if highlighted or whole_body else BODY_STROKE
            shape.strokeWidth = (2.2 if whole_body else 1.1) / scale
            shape.strokeLineJoin = 1
            figure.add(shape)
    drawing.add(figure)

    labels = _label_positions(focus, scale=scale, base=LEGEND_HEIGHT + 4, top=height)
    label_x = centre_x + (FIGURE_HALF_WIDTH + 46) * scale
    for region, anchor_y, label_y in labels:
        anchor_x = centre_x + ANCHORS[region][0] * scale
        drawing.add(
            PolyLine(
                [anchor_x, anchor_y, label_x - 24, label_y + 3, label_x - 5, label_y + 3],
                strokeColor=FOCUS_STROKE,
                strokeWidth=0.7,
            )
        )
        drawing.add(Circle(anchor_x, anchor_y, 2, fillColor=FOCUS_STROKE, strokeColor=None))
        drawing.add(
            String(
                label_x,
                label_y,
                REGION_LABELS[region],
                fontName=FONT_BOLD,
                fontSize=LABEL_SIZE,
                fillColor=INK,
            )
        )
    _legend(drawing, centre_x - FIGURE_HALF_WIDTH * scale, focus=focus)
    return drawing


def _label_positions(
    focus: set[str], *, scale: float, base: float, top: float
) -> list[tuple[str, float, float]]:
    """(region, anchor y, label y), top to bottom, at least ``LABEL_GAP`` apart."""
    anchored = sorted(
        ((region, base + ANCHORS[region][1] * scale) for region in focus),
        key=lambda item: -item[1],
    )
    positions = []
    previous = top - LABEL_SIZE + LABEL_GAP
    for region, anchor_y in anchored:
        label_y = min(anchor_y - 3, previous - LABEL_GAP)
        positions.append((region, anchor_y, label_y))
        previous = label_y
    return positions


def _legend(drawing: Drawing, x: float, *, focus: set[str]) -> None:
    entries = []
    if focus - {WHOLE_BODY}:
        entries.append((FOCUS_FILL, FOCUS_STROKE, "What your plan works on"))
    if WHOLE_BODY in focus:
        entries.append((WHOLE_BODY_FILL, FOCUS_STROKE, "Whole body: how you move overall"))
    else:
        entries.append((BODY_FILL, BODY_STROKE, "Not a focus for now"))
    for fill, stroke, label in entries:
        drawing.add(Rect(x, 8, 14, 10, rx=2, ry=2, fillColor=fill, strokeColor=stroke))
        drawing.add(String(x + 20, 9.5, label, fontName=FONT, fontSize=8.5, fillColor=MUTED))
        x += 20 + stringWidth(label, FONT, 8.5) + 22
