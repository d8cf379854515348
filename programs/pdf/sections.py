"""The pieces every PDF is made of: escaped text, headings in the outline, dates, tables,
notice panels and the practice logo (the client's plan and the report share them).

Every string of a document reaches a ``Paragraph`` through ``text()``, the one place
where user text meets reportlab markup; markup only ever comes from templates here.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from PIL.Image import DecompressionBombWarning
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import CondPageBreak, Flowable, Image, Paragraph, Table, TableStyle

from core.logos import MAX_LOGO_PIXELS, PRINT_BOX_MM

from .styles import ACCENT, ACCENT_DARK, FONT, RULE, ZEBRA, Styles

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
LOGO_MAX_WIDTH = PRINT_BOX_MM[0] * mm
LOGO_MAX_HEIGHT = PRINT_BOX_MM[1] * mm
# C0 controls other than tab and newline, and DEL: they have no glyph and no business
# in a printed plan.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def text(value: object) -> str:
    """``value`` as literal text for reportlab markup: ``<``, ``>``, ``&`` and quotes escaped."""
    plain = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return escape(plain, {'"': "&quot;", "'": "&#39;"})


def para(value: object, style) -> Paragraph:
    """A paragraph showing ``value`` literally."""
    return Paragraph(text(value), style)


class Heading(Paragraph):
    """A section's heading that is also an entry of the PDF's outline (its bookmarks).

    Drawn, it marks its place (``bookmarkPage``) and adds itself to the outline at
    ``level``: 0 for a section, 1 for a part of one (a phase).
    """

    def __init__(self, markup: str, style, *, outline: str, level: int = 0):
        super().__init__(markup, style)
        self.outline = outline
        self.level = level

    def draw(self):
        x, y = self.canv.absolutePosition(0, self.height)
        # Unique within the document and the same on every render (same bytes).
        key = f"section-p{self.canv.getPageNumber()}-y{round(y)}"
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=y)
        self.canv.addOutlineEntry(self.outline, key, level=self.level)
        super().draw()


def heading(value: object, style, *, level: int = 0) -> Heading:
    """A heading showing ``value`` literally, listed in the PDF's outline."""
    return Heading(text(value), style, outline=" ".join(str(value).split()), level=level)


def lines(value: str) -> str:
    """Escaped ``value`` with its line breaks kept."""
    return text(value).replace("\n", "<br/>")


def format_day(day: date) -> str:
    """A date as the client reads it, e.g. "2 March 2026" (no locale involved)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def week_range(weeks: tuple[int, int]) -> str:
    first, last = sorted(weeks)
    return f"week {first}" if first == last else f"weeks {first}–{last}"


@dataclass(frozen=True)
class Layout:
    """What every section needs to lay itself out: the styles and the frame's size."""

    styles: Styles
    width: float
    height: float


# Table styles, named so that no section counts rows itself.
def header_row() -> list[tuple]:
    """The first row is a header: accent background, bold white text."""
    return [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT_DARK),
    ]


def zebra_body() -> list[tuple]:
    """Alternate light backgrounds on the rows under the header."""
    return [("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA])]


def cell_padding(horizontal: float = 5, vertical: float = 4) -> list[tuple]:
    return [
        ("LEFTPADDING", (0, 0), (-1, -1), horizontal),
        ("RIGHTPADDING", (0, 0), (-1, -1), horizontal),
        ("TOPPADDING", (0, 0), (-1, -1), vertical),
        ("BOTTOMPADDING", (0, 0), (-1, -1), vertical),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # Text cells (even empty ones) set the table's font, Helvetica unless told: it
        # would be the one font of the plan not embedded.
        ("FONTNAME", (0, 0), (-1, -1), FONT),
    ]


def row_rules() -> list[tuple]:
    """Thin lines between rows and a frame around the table."""
    return [
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ]


def header_span(first: int, last: int) -> list[tuple]:
    """One header cell across columns ``first``..``last``."""
    return [("SPAN", (first, 0), (last, 0))]


def panel(fill, edge) -> list[tuple]:
    """A tinted box with a strong left edge, for notices that must not be missed."""
    return [
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("LINEBEFORE", (0, 0), (0, -1), 3, edge),
        *cell_padding(horizontal=10, vertical=3),
        ("TOPPADDING", (0, 0), (-1, 0), 8),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]


def data_table(rows: list[list], widths: list[float], layout: Layout, *extra: list[tuple]) -> Table:
    """A table with a header row that repeats on every page it spans.

    Rows move whole to the next page; only a row taller than a page splits inside its
    cells (``splitInRow``), where it would otherwise raise LayoutError.
    """
    style = [*cell_padding(), *header_row(), *zebra_body(), *row_rules()]
    for commands in extra:
        style += commands
    taller_than_page = _tallest_row(rows, widths) > layout.height * 0.9
    return Table(
        rows,
        colWidths=widths,
        repeatRows=1,
        splitInRow=1 if taller_than_page else 0,
        style=TableStyle(style),
        hAlign="LEFT",
    )


def headed_table(
    headings: list[Flowable], rows: list[list], widths: list[float], layout: Layout
) -> list[Flowable]:
    """Headings, then a table that may span pages: a new page first when the headings,
    the header row and the first row would not fit, else the table starts right below.

    A heading kept with its next flowable (``keepWithNext``) would keep the whole table:
    when the table did not fit, it moved to the next page and left the rest of this one
    empty (the specialist's report showed its findings only from page 2).
    """
    needed = data_table(rows[:2], widths, layout).wrap(layout.width, layout.height)[1]
    for flowable in headings:
        flowable.keepWithNext = 0  # the page break above does that job, row-sized
        needed += flowable.wrap(layout.width, layout.height)[1]
        needed += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return [CondPageBreak(needed), *headings, data_table(rows, widths, layout)]


def _tallest_row(rows: list[list], widths: list[float], padding: float = 5) -> float:
    """The height of the tallest row, each cell's flowables wrapped at its column's width.

    The width is worked out as the table works it out: the column less its left and
    right padding.
    """
    tallest = 0.0
    for row in rows:
        for cell, width in zip(row, widths, strict=False):
            available = width - padding - padding
            height = 0.0
            for item in cell if isinstance(cell, list) else (cell,):
                if isinstance(item, Flowable):
                    height += item.wrap(available, 1e6)[1]
            tallest = max(tallest, height + 2 * padding)
    return tallest


def notice_box(rows: list[Flowable], *, fill, edge, width: float) -> Table:
    """Flowables stacked in a tinted panel; one per row so that a long panel can split."""
    return Table(
        [[row] for row in rows],
        colWidths=[width],
        style=TableStyle(panel(fill, edge)),
        hAlign="LEFT",
    )


def header_cells(labels: list[str], layout: Layout) -> list[Paragraph]:
    return [para(label, layout.styles.cell_header) for label in labels]


def logo_image(data: bytes | None) -> Image | None:
    """The practice logo scaled into its box, or None when the bytes are not an image
    or have more pixels than an upload may (a logo stored before uploads were checked)."""
    if not data:
        return None
    try:
        with warnings.catch_warnings():
            # Pillow warns between one and two times its limit; the count below decides.
            warnings.simplefilter("ignore", DecompressionBombWarning)
            width, height = ImageReader(BytesIO(data)).getSize()  # the header, not decoded
        if width * height > MAX_LOGO_PIXELS:
            return None
        scale = min(LOGO_MAX_WIDTH / width, LOGO_MAX_HEIGHT / height)
        logo = Image(BytesIO(data), width=width * scale, height=height * scale)
    except Exception:  # noqa: BLE001 - any unreadable logo is skipped, never a 500
        return None
    logo.hAlign = "LEFT"
    return logo
