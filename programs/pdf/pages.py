"""Page furniture of every PDF: page sizes, running header and footer, "page N of M".

The running text is drawn with canvas calls, not markup, so it needs no escaping; it is
shortened with an ellipsis to fit its half of the page.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .styles import FONT, FONT_BOLD, HEADER_GAP, MARGIN, MUTED, RULE

PAGE_SIZES = {"a4": A4, "letter": LETTER}
RUNNING_SIZE = 8
ELLIPSIS = "…"


def page_size(name: str) -> tuple[float, float]:
    """The (width, height) in points of "A4" or "Letter" (any letter case)."""
    try:
        return PAGE_SIZES[name.lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"pagesize must be 'A4' or 'Letter', not {name!r}") from None


@dataclass(frozen=True)
class RunningText:
    """What every page repeats: the plan's title and client above, the practice below."""

    title: str
    client: str
    practice: str


def fit(value: str, font: str, size: float, width: float) -> str:
    """``value`` on one line, cut with an ellipsis where it would be wider than ``width``."""
    value = " ".join(value.split())
    if stringWidth(value, font, size) <= width:
        return value
    while value and stringWidth(value + ELLIPSIS, font, size) > width:
        value = value[:-1]
    return value.rstrip() + ELLIPSIS


# "page N of M" is a form XObject per page, drawn by the page before the number of
# pages is known and defined when it is (a PDF page may use a form defined later).
PAGE_NUMBER_FORM = "realignPageNumber{}"


class NumberedCanvas(Canvas):
    """Writes the running text and "page N of M" on every page, through the public API.

    Each page ends with its header and footer; its "page N of M" is a form XObject
    that ``save`` defines once the number of pages is known.
    """

    def __init__(self, *args, running: RunningText, pagesize: tuple[float, float], **kwargs):
        super().__init__(*args, pagesize=pagesize, **kwargs)
        self.page_width, self.page_height = pagesize  # every page of a plan has one size
        self.running = running
        self.pages_ended = 0
        self.fitted: dict[float, tuple[str, str, str]] = {}  # the same on every page of a size

    def showPage(self):
        self.pages_ended += 1
        self.draw_running_text(self.pages_ended)
        super().showPage()

    def save(self):
        total = self.pages_ended
        for number in range(1, total + 1):
            label = f"page {number} of {total}"
            room = stringWidth(label, FONT, RUNNING_SIZE) + 2
            self.beginForm(
                PAGE_NUMBER_FORM.format(number),
                lowerx=-room,
                lowery=-4,
                upperx=2,
                uppery=RUNNING_SIZE + 4,
            )
            self.setFillColor(MUTED)
            self.setFont(FONT, RUNNING_SIZE)
            self.drawRightString(0, 0, label)
            self.endForm()
        self.showOutline()  # a reader opens with the bookmarks shown
        super().save()

    def draw_running_text(self, number: int) -> None:
        """The header and footer of page ``number``; "page N of M" is its form."""
        width, height = self.page_width, self.page_height
        half = (width - 2 * MARGIN) / 2 - 6
        top = height - MARGIN + HEADER_GAP - RUNNING_SIZE
        bottom = MARGIN - HEADER_GAP
        texts = self.fitted.get(half)
        if texts is None:
            texts = self.fitted[half] = (
                fit(self.running.title, FONT_BOLD, RUNNING_SIZE, half),
                fit(self.running.client, FONT, RUNNING_SIZE, half),
                fit(self.running.practice, FONT, RUNNING_SIZE, half),
            )
        title, client, practice = texts
        self.saveState()
        self.setFillColor(MUTED)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.6)
        self.setFont(FONT_BOLD, RUNNING_SIZE)
        self.drawString(MARGIN, top, title)
        self.setFont(FONT, RUNNING_SIZE)
        self.drawRightString(width - MARGIN, top, client)
        self.line(MARGIN, top - 4, width - MARGIN, top - 4)
        self.line(MARGIN, bottom + RUNNING_SIZE + 4, width - MARGIN, bottom + RUNNING_SIZE + 4)
        self.drawString(MARGIN, bottom, practice)
        self.translate(width - MARGIN, bottom)
        self.doForm(PAGE_NUMBER_FORM.format(number))
        self.restoreState()


def canvasmaker(running: RunningText):
    """The ``canvasmaker`` for ``doc.build``: a NumberedCanvas that knows the running text."""
    return functools.partial(NumberedCanvas, running=running)
