"""The plan PDF: ``render_plan(doc, pagesize=...)`` turns a PlanDocument into bytes (pure).

No ORM, request or settings here: ``programs.documents`` builds the document, and the
caller chooses the page size.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.platypus import SimpleDocTemplate

from programs.plan import PlanDocument

from . import pages, sections, styles

__all__ = ["forget_shared_work", "render_plan"]


def forget_shared_work() -> None:
    """Empty the chart cache that renders share, so that the next render is what a
    worker's first plan costs (for the benchmark)."""
    from assessments import charts

    charts.forget_shared_charts()


def render_plan(doc: PlanDocument, *, pagesize: str = "A4") -> bytes:
    """The plan as PDF bytes, on "A4" or "Letter" pages; same document, same bytes."""
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
        title=doc.title,
        author=f"{doc.specialist_name}, {doc.practice_name}",
        subject="Corrective exercise plan",
        creator="Realign",
        lang="en",
        invariant=True,  # no timestamp or random id: a version renders to the same bytes
        # Every page starts in this font: the default, Helvetica, would not be embedded.
        initialFontName=styles.FONT,
    )
    layout = sections.Layout(
        styles=styles.stylesheet(), width=template.width, height=template.height
    )
    running = pages.RunningText(title=doc.title, client=doc.client_name, practice=doc.practice_name)
    template.build(sections.story(doc, layout), canvasmaker=pages.canvasmaker(running))
    return buffer.getvalue()
