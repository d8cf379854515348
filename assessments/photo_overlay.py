"""What is drawn over a posture photo (pure): its landmarks, the CVA lines and arc, the level
lines of a front or back view and the plumb line, as plain shapes in image pixels.

``overlay`` turns a photo's size, view, landmarks and angles (the output of
``photo_angles``) into an ``Overlay``; ``svg`` draws it for a page (a viewBox in image
pixels over the <img>, so it scales with the picture), ``side_by_side`` draws photos at one
height in one <svg> (the comparison), and ``PhotoFlowable`` for a PDF (reportlab).
``angle_lines`` says the angles in words for the specialist.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from .photo_angles import LANDMARK_LABELS

# A CVA change smaller than this is within measurement error: a practice default derived
# from the minimal detectable change of 1.3-1.7 degrees in [PMC10558335]
# (shared/domain/reference.md §12.2).
CVA_CLEAR_CHANGE_DEG = 2.0
NO_CLEAR_CHANGE = (
    f"no clear change (under {CVA_CLEAR_CHANGE_DEG:g}°, within measurement error: "
    "a practice default, §12.2)"
)

LEVEL_WORDS = {
    "head_tilt": "Head tilt",
    "shoulder_level": "Shoulders",
    "pelvic_level": "Pelvis",
    "knee_level": "Knees",
}
ANGLE_WORDS = {"cva": "Craniovertebral angle (CVA)"}
NOT_MEASURED_WORDS = {**ANGLE_WORDS, **LEVEL_WORDS, "plumb": "Plumb line"}

# Colours that read on skin, clothing and a light wall alike.
COLOURS = {
    "cva": "#ffd400",
    "horizontal": "#ffffff",
    "level": "#ff3d6e",
    "reference": "#ffffff",
    "plumb": "#22d3ee",
    "dot": "#ff3d6e",
    "arc": "#ffd400",
}
DASHED = {"horizontal", "reference", "plumb"}
_ARC_STEPS = 16


@dataclass(frozen=True)
class Dot:
    """A placed landmark."""

    name: str
    x: float
    y: float


@dataclass(frozen=True)
class Segment:
    """A straight line; ``kind`` is cva, horizontal, level, reference or plumb."""

    kind: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Arc:
    """The arc that marks an angle, as the points of a polyline."""

    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Label:
    """A short text whose baseline starts ("start"), ends ("end") or is centred ("middle")
    at (x, y)."""

    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class Overlay:
    """Every shape over one photo, in its pixels (origin top left, y downward)."""

    width: int
    height: int
    dots: tuple[Dot, ...] = ()
    segments: tuple[Segment, ...] = ()
    arcs: tuple[Arc, ...] = ()
    labels: tuple[Label, ...] = ()

    @property
    def unit(self) -> float:
        """The size every mark is drawn at: a hundredth of the photo's long side."""
        return max(self.width, self.height) / 100

    @property
    def empty(self) -> bool:
        return not (self.dots or self.segments or self.arcs or self.labels)


def overlay(
    *,
    width: int,
    height: int,
    view: str,
    landmarks: Mapping[str, list | tuple],
    angles: Mapping | None = None,
    facing: str | None = None,
) -> Overlay:
    """The shapes over a photo of ``view`` (side, front, back) from its ``landmarks`` and
    ``angles`` (the contract's output of ``photo_angles``); no landmark, no shape."""
    points = {name: (float(p[0]), float(p[1])) for name, p in landmarks.items()}
    unit = max(width, height) / 100
    dots = tuple(Dot(name, x, y) for name, (x, y) in points.items())
    segments: list[Segment] = []
    arcs: list[Arc] = []
    labels: list[Label] = []
    angles = angles or {}
    if view == "side":
        cva = next((a for a in angles.get("angles", ()) if a.get("code") == "cva"), None)
        if cva is not None and "tragus" in points and "c7" in points:
            _cva(points["tragus"], points["c7"], cva["value_deg"], facing, width, unit,
                 segments, arcs, labels)  # fmt: skip
        if "lateral_malleolus" in points:
            x = points["lateral_malleolus"][0]
            segments.append(Segment("plumb", x, 0.0, x, float(height)))
    else:
        for level in angles.get("levels", ()):
            _level(level, points, width, unit, segments, labels)
    return Overlay(width, height, dots, tuple(segments), tuple(arcs), tuple(labels))


def of_photo(photo, angles: Mapping | None) -> Overlay:
    """The overlay of a stored photo: anything with ``width``, ``height``,
    ``contract_view``, ``landmarks`` and ``facing`` (a PosturePhoto)."""
    return overlay(
        width=photo.width,
        height=photo.height,
        view=photo.contract_view,
        landmarks=photo.landmarks or {},
        angles=angles,
        facing=photo.facing,
    )


def placed_words(photo, local: Callable = lambda moment: moment) -> str:
    """Who placed a photo's landmarks and when ("" before any is placed); a PosturePhoto
    with its ``landmarks_placed_by`` loaded, ``local`` giving the practice's local time
    (django.utils.timezone.localtime: this module stays free of Django)."""
    if not photo.landmarks or photo.landmarks_placed_at is None:
        return ""
    by = photo.landmarks_placed_by
    who = f" by {by.display_name()}" if by is not None else ""
    day = local(photo.landmarks_placed_at)
    sources = [photo.landmark_sources.get(name, "hand") for name in photo.landmarks]
    if all(source == "hand" for source in sources):
        return f"Landmarks placed{who} on {day.day} {day:%b %Y}"
    counts = [
        (sources.count("suggested"), "suggested by the pose model and kept"),
        (sources.count("moved"), "suggested and moved"),
        (sources.count("hand"), "placed by hand"),
    ]
    how = ", ".join(f"{count} {words}" for count, words in counts if count)
    return f"Landmarks checked{who} on {day.day} {day:%b %Y}: {how}"


def _cva(tragus, c7, value, facing, width, unit, segments, arcs, labels) -> None:
    f = 1.0 if facing == "right" else -1.0
    cx, cy = c7
    length = max(math.dist(tragus, c7) * 1.2, 10 * unit)
    end_x = min(max(cx + f * length, 0.0), float(width))
    segments.append(Segment("cva", tragus[0], tragus[1], cx, cy))
    segments.append(Segment("horizontal", cx, cy, end_x, cy))
    radius = min(math.dist(tragus, c7) / 2, 6 * unit)
    start = 0.0 if f > 0 else math.pi
    turn = math.atan2(tragus[1] - cy, tragus[0] - cx) - start
    turn = (turn + math.pi) % (2 * math.pi) - math.pi  # the short way round
    arcs.append(
        Arc(
            tuple(
                (
                    cx + radius * math.cos(start + turn * step / _ARC_STEPS),
                    cy + radius * math.sin(start + turn * step / _ARC_STEPS),
                )
                for step in range(_ARC_STEPS + 1)
            )
        )
    )
    labels.append(
        Label(
            cx + f * (radius + unit),
            cy + 3 * unit,
            f"CVA {value:.1f}°",
            "start" if f > 0 else "end",
        )
    )


def _level(level, points, width, unit, segments, labels) -> None:
    left_name, right_name = level.get("landmarks", ("", ""))
    if left_name not in points or right_name not in points:
        return
    (x1, y1), (x2, y2) = points[left_name], points[right_name]
    segments.append(Segment("level", x1, y1, x2, y2))
    # A level reference through the point further left in the image, as long as the pair.
    (ax, ay), (bx, _) = sorted([(x1, y1), (x2, y2)])
    segments.append(Segment("reference", ax, ay, bx, ay))
    words = LEVEL_WORDS.get(level.get("code"), str(level.get("code")))
    text = f"{words} {level.get('difference_deg', 0):.1f}°"
    labels.append(Label((x1 + x2) / 2, min(y1, y2) - 1.5 * unit, text, "middle"))


# --- In words ------------------------------------------------------------------------------


SUGGESTED_NOTE = " (suggested, checked by hand)"


def angle_lines(angles: Mapping | None, sources: Mapping | None = None) -> tuple[str, ...]:
    """The angles of a photo in a line each, for the specialist (page and report); a line
    resting on a landmark the pose model suggested says so (``sources``: the photo's
    landmark_sources, name -> "suggested" | "moved" | "hand")."""
    if not angles:
        return ()

    def how(names) -> str:
        suggested = any((sources or {}).get(name, "hand") != "hand" for name in names)
        return SUGGESTED_NOTE if suggested else ""

    lines = [
        f"{ANGLE_WORDS.get(a['code'], a['code'])}: {a['value_deg']:.1f}°{how(a['landmarks'])}"
        for a in angles.get("angles", ())
    ]
    for level in angles.get("levels", ()):
        side = level.get("lower_side")
        lower = f", the client's {side} side lower" if side else ", level"
        words = LEVEL_WORDS.get(level["code"], level["code"])
        lines.append(
            f"{words}: {level['difference_deg']:.1f}° from level{lower}{how(level['landmarks'])}"
        )
    for offset in angles.get("plumb", ()):
        pct = offset["offset_pct"]
        where = "in front of" if pct > 0 else "behind" if pct < 0 else "on"
        name = LANDMARK_LABELS.get(offset["landmark"], offset["landmark"])
        # The line itself runs through the ankle: its source counts for every offset.
        used = (offset["landmark"], "lateral_malleolus")
        lines.append(f"Plumb line: {name} {abs(pct):.1f}% {where} the line{how(used)}")
    for missing in angles.get("not_measured", ()):
        words = NOT_MEASURED_WORDS.get(missing["code"], missing["code"])
        lines.append(f"{words} not measured: {missing['reason'].replace('_', ' ')}")
    return tuple(lines)


def cva_of(angles: Mapping | None) -> float | None:
    """The photo's CVA in degrees, or None when it has none."""
    for angle in (angles or {}).get("angles", ()):
        if angle.get("code") == "cva":
            return angle["value_deg"]
    return None


def cva_change(before: float | None, after: float | None) -> str:
    """A CVA change between two photos in words; under 2° it is no clear change (§12.2)."""
    if before is None or after is None:
        return ""
    change = after - before
    if abs(change) < CVA_CLEAR_CHANGE_DEG:
        return f"CVA {before:.1f}° → {after:.1f}°: {NO_CLEAR_CHANGE}"
    direction = (
        "the head further back over the shoulders" if change > 0 else "the head further forward"
    )
    return f"CVA {before:.1f}° → {after:.1f}°: {change:+.1f}° ({direction})"


# --- On a page: SVG --------------------------------------------------------------------------


class SvgMarkup(str):
    """SVG markup whose every text is escaped: ``__html__`` (the protocol Django's templates
    and markupsafe share) lets a template show it as markup, without Django here."""

    __slots__ = ()

    def __html__(self) -> str:
        return self


def _n(value: float) -> str:
    return f"{value:.1f}"


def svg(shapes: Overlay, *, label: str = "", css_class: str = "photo-overlay") -> SvgMarkup:
    """The overlay as an <svg> to lay over the photo's <img>: viewBox in image pixels, so it
    scales with the picture. Every text is escaped, so a template may show it as is."""
    return SvgMarkup(
        f'<svg class="{escape(css_class)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {shapes.width} {shapes.height}" preserveAspectRatio="none" '
        + _described(label)
        + _marks(shapes)
        + "</svg>"
    )


def side_by_side(
    photos: Sequence[tuple[Overlay, str]], *, height: int, gap: int = 16, label: str = ""
) -> SvgMarkup:
    """Photos (each its overlay and its image's address) in one <svg>, every one drawn
    ``height`` pixels high: the same scale, and the pair shrinks as one on a narrow screen.
    Each photo is a nested <svg class="photo"> whose viewBox is its own pixels."""
    x, inner = 0, []
    for shapes, href in photos:
        width = round(height * shapes.width / shapes.height)
        box = f'viewBox="0 0 {shapes.width} {shapes.height}" preserveAspectRatio="none"'
        inner.append(
            f'<svg class="photo" x="{x}" y="0" width="{width}" height="{height}" {box}>'
            f'<image href="{escape(href)}" x="0" y="0" width="{shapes.width}" '
            f'height="{shapes.height}" preserveAspectRatio="none"/>{_marks(shapes)}</svg>'
        )
        x += width + gap
    total = max(x - gap, 1)
    return SvgMarkup(
        f'<svg class="photo-pair mw-100 h-auto d-block" xmlns="http://www.w3.org/2000/svg" '
        f'width="{total}" height="{height}" viewBox="0 0 {total} {height}" '
        + _described(label)
        + "".join(inner)
        + "</svg>"
    )


def _described(label: str) -> str:
    # Without a label the words beside the photo say it all: a reader skips the lines.
    return f'role="img" aria-label="{escape(label)}">' if label else 'aria-hidden="true">'


def _marks(shapes: Overlay) -> str:
    """The overlay's lines, arcs, landmarks and labels, in image pixels, texts escaped."""
    unit = shapes.unit
    parts = []
    for segment in shapes.segments:
        dash = ' stroke-dasharray="6 4"' if segment.kind in DASHED else ""
        parts.append(
            f'<line class="{segment.kind}" x1="{_n(segment.x1)}" y1="{_n(segment.y1)}" '
            f'x2="{_n(segment.x2)}" y2="{_n(segment.y2)}" stroke="{COLOURS[segment.kind]}" '
            f'stroke-width="2" vector-effect="non-scaling-stroke"{dash}/>'
        )
    for arc in shapes.arcs:
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in arc.points)
        parts.append(
            f'<polyline class="arc" points="{points}" fill="none" stroke="{COLOURS["arc"]}" '
            'stroke-width="2" vector-effect="non-scaling-stroke"/>'
        )
    for dot in shapes.dots:
        parts.append(
            f'<circle class="landmark" data-name="{escape(dot.name)}" cx="{_n(dot.x)}" '
            f'cy="{_n(dot.y)}" r="{_n(unit * 0.9)}" fill="{COLOURS["dot"]}" stroke="#ffffff" '
            'stroke-width="1.5" vector-effect="non-scaling-stroke"/>'
        )
    for text in shapes.labels:
        parts.append(
            f'<text x="{_n(text.x)}" y="{_n(text.y)}" text-anchor="{escape(text.anchor)}" '
            f'font-size="{_n(unit * 2.6)}" font-weight="600" fill="#ffffff" stroke="#000000" '
            f'stroke-width="3" paint-order="stroke" vector-effect="non-scaling-stroke">'
            f"{escape(text.text)}</text>"
        )
    return "".join(parts)


# --- In a PDF: reportlab ----------------------------------------------------------------------


def drawing(shapes: Overlay, scale: float, *, font: str = "Helvetica") -> Drawing:
    """The overlay as a reportlab Drawing of the photo's size times ``scale`` (y upward)."""
    width, height = shapes.width * scale, shapes.height * scale
    result = Drawing(width, height)
    result.initialFontName = font  # nothing names a font the document does not embed

    def at(x: float, y: float) -> tuple[float, float]:
        return x * scale, height - y * scale

    for segment in shapes.segments:
        (x1, y1), (x2, y2) = at(segment.x1, segment.y1), at(segment.x2, segment.y2)
        result.add(
            Line(
                x1, y1, x2, y2,
                strokeColor=colors.HexColor(COLOURS[segment.kind]),
                strokeWidth=1.2,
                strokeDashArray=[3, 2] if segment.kind in DASHED else None,
            )
        )  # fmt: skip
    for arc in shapes.arcs:
        flat = [value for x, y in arc.points for value in at(x, y)]
        result.add(PolyLine(flat, strokeColor=colors.HexColor(COLOURS["arc"]), strokeWidth=1.2))
    radius = max(shapes.unit * 0.9 * scale, 1.6)
    for dot in shapes.dots:
        x, y = at(dot.x, dot.y)
        result.add(
            Circle(x, y, radius, fillColor=colors.HexColor(COLOURS["dot"]),
                   strokeColor=colors.white, strokeWidth=0.6)
        )  # fmt: skip
    size = 7.5
    for text in shapes.labels:
        x, y = at(text.x, text.y)
        wide = stringWidth(text.text, font, size)
        left = {"start": x, "end": x - wide}.get(text.anchor, x - wide / 2)
        result.add(
            Rect(left - 1.5, y - 2, wide + 3, size + 2, fillColor=colors.Color(0, 0, 0, 0.6),
                 strokeColor=None)
        )  # fmt: skip
        result.add(String(left, y, text.text, fontName=font, fontSize=size, fillColor=colors.white))
    return result


class PhotoFlowable(Flowable):
    """A stored photo with its overlay, fitted into ``max_width`` by ``max_height`` points."""

    def __init__(
        self, image: bytes, shapes: Overlay, *, max_width: float, max_height: float,
        font: str = "Helvetica",
    ):  # fmt: skip
        super().__init__()
        self.image, self.shapes, self.font = image, shapes, font
        self.scale = min(max_width / shapes.width, max_height / shapes.height)
        self.width, self.height = shapes.width * self.scale, shapes.height * self.scale

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.drawImage(ImageReader(BytesIO(self.image)), 0, 0, self.width, self.height)
        if not self.shapes.empty:
            renderPDF.draw(drawing(self.shapes, self.scale, font=self.font), self.canv, 0, 0)
