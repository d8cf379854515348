"""The plan PDF: ``render_plan(doc, pagesize=...)`` turns a PlanDocument into bytes (pure).

No ORM, request or settings here: ``programs.documents`` builds the document, and the
caller chooses the page size.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.platypus import SimpleDocTemplate

from programs.plan import PlanDocument

from . import pages, sections, styles

__all__ = ["build_pdf", "document_title", "render_plan"]


def document_title(doc: PlanDocument) -> str:
    """The PDF's title (its document info): the plan, whose it is, and its date."""
    day = doc.published_on or doc.starts_on
    return f"{doc.title} for {doc.client_name}, {sections.format_day(day)}"


def render_plan(doc: PlanDocument, *, pagesize: str = "A4") -> bytes:
    """The plan as PDF bytes, on "A4" or "Letter" pages; same document, same bytes."""
    return build_pdf(
        lambda layout: sections.story(doc, layout),
        pagesize=pagesize,
        title=document_title(doc),
        author=f"{doc.specialist_name}, {doc.practice_name}",
        subject="Corrective exercise plan",
        running=pages.RunningText(
            title=doc.title, client=doc.client_name, practice=doc.practice_name
        ),
    )


def build_pdf(story, *, pagesize: str, title: str, author: str, subject: str, running) -> bytes:
    """A PDF of the flowables ``story(layout)`` returns, with the plan PDFs' page furniture,
    title, outline and embedded fonts (the plan, the report and the letter share it)."""
    size = pages.page_size(pagesize)
    styles.setup()
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=styles.MARGIN,
        rightMargin=styles.MARGIN,
        topMargin=styles.MARGIN,
        bottomMargin=styles.MARGIN,
        title=title,
        displayDocTitle=True,  # a reader's window shows the title, not the file name
        author=author,
        subject=subject,
        creator="Realign",
        lang="en",
        invariant=True,  # no timestamp or random id: a version renders to the same bytes
        # Every page starts in this font: the default, Helvetica, would not be embedded.
        initialFontName=styles.FONT,
    )
    layout = sections.Layout(
        styles=styles.stylesheet(), width=template.width, height=template.height
    )
    template.build(story(layout), canvasmaker=pages.canvasmaker(running))
    return buffer.getvalue()
