"""The PDFs (pure): the client's plan (``client_plan_pdf``) and the specialist's report and
referral letter (``report``), each laid out on the same pages by ``build_pdf``.

No ORM, request or settings here: ``programs.client_plans`` and ``programs.documents``
gather the data, and the caller chooses the page size.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.platypus import SimpleDocTemplate

from . import pages, sections, styles

__all__ = ["build_pdf"]


def build_pdf(story, *, pagesize: str, title: str, author: str, subject: str, running) -> bytes:
    """A PDF of the flowables ``story(layout)`` returns, with the page furniture, title,
    outline and embedded fonts every Realign PDF shares (the plan, the report, the letter)."""
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
