"""The client's plan as a PDF: ``render_client_plan(plan, page_size=...)`` (pure).

The words are the ``ClientPlan``'s (``programs.client_plan``), the same as the portal's;
this module only lays them out for a client at home: what we found, their before photo
with its lines (only when their consent allows it), before you start, how
to read a session, the session itself as exercise cards with their illustrations, one
weekly checklist, what comes next and when to stop. Every person-written string reaches
a ``Paragraph`` through ``sections.text`` (the one escaping helper).

Each exercise's illustration is a form XObject named ``illustration-<slug>``, defined once
and drawn on each card that shows it (a smaller file, and a name a reader can count).
"""

from __future__ import annotations

import re

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from assessments.photo_overlay import PhotoFlowable
from programs.client_plan import ClientPlan, ExerciseCard, Readiness, Stage, Step
from programs.illustrations import scene_height, scene_of, shipped_operators

from . import build_pdf, pages, styles
from .sections import format_day, lines, logo_image, text

__all__ = ["ILLUSTRATION_FORM", "PORTAL_LINE", "render_client_plan"]

ILLUSTRATION_WIDTH = 45 * mm
PHOTO_WIDTH = 62 * mm
PHOTO_MAX_HEIGHT = 90 * mm
ILLUSTRATION_FORM = "illustration-{}"  # one form XObject per exercise's pose
PORTAL_LINE = (
    "<b>Also online.</b> The same plan is in your client portal as an accessible web page, "
    "every exercise described in words, for a screen reader or your phone (sign in and open "
    "My plans){where}."
)
TICK = "☐"  # U+2610 BALLOT BOX, in DejaVu Sans
_FORM_NAME = re.compile(r"[^a-z0-9-]")


class Bookmark(Flowable):
    """An outline entry (bookmark) for the section that follows, kept on its page."""

    def __init__(self, title: str, key: str, level: int = 0):
        super().__init__()
        self.title, self.key, self.level = title, key, level
        self.keepWithNext = 1  # the entry points at the page its heading lands on

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level)
        self.canv.showOutline()


class Illustration(Flowable):
    """An exercise's drawing, defined once per document as a form XObject and drawn here."""

    def __init__(self, slug: str, operators: str, width: float, height: float):
        super().__init__()
        self.form = ILLUSTRATION_FORM.format(_FORM_NAME.sub("", slug.lower()))
        self.operators = operators  # drawing.shipped_operators: prepared once per process
        self.width, self.height = width, height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        if not self.canv.hasForm(self.form):
            self.canv.beginForm(self.form, 0, 0, self.width, self.height)
            self.canv.addLiteral(self.operators)
            self.canv.endForm()
        self.canv.doForm(self.form)


class Card(Flowable):
    """An exercise's card: its drawing on the left, its words beside it, a rule below.

    Laid out as a one-row table would be, without a table's general machinery (a plan
    has a card per exercise). It does not split: a card stays on one page.
    """

    GAP = 5 * mm
    TOP, BOTTOM = 6, 8  # padding above and below, in points

    def __init__(self, picture: Flowable, words: list[Flowable], *, width: float):
        super().__init__()
        self.picture, self.words, self.width = picture, words, width
        self.text_x = ILLUSTRATION_WIDTH + self.GAP

    def wrap(self, available_width, available_height):
        text_width = self.width - self.text_x
        _, self.picture_height = self.picture.wrapOn(self.canv, self.text_x, available_height)
        total = 0.0
        self.sizes = []
        for index, flowable in enumerate(self.words):
            _, height = flowable.wrapOn(self.canv, text_width, available_height)
            before = flowable.getSpaceBefore() if index else 0
            after = flowable.getSpaceAfter() if index < len(self.words) - 1 else 0
            self.sizes.append((before, height, after))
            total += before + height + after
        self.height = self.TOP + max(self.picture_height, total) + self.BOTTOM
        return self.width, self.height

    def draw(self):
        top = self.height - self.TOP
        self.picture.drawOn(self.canv, 0, top - self.picture_height)
        y = top
        for flowable, (before, height, after) in zip(self.words, self.sizes, strict=True):
            y -= before + height
            flowable.drawOn(self.canv, self.text_x, y)
            y -= after
        self.canv.saveState()
        self.canv.setStrokeColor(styles.RULE)
        self.canv.setLineWidth(0.5)
        self.canv.line(0, 0, self.width, 0)
        self.canv.restoreState()


class Look:
    """The paragraph styles of the client's plan: the shared ones plus the card's own."""

    def __init__(self, base: styles.Styles):
        self.base = base
        self.card_name = ParagraphStyle(
            "card_name", parent=base.body, fontName=styles.FONT_BOLD, fontSize=11.5, leading=15,
            textColor=styles.INK, spaceAfter=2,
        )  # fmt: skip
        self.dose = ParagraphStyle(
            "dose", parent=base.body, fontName=styles.FONT_BOLD, textColor=styles.ACCENT_DARK,
            spaceAfter=3,
        )  # fmt: skip
        self.why = ParagraphStyle(
            "why", parent=base.body, fontName=styles.FONT_ITALIC, textColor=styles.MUTED,
            spaceBefore=2, spaceAfter=0,
        )  # fmt: skip
        self.cue = ParagraphStyle("card_cue", parent=base.cue, fontSize=9.5, leading=12.5)
        self.tick = ParagraphStyle("tick", parent=base.cell, fontSize=13, leading=15)
        self.step_purpose = ParagraphStyle("step_purpose", parent=base.muted, spaceAfter=4)


def render_client_plan(
    plan: ClientPlan, *, page_size: str = "A4", logo: bytes | None = None, portal_url: str = ""
) -> bytes:
    """The client's plan as PDF bytes on "A4" or "Letter" pages; same plan, same bytes.

    ``portal_url``: the plan's page in the client portal, printed when known.
    """
    return build_pdf(
        lambda layout: _story(plan, Look(layout.styles), layout.width, logo, portal_url),
        pagesize=page_size,
        title=plan.document_title,
        author=plan.practice,
        subject="Exercise plan",
        running=pages.RunningText(
            title=plan.document_title, client=plan.first_name, practice=plan.practice
        ),
    )


def _story(
    plan: ClientPlan, look: Look, width: float, logo: bytes | None, portal_url: str
) -> list[Flowable]:
    """The plan's sections, in print order."""
    return [
        *_cover(plan, look, width, logo),
        Spacer(1, 6),
        # Early, so that a client with a screen reader learns at once where to read it.
        Paragraph(
            PORTAL_LINE.format(where=f": {text(portal_url)}" if portal_url else ""), look.base.muted
        ),
        *_found(plan, look),
        *_photo(plan, look, width),
        *_before(plan, look, width),
        # Before the exercises: when to stop is read before the first session, and the
        # panel no longer ends the plan alone on a page of its own.
        *_safety(plan, look, width),
        *_how_to_read(plan, look),
        *_routine(plan, look, width),
        *_checklist(plan, look, width),
        *_next(plan, look),
    ]


def _style(commands: list[tuple]) -> TableStyle:
    """A table style whose cells start in DejaVu: a table's default font, Helvetica, would
    be named in the file (unembedded) even by a cell that holds no text."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.FONT), *commands])


def _section(title: str, key: str, look: Look) -> list[Flowable]:
    return [Bookmark(title, key), Paragraph(text(title), look.base.heading)]


def _bullets(items, style) -> list[Paragraph]:
    return [Paragraph(text(item), style, bulletText="•") for item in items]


def _panel(rows: list[Flowable], *, fill, edge, width: float) -> Table:
    """Flowables in a tinted panel, one per row so that a long panel can split."""
    return Table(
        [[row] for row in rows],
        colWidths=[width],
        style=_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LINEBEFORE", (0, 0), (0, -1), 3, edge),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
            ]
        ),
        hAlign="LEFT",
    )


def _cover(plan: ClientPlan, look: Look, width: float, logo: bytes | None) -> list[Flowable]:
    base = look.base
    practice = Paragraph(text(plan.practice), base.practice)
    image = logo_image(logo)
    if image is None:
        top: list[Flowable] = [practice]
    else:
        gap = 6 * mm
        top = [
            Table(
                [[image, practice]],
                colWidths=[image.drawWidth + gap, width - image.drawWidth - gap],
                style=_style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ]
                ),
                hAlign="LEFT",
            ),
            Spacer(1, 8),
        ]
    published = (
        f"version {plan.version}, {format_day(plan.published_on)}"
        if plan.published_on
        else f"version {plan.version}, not yet published"
    )
    facts = [
        ("Your specialist", plan.specialist),
        ("You start on", format_day(plan.starts_on)),
        ("Your re-test", format_day(plan.retest_on)),
        ("This plan", published),
    ]
    cells = [
        [Paragraph(text(label), base.cover_label), Paragraph(text(value), base.cover_value)]
        for label, value in facts
    ]
    grid = Table(
        [cells],
        colWidths=[width / len(cells)] * len(cells),
        style=_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), styles.ACCENT_TINT),
                ("LINEABOVE", (0, 0), (-1, 0), 2, styles.ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        ),
        hAlign="LEFT",
    )
    flowables = [
        *top,
        Bookmark(plan.title, "cover"),
        Paragraph(text(plan.title), base.title),
        Paragraph(f"A plan for {text(plan.first_name)} from {text(plan.practice)}", base.subtitle),
        grid,
    ]
    if plan.specialist_note:
        flowables += [
            Paragraph(f"A note from {text(plan.specialist)}", base.subheading),
            Paragraph(lines(plan.specialist_note), base.body),
        ]
    return flowables


def _found(plan: ClientPlan, look: Look) -> list[Flowable]:
    return [*_section("What we found", "found", look), *_bullets(plan.found, look.base.bullet)]


def _photo(plan: ClientPlan, look: Look, width: float) -> list[Flowable]:
    """The before photo with its lines and what they show (only with the client's consent)."""
    photo = plan.before_photo
    if photo is None:
        return []
    picture = PhotoFlowable(
        photo.image,
        photo.overlay,
        max_width=PHOTO_WIDTH,
        max_height=PHOTO_MAX_HEIGHT,
        font=styles.FONT,
    )
    words = [Paragraph(text(line), look.base.body) for line in photo.lines]
    gap = 6 * mm
    table = Table(
        [[picture, words]],
        colWidths=[PHOTO_WIDTH + gap, width - PHOTO_WIDTH - gap],
        style=_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
        hAlign="LEFT",
    )
    return [_kept_together([*_section(photo.heading, "photo", look), table])]


def _before(plan: ClientPlan, look: Look, width: float) -> list[Flowable]:
    before = plan.before
    base = look.base
    rows: list[Flowable] = [Paragraph(text(before.lines[0]), base.body)] if before.lines else []
    rows += _bullets(before.topics, base.notice)
    rows += [Paragraph(text(line), base.body) for line in before.lines[1:]]
    ready = before.state in (Readiness.CLEAR, Readiness.CLEARED)
    fill, edge = (
        (styles.ACCENT_TINT, styles.ACCENT) if ready else (styles.CAUTION_TINT, styles.CAUTION)
    )
    return [
        Bookmark("Before you start", "before"),
        Paragraph(text(before.heading), base.heading),
        _panel(rows, fill=fill, edge=edge, width=width),
    ]


def _how_to_read(plan: ClientPlan, look: Look) -> list[Flowable]:
    base = look.base
    flowables = _section("How to read your session", "how", look)
    if plan.steps_overview:
        flowables.append(
            Paragraph(
                "Every session goes through the same steps, in this order: "
                + ", then ".join(f"<b>{text(title)}</b>" for title in plan.steps_overview)
                + ". Each exercise shows how to do it, how much to do, what to watch and why "
                "it is in your plan.",
                base.body,
            )
        )
    flowables += _bullets(plan.dose_help, base.bullet)
    return flowables


def _routine(plan: ClientPlan, look: Look, width: float) -> list[Flowable]:
    flowables: list[Flowable] = []
    lead = _section("Your session", "session", look)  # printed with the first card
    several = len(plan.stages) > 1
    for stage in plan.stages:
        if several:
            lead += [
                Bookmark(stage.title, f"stage-{stage.number}", level=1),
                Paragraph(text(stage.title), look.base.heading),
            ]
        lead.append(Paragraph(text(_sessions(stage, headed=several)), look.base.body))
        for number, step in enumerate(stage.steps, start=1):
            level = 2 if several else 1
            flowables += _step(number, step, stage, look, width, level=level, lead=lead)
            lead = []
    return [*flowables, *lead]


def _sessions(stage: Stage, *, headed: bool) -> str:
    """How often to do the session; its weeks too, unless a stage heading says them."""
    times = "once" if stage.sessions_per_week == 1 else f"{stage.sessions_per_week} times"
    if headed:
        return f"Do this session {times} a week."
    return f"Weeks {stage.weeks[0]} to {stage.weeks[1]}: do this session {times} a week."


def _step(number: int, step: Step, stage: Stage, look: Look, width: float, *, level, lead):
    """The step's heading and cards; ``lead`` (the headings above) stays with its first card."""
    title = f"{number}. {step.title}"
    when = f" From week {step.joins_in_week}." if step.joins_in_week else ""
    heading = [
        *lead,
        Bookmark(step.title, f"step-{stage.number}-{number}", level=level),
        Paragraph(text(title), look.base.subheading),
    ]
    if step.purpose or when:
        heading.append(Paragraph(text(step.purpose + when), look.step_purpose))
    cards = [_card(card, look, width) for card in step.exercises]
    return [_kept_together([*heading, cards[0]]), *cards[1:]] if cards else heading


def _kept_together(flowables: list[Flowable]) -> KeepTogether:
    """The flowables on one page. KeepTogether measures its content as if at the top of a
    frame, leaving out the first heading's space before; a hairline first makes it count
    that space too (without it, a section's last line could be pushed onto a page alone)."""
    return KeepTogether([Spacer(1, 0.1), *flowables])


def _card(card: ExerciseCard, look: Look, width: float) -> Flowable:
    base = look.base
    words: list[Flowable] = [
        Paragraph(text(card.name), look.card_name),
        Paragraph(text(card.dose), look.dose),
        *_bullets(card.cues, look.cue),
        Paragraph(text(card.why), look.why),
    ]
    if card.equipment:
        words.append(Paragraph("You need: " + text(", ".join(card.equipment)), base.caption))
    if card.note:
        words.append(Paragraph(text(card.note), base.caption))
    return Card(_picture(card, base), words, width=width)


def _picture(card: ExerciseCard, base) -> Flowable:
    slug = card.illustration
    operators = shipped_operators(slug, ILLUSTRATION_WIDTH) if slug else None
    if operators is None:
        # No drawing yet: the words of what the body does take its place.
        return Paragraph(text(card.alt), base.caption)
    height = scene_height(scene_of(slug), width=ILLUSTRATION_WIDTH)
    return Illustration(slug, operators, ILLUSTRATION_WIDTH, height)


def _checklist(plan: ClientPlan, look: Look, width: float) -> list[Flowable]:
    base = look.base
    flowables = _section("Your weekly checklist", "checklist", look)
    flowables.append(Paragraph("Tick one box for each session you do.", base.muted))
    header = ["Week", "Starts on", "Sessions done", "How did it feel?"]
    rows: list[list] = [[Paragraph(text(label), base.cell_header) for label in header]]
    for week in plan.checklist:
        rows.append(
            [
                Paragraph(f"Week {week.number}", base.cell),
                Paragraph(text(format_day(week.starts_on)), base.cell),
                Paragraph("  ".join([TICK] * week.sessions), look.tick),
                "",
            ]
        )
    shares = (0.14, 0.24, 0.26, 0.36)
    table = Table(
        rows,
        colWidths=[width * share for share in shares],
        repeatRows=1,
        style=_style(
            [
                ("BACKGROUND", (0, 0), (-1, 0), styles.ACCENT),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, styles.ZEBRA]),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, styles.RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        ),
        hAlign="LEFT",
    )
    return [*flowables, table]


def _next(plan: ClientPlan, look: Look) -> list[Flowable]:
    # A few lines, kept whole: split, its last line could end the plan alone on a page.
    return [
        _kept_together(
            [
                *_section("What comes next", "next", look),
                *_bullets(plan.next_steps, look.base.bullet),
            ]
        )
    ]


def _safety(plan: ClientPlan, look: Look, width: float) -> list[Flowable]:
    base = look.base
    rows: list[Flowable] = _bullets(plan.safety, base.notice)
    return [
        *_section("Stay safe", "safety", look),
        _panel(rows, fill=styles.CAUTION_TINT, edge=styles.CAUTION, width=width),
    ]
