"""The plan's sections, each a function from the document to a list of flowables.

Every string of the document reaches a ``Paragraph`` through ``text()``, the one place
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
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from assessments.charts import RENDER_LOCK
from core.logos import MAX_LOGO_PIXELS, PRINT_BOX_MM
from programs.plan import NOT_MEASURED, ExerciseDoc, PhaseDoc, PlanDocument

from .bodymap import body_map
from .styles import (
    ACCENT,
    ACCENT_DARK,
    ACCENT_TINT,
    CAUTION,
    CAUTION_TINT,
    FONT,
    RULE,
    ZEBRA,
    Styles,
)

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
ALWAYS_SAFE = (
    "This plan is not medical advice, and it does not replace care from your physician.",
    "Stop and contact your specialist if you feel pain or dizziness during or after an exercise.",
)
# C0 controls other than tab and newline, and DEL: they have no glyph and no business
# in a printed plan.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n\s*\n")


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


def centred_columns(first: int, last: int) -> list[tuple]:
    return [
        ("ALIGN", (first, 0), (last, -1), "CENTER"),
        ("VALIGN", (first, 1), (last, -1), "MIDDLE"),
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


class TickBox(Flowable):
    """An empty square for the client to tick by hand."""

    def __init__(self, size: float = 11):
        super().__init__()
        self.size = size
        self.hAlign = "CENTER"

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        self.canv.setStrokeColor(ACCENT)
        self.canv.setFillColor(colors.white)
        self.canv.setLineWidth(0.9)
        self.canv.roundRect(0, 0, self.size, self.size, 1.5, stroke=1, fill=1)


class Figure(Flowable):
    """A reportlab Drawing, scaled by ``scale``, drawn with ``renderPDF.draw``.

    The Drawing itself stays as it is (a chart may be shared with other plans and the
    web page): platypus keeps its layout state on this flowable, and one thread at a
    time renders a drawing (``RENDER_LOCK``).
    """

    def __init__(self, drawing, *, scale: float = 1.0, hAlign: str = "LEFT"):
        super().__init__()
        self.drawing = drawing
        self.scale = scale
        self.width = drawing.width * scale
        self.height = drawing.height * scale
        self.hAlign = hAlign

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        with RENDER_LOCK:
            renderPDF.draw(self.drawing, self.canv, 0, 0)
        self.canv.restoreState()


def scaled_figure(drawing, *, width: float, max_height: float) -> Figure:
    """``drawing`` as large as fits ``width`` and ``max_height``, keeping its proportions."""
    scale = min(width / drawing.width, max_height / drawing.height)
    return Figure(drawing, scale=scale)


# Sections, in the order the plan prints them.
def cover(doc: PlanDocument, layout: Layout) -> list[Flowable]:
    styles = layout.styles
    practice = para(doc.practice_name, styles.practice)
    logo = logo_image(doc.practice_logo)
    if logo is None:
        flowables: list[Flowable] = [practice]
    else:
        gap = 6 * mm
        banner = Table(
            [[logo, practice]],
            colWidths=[logo.drawWidth + gap, layout.width - logo.drawWidth - gap],
            style=TableStyle([*cell_padding(0, 0), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]),
            hAlign="LEFT",
        )
        flowables = [banner, Spacer(1, 10)]
    flowables += [
        heading(doc.title, styles.title),
        Paragraph(f"A corrective exercise plan for {text(doc.client_name)}", styles.subtitle),
    ]
    published = format_day(doc.published_on) if doc.published_on else "Draft, not yet published"
    facts = [
        ("Client", doc.client_name),
        ("Your specialist", doc.specialist_name),
        ("Practice", doc.practice_name),
        ("Plan starts", format_day(doc.starts_on)),
        ("Re-test date", format_day(doc.retest_on)),
        ("Version", f"Version {doc.version}"),
        ("Published", published),
    ]
    if doc.assessed_on:
        facts.insert(3, ("Assessed on", format_day(doc.assessed_on)))
    return [*flowables, _fact_grid(facts, layout), Spacer(1, 6), _online(doc, layout)]


def _online(doc: PlanDocument, layout: Layout) -> Paragraph:
    """Where the same plan is as an accessible web page (headings, lists, described
    illustrations), for a client who reads with a screen reader or a larger text."""
    where = f": {text(doc.portal_url)}" if doc.portal_url else ""
    return Paragraph(
        "<b>Also online.</b> This plan is in your client portal as an accessible web page "
        f"(sign in and open My plans){where}.",
        layout.styles.muted,
    )


def _fact_grid(facts: list[tuple[str, str]], layout: Layout) -> Table:
    styles = layout.styles
    columns = 3
    cells = [
        [para(label, styles.cover_label), para(value, styles.cover_value)] for label, value in facts
    ]
    cells += [""] * (-len(cells) % columns)
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    style = [
        *cell_padding(horizontal=8, vertical=6),
        ("BACKGROUND", (0, 0), (-1, -1), ACCENT_TINT),
        ("LINEABOVE", (0, 0), (-1, 0), 2, ACCENT),
    ]
    return Table(
        rows, colWidths=[layout.width / columns] * columns, style=TableStyle(style), hAlign="LEFT"
    )


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


def screening(doc: PlanDocument, layout: Layout) -> list[Flowable]:
    styles = layout.styles
    title = heading("Before you start", styles.heading)
    if doc.screening.cleared:
        rows = [
            para(
                "Your health screening is clear: there is nothing you need to discuss with a "
                "physician before starting this plan.",
                styles.reassurance,
            ),
            *(para(line, styles.body) for line in doc.screening.lines),
        ]
        fill, edge = ACCENT_TINT, ACCENT
    else:
        rows = [
            para("Please talk to your physician before you start", styles.notice_title),
            para(
                "Your screening found something a physician should look at first. "
                "Take this page with you and discuss:",
                styles.body,
            ),
            *(Paragraph(text(line), styles.notice, bulletText="•") for line in doc.screening.lines),
        ]
        fill, edge = CAUTION_TINT, CAUTION
    return [title, notice_box(rows, fill=fill, edge=edge, width=layout.width)]


def findings(doc: PlanDocument, layout: Layout) -> list[Flowable]:
    styles = layout.styles
    title = heading("What your assessment showed", styles.heading)
    if not doc.findings:
        return [
            title,
            para(
                "Your assessment found nothing that needed correcting. This plan helps you "
                "keep moving well.",
                styles.body,
            ),
        ]
    rows = [header_cells(["Measure", "Your result", "Reference", "What it means"], layout)]
    for row in doc.findings:
        measured = row.value.strip() and row.value != NOT_MEASURED
        rows.append(
            [
                para(row.measure, styles.cell),
                para(row.value, styles.cell) if measured else para(NOT_MEASURED, styles.cell_muted),
                para(row.reference, styles.cell),
                para(row.meaning, styles.cell),
            ]
        )
    # A long table starts under its heading on the current page and continues on the
    # next (its header row repeats), instead of leaving the cover page half empty.
    title.keepWithNext = False
    return [
        CondPageBreak(50 * mm),
        title,
        data_table(rows, _widths(layout, 0.24, 0.16, 0.22, 0.38), layout),
    ]


def body_map_figure(doc: PlanDocument, layout: Layout) -> list[Flowable]:
    if not doc.regions:
        return []
    styles = layout.styles
    drawing = body_map(doc.regions, width=min(layout.width, 400))
    figure = Figure(drawing, hAlign="CENTER")
    return [
        KeepTogether(
            [
                heading("Where your plan focuses", styles.heading),
                figure,
                para(
                    "The shaded areas are the parts of the body your exercises work on.",
                    styles.caption,
                ),
            ]
        )
    ]


def phases(doc: PlanDocument, layout: Layout) -> list[Flowable]:
    if not doc.phases:
        return []
    flowables: list[Flowable] = [
        CondPageBreak(70 * mm),
        heading("Your exercises", layout.styles.heading),
        para(
            "Work through the phases in order. Move on to the next phase only when your "
            "specialist confirms you meet its goal.",
            layout.styles.body,
        ),
    ]
    for number, phase in enumerate(doc.phases, start=1):
        flowables += _phase(number, phase, layout)
    return flowables


NO_EXERCISES = "No exercises in this phase."


def _phase(number: int, phase: PhaseDoc, layout: Layout) -> list[Flowable]:
    styles = layout.styles
    banner = Table(
        [[heading(f"Phase {number}: {phase.title}", styles.phase_heading, level=1)]],
        colWidths=[layout.width],
        style=TableStyle(
            [("BACKGROUND", (0, 0), (-1, -1), ACCENT), *cell_padding(horizontal=10, vertical=6)]
        ),
        hAlign="LEFT",
    )
    sessions = phase.sessions_per_week
    plan_line = (
        f"{week_range(phase.weeks).capitalize()} · {sessions} "
        f"session{'s' if sessions != 1 else ''} a week"
    )
    intro = [banner, Spacer(1, 6), para(plan_line, styles.body)]
    if phase.criteria.strip():
        intro.append(Paragraph(f"<b>Move on when:</b> {lines(phase.criteria)}", styles.body))
    flowables: list[Flowable] = [CondPageBreak(60 * mm), Spacer(1, 8), KeepTogether(intro)]
    if not phase.exercises:
        # An empty phase says why instead of printing an empty table and a checklist
        # of sessions with nothing in them.
        flowables.append(Paragraph(f"<b>{NO_EXERCISES}</b> {lines(phase.note)}", styles.body))
        return flowables
    flowables.append(_exercise_table(phase.exercises, layout))
    flowables += _checklist(phase, layout)
    return flowables


def _exercise_table(exercises: tuple[ExerciseDoc, ...], layout: Layout) -> Table:
    styles = layout.styles
    rows = [
        header_cells(
            ["Exercise", "Sets", "Reps or hold", "Tempo", "How to do it", "Equipment"], layout
        )
    ]
    for number, exercise in enumerate(exercises, start=1):
        how = [Paragraph(text(cue), styles.cue, bulletText="•") for cue in exercise.cues]
        if exercise.notes.strip():
            how.append(Paragraph(lines(exercise.notes), styles.cell_muted))
        rows.append(
            [
                Paragraph(f"<b>{number}. {text(exercise.name)}</b>", styles.cell),
                para("–" if exercise.sets is None else exercise.sets, styles.cell),
                para(exercise.dose or "–", styles.cell),
                para(exercise.tempo or "–", styles.cell),
                how or para("–", styles.cell),
                para(", ".join(exercise.equipment) or "none", styles.cell),
            ]
        )
    return data_table(rows, _widths(layout, 0.22, 0.07, 0.18, 0.09, 0.3, 0.14), layout)


def _checklist(phase: PhaseDoc, layout: Layout) -> list[Flowable]:
    styles = layout.styles
    first, last = sorted(phase.weeks)
    sessions = max(phase.sessions_per_week, 1)
    week_width = 22 * mm
    # Boxes at least 15 mm apart, together wide enough for their header, leaving the
    # notes column 40 mm when a phase has many sessions a week.
    session_width = min(
        max(15 * mm, 30 * mm / sessions), (layout.width - week_width - 40 * mm) / sessions
    )
    notes_width = layout.width - week_width - sessions * session_width
    rows = [
        [
            para("Week", styles.cell_header),
            para("Sessions done", styles.cell_header),
            *[""] * (sessions - 1),
            para("How did it feel?", styles.cell_header),
        ]
    ]
    rows += [
        [para(f"Week {week}", styles.cell), *[TickBox() for _ in range(sessions)], ""]
        for week in range(first, last + 1)
    ]
    table = data_table(
        rows,
        [week_width, *[session_width] * sessions, notes_width],
        layout,
        header_span(1, sessions),
        centred_columns(1, sessions),
        [("TOPPADDING", (0, 1), (-1, -1), 7), ("BOTTOMPADDING", (0, 1), (-1, -1), 7)],
    )
    heading = [
        para("Weekly checklist", styles.subheading),
        para("Tick a box each time you finish a session, and note how it felt.", styles.muted),
    ]
    # Splits like the table alone when a long phase's checklist is taller than a page.
    return [KeepTogether([*heading, table]), Spacer(1, 6)]


def charts(doc: PlanDocument, layout: Layout) -> list[Flowable]:
    styles = layout.styles
    flowables: list[Flowable] = []
    for chart in doc.charts:
        block: list[Flowable] = [] if flowables else [heading("Your progress", styles.heading)]
        # assessments.charts draws its own title; print ours only when it says more.
        if chart.title and chart.title != getattr(chart.drawing, "title", None):
            block.append(para(chart.title, styles.subheading))
        drawn = scaled_figure(chart.drawing, width=layout.width, max_height=layout.height * 0.7)
        block += [drawn, Spacer(1, 10)]
        flowables.append(KeepTogether(block))
    return flowables


def safety(doc: PlanDocument, layout: Layout) -> list[Flowable]:
    styles = layout.styles
    rows = [para("Exercise safely", styles.notice_title)]
    rows += [
        Paragraph(text(note), styles.notice, bulletText="•")
        for note in (*doc.safety_notes, *ALWAYS_SAFE)
        if note.strip()
    ]
    return [
        heading("Staying safe", styles.heading),
        notice_box(rows, fill=CAUTION_TINT, edge=CAUTION, width=layout.width),
    ]


def notes(doc: PlanDocument, layout: Layout) -> list[Flowable]:
    if not doc.notes.strip():
        return []
    styles = layout.styles
    return [
        heading(f"A note from {doc.specialist_name}", styles.heading),
        *(
            Paragraph(lines(block.strip()), styles.body)
            for block in _BLANK_LINES.split(doc.notes)
            if block.strip()
        ),
    ]


def sources(doc: PlanDocument, layout: Layout) -> list[Flowable]:
    """A short bibliography for the specialist: each source id the findings and rules cite."""
    if not doc.sources:
        return []
    styles = layout.styles
    flowables: list[Flowable] = [
        CondPageBreak(40 * mm),
        heading("Sources (for your specialist)", styles.heading),
        para(
            "The findings and rules of this plan cite these sources by their id.",
            styles.cell_muted,
        ),
    ]
    rows = [header_cells(["Source id", "Citation (the primary work first)"], layout)]
    rows += [
        [para(source.id, styles.cell), [para(line, styles.cell) for line in source.lines]]
        for source in doc.sources
    ]
    flowables.append(data_table(rows, _widths(layout, 0.2, 0.8), layout))
    return flowables


SECTIONS = (cover, screening, findings, body_map_figure, phases, charts, safety, notes, sources)


def story(doc: PlanDocument, layout: Layout) -> list[Flowable]:
    """All sections of the plan, in print order."""
    return [flowable for section in SECTIONS for flowable in section(doc, layout)]


def _widths(layout: Layout, *shares: float) -> list[float]:
    return [layout.width * share for share in shares]
