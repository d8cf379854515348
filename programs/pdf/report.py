"""The specialist's report and the referral letter: ``render_report`` and
``render_referral_letter`` turn a SpecialistReport into PDF bytes (pure).

Written for the file and for the physician or physiotherapist a client is referred to:
clinical words, values against their norms, and every source cited in full.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from assessments import photo_overlay
from assessments.photo_overlay import PhotoFlowable
from programs.plan import ReportPhoto, SpecialistReport

from . import build_pdf, pages
from .sections import (
    Layout,
    data_table,
    format_day,
    headed_table,
    header_cells,
    header_span,
    heading,
    notice_box,
    para,
    text,
    week_range,
)
from .styles import ACCENT, ACCENT_TINT, CAUTION, CAUTION_TINT, FONT, RULE

__all__ = ["letter_title", "render_referral_letter", "render_report", "report_title"]

NOT_REQUIRED = "No referral is required: the screening and the findings raised no reason."
NO_FINDINGS = "The assessment found nothing that needed correcting."
PHOTOS_TITLE = "Posture photos"
PHOTOS_NOTE = (
    "Landmarks placed by hand on each photo; the angles are measured from them. A change "
    f"in a photo CVA smaller than {photo_overlay.CVA_CLEAR_CHANGE_DEG:g}° is within measurement "
    "error (a practice default)."
)
PHOTO_MAX_HEIGHT = 105 * mm  # two portrait photos side by side, with their words, on a page
PHOTO_GAP = 6 * mm
# The letter keeps to one page: past this many measures, it points to the report instead.
LETTER_MEASURES = 12


def report_title(report: SpecialistReport) -> str:
    """The report's PDF title: what it is, whose, and its date."""
    day = report.published_on or report.written_on
    return f"Specialist's report for {report.client_name}, {format_day(day)}"


def letter_title(report: SpecialistReport) -> str:
    """The letter's PDF title: what it is, whose, and its date."""
    return f"Referral letter for {report.client_name}, {format_day(report.written_on)}"


def _widths(layout: Layout, *shares: float) -> list[float]:
    return [layout.width * share for share in shares]


def _facts(report: SpecialistReport) -> list[tuple[str, str]]:
    facts = [("Client", report.client_name)]
    if report.client_birth_date:
        facts.append(("Date of birth", format_day(report.client_birth_date)))
    if report.assessed_on:
        facts.append(("Assessed on", format_day(report.assessed_on)))
    facts += [
        ("Program", f"Version {report.version}, {report.population}"),
        ("Specialist", report.specialist_name),
        ("Contact", report.specialist_email or "–"),
        ("Practice", report.practice_name),
    ]
    return facts


def _fact_rows(report: SpecialistReport, layout: Layout) -> Flowable:
    styles = layout.styles
    rows = [
        [para(label, styles.cell_muted), para(value, styles.cell)]
        for label, value in _facts(report)
    ]
    return data_table(
        [header_cells(["About this report", ""], layout), *rows],
        _widths(layout, 0.25, 0.75),
        layout,
        header_span(0, 1),
    )


def _findings_table(
    report: SpecialistReport, layout: Layout, *, with_sources: bool, limit: int | None = None
) -> Flowable:
    return data_table(
        *_findings_rows(report, layout, with_sources=with_sources, limit=limit), layout
    )


def _findings_rows(
    report: SpecialistReport, layout: Layout, *, with_sources: bool, limit: int | None = None
) -> tuple[list[list], list[float]]:
    """The findings table's rows (a header row first) and column widths."""
    styles = layout.styles
    labels = ["Measure", "Value", "Norm", "Interpretation"]
    shares = [0.22, 0.14, 0.2, 0.44]
    if with_sources:
        labels.append("Sources")
        shares = [0.2, 0.12, 0.18, 0.32, 0.18]
    rows = [header_cells(labels, layout)]
    for finding in report.findings[:limit]:
        row = [
            para(finding.measure, styles.cell),
            para(finding.value, styles.cell),
            para(finding.norm or "–", styles.cell),
            para(finding.meaning or "–", styles.cell),
        ]
        if with_sources:
            row.append(para(", ".join(finding.sources) or "–", styles.cell))
        rows.append(row)
    return rows, _widths(layout, *shares)


def _referral_section(report: SpecialistReport, layout: Layout) -> list[Flowable]:
    styles = layout.styles
    referral = report.referral
    title = heading("Referral", styles.heading)
    if not referral.required:
        return [title, para(NOT_REQUIRED, styles.body)]
    rows: list[Flowable] = [para("Referral required before loading", styles.notice_title)]
    rows += [Paragraph(text(reason), styles.notice, bulletText="•") for reason in referral.reasons]
    rows += [Paragraph(text(detail), styles.notice, bulletText="–") for detail in referral.details]
    if referral.cleared:
        rows.append(para(referral.cleared, styles.body))
        fill, edge = ACCENT_TINT, ACCENT
    else:
        rows.append(para("No clearance recorded yet.", styles.body))
        fill, edge = CAUTION_TINT, CAUTION
    return [title, notice_box(rows, fill=fill, edge=edge, width=layout.width)]


def _photo_cell(photo: ReportPhoto, layout: Layout, width: float) -> list[Flowable]:
    styles = layout.styles
    cell: list[Flowable] = [
        PhotoFlowable(
            photo.image, photo.overlay, max_width=width, max_height=PHOTO_MAX_HEIGHT, font=FONT
        ),
        Spacer(1, 3),
        Paragraph(f"<b>{text(photo.view)}</b>", styles.body),
    ]
    # The caption's size, with the bullet in the embedded font (not reportlab's Helvetica).
    listed = ParagraphStyle(
        "photo_line", parent=styles.caption, leftIndent=9, bulletIndent=0, bulletFontName=FONT
    )
    cell += [Paragraph(text(line), listed, bulletText="•") for line in photo.lines]
    if not photo.lines:
        cell.append(para("No landmarks placed.", styles.caption))
    if photo.placed:
        cell.append(para(f"{photo.placed}.", styles.caption))
    return cell


def _photos(report: SpecialistReport, layout: Layout) -> list[Flowable]:
    """Each photo of the assessment with its lines and angles, two to a row."""
    if not report.photos:
        return []
    column = (layout.width - PHOTO_GAP) / 2
    cells = [_photo_cell(photo, layout, column) for photo in report.photos]
    rows = [cells[i : i + 2] + [""] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    table = Table(
        rows,
        colWidths=[column + PHOTO_GAP / 2] * 2,
        style=TableStyle(
            [
                # A table's default font, Helvetica, would be named (unembedded) otherwise.
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), PHOTO_GAP / 2),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, 0), (-1, -2), 0.5, RULE),
            ]
        ),
        hAlign="LEFT",
    )
    return [
        CondPageBreak(PHOTO_MAX_HEIGHT + 30 * mm),
        heading(PHOTOS_TITLE, layout.styles.heading),
        para(PHOTOS_NOTE, layout.styles.muted),
        table,
    ]


def _program(report: SpecialistReport, layout: Layout) -> list[Flowable]:
    styles = layout.styles
    flowables: list[Flowable] = []
    headings: list[Flowable] = [heading("Program", styles.heading)]  # kept with phase 1
    for number, phase in enumerate(report.phases, start=1):
        headings.append(
            heading(
                f"Phase {number}: {phase.title} ({week_range(phase.weeks)}, "
                f"{phase.sessions_per_week} sessions a week)",
                styles.subheading,
                level=1,
            )
        )
        if not phase.exercises:
            flowables += [*headings, para("No exercises in this phase.", styles.muted)]
            headings = []
            continue
        rows = [header_cells(["Exercise", "Dose", "Rule behind it", "Why"], layout)]
        for exercise in phase.exercises:
            rule_cell = [para(rule, styles.cell) for rule in exercise.rules]
            if exercise.changed:
                rule_cell.append(para(f"Changed: {exercise.changed}", styles.cell_muted))
            rows.append(
                [
                    para(exercise.name, styles.cell),
                    para(exercise.dose, styles.cell),
                    rule_cell,
                    para(exercise.why or "–", styles.cell),
                ]
            )
        flowables += headed_table(headings, rows, _widths(layout, 0.2, 0.16, 0.4, 0.24), layout)
        headings = []
    return [CondPageBreak(50 * mm), *flowables, *headings]


def _references(report: SpecialistReport, layout: Layout) -> list[Flowable]:
    if not report.sources:
        return []
    styles = layout.styles
    rows = [header_cells(["Source", "Full citation"], layout)]
    rows += [
        [para(source.id, styles.cell), [para(line, styles.cell) for line in source.lines]]
        for source in report.sources
    ]
    return headed_table(
        [heading("References", styles.heading)], rows, _widths(layout, 0.2, 0.8), layout
    )


def report_story(report: SpecialistReport, layout: Layout) -> list[Flowable]:
    """The report's sections: who and when, findings, referral, photos, program, references."""
    styles = layout.styles
    story: list[Flowable] = [
        para(report.practice_name, styles.practice),
        heading(report.title, styles.title),
        para(f"{report.client_name} · written {format_day(report.written_on)}", styles.subtitle),
        _fact_rows(report, layout),
    ]
    if report.findings:
        rows, widths = _findings_rows(report, layout, with_sources=True)
        story += headed_table([heading("Findings", styles.heading)], rows, widths, layout)
    else:
        story += [heading("Findings", styles.heading), para(NO_FINDINGS, styles.body)]
    story += _referral_section(report, layout)
    story += _photos(report, layout)
    story += _program(report, layout)
    story += _references(report, layout)
    return story


def letter_story(report: SpecialistReport, layout: Layout) -> list[Flowable]:
    """One page: to whom, about whom, why, the measures, and how to reach the specialist."""
    styles = layout.styles
    referral = report.referral
    birth = f", born {format_day(report.client_birth_date)}" if report.client_birth_date else ""
    assessed = f" on {format_day(report.assessed_on)}" if report.assessed_on else ""
    story: list[Flowable] = [
        para(report.practice_name, styles.practice),
        para(format_day(report.written_on), styles.body),
        para("To the treating physician or physiotherapist", styles.body),
        heading(f"Referral: {report.client_name}{birth}", styles.heading),
        para(
            f"I am a corrective exercise specialist at {report.practice_name}, and I "
            f"assessed {report.client_name}{assessed}.",
            styles.body,
        ),
        para(
            f"{report.client_name} should be assessed by you before starting the exercise "
            "program I have prepared, for these reasons:",
            styles.body,
        ),
        *(Paragraph(text(reason), styles.bullet, bulletText="•") for reason in referral.reasons),
        *(Paragraph(text(detail), styles.bullet, bulletText="–") for detail in referral.details),
    ]
    if report.findings:
        story += [
            heading("Measures", styles.subheading),
            _findings_table(report, layout, with_sources=False, limit=LETTER_MEASURES),
        ]
        more = len(report.findings) - LETTER_MEASURES
        if more > 0:
            story.append(
                para(f"… and {more} more in the specialist's report, with citations.", styles.muted)
            )
    contact = f"<b>{text(report.specialist_name)}</b>, {text(report.practice_name)}"
    if report.specialist_email:
        contact += f"<br/>{text(report.specialist_email)}"
    story += [
        Spacer(1, 8),
        para(
            "Please tell me what you advise, and whether and when the client may start; "
            "my full report with every citation is available on request.",
            styles.body,
        ),
        heading("Contact", styles.subheading),
        Paragraph(contact, styles.body),
    ]
    return story


def render_report(report: SpecialistReport, *, pagesize: str = "A4") -> bytes:
    """The specialist's report as PDF bytes."""
    return _render(
        report_story,
        report,
        pagesize=pagesize,
        title=report_title(report),
        subject="Specialist's report",
        running=report.title,
    )


def render_referral_letter(report: SpecialistReport, *, pagesize: str = "A4") -> bytes:
    """The one-page referral letter as PDF bytes; only for a report whose referral is
    required (ValueError otherwise: there is nothing to refer)."""
    if not report.referral.required:
        raise ValueError("no referral is required, so there is no referral letter")
    return _render(
        letter_story,
        report,
        pagesize=pagesize,
        title=letter_title(report),
        subject="Referral letter",
        running="Referral letter",
    )


def _render(story, report: SpecialistReport, *, pagesize, title, subject, running) -> bytes:
    """``story(report, layout)`` as the specialist's PDF; ``running`` heads every page."""
    return build_pdf(
        lambda layout: story(report, layout),
        pagesize=pagesize,
        title=title,
        author=f"{report.specialist_name}, {report.practice_name}",
        subject=subject,
        running=pages.RunningText(
            title=running, client=report.client_name, practice=report.practice_name
        ),
    )
