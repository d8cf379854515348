"""Page furniture of the plan PDF: page sizes, running header and footer, "page N of M".

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


class NumberedCanvas(Canvas):
    """Keeps every page until the end, then writes the running text and "page N of M"."""

    def __init__(self, *args, running: RunningText, **kwargs):
        super().__init__(*args, **kwargs)
        self._running = running
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        fitted: dict[float, tuple[str, str, str]] = {}  # the same on every page of a size
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_running_text(number, total, fitted)
            super().showPage()
        super().save()

    def _draw_running_text(self, number: int, total: int, fitted: dict | None = None) -> None:
        width, height = self._pagesize
        half = (width - 2 * MARGIN) / 2 - 6
        top = height - MARGIN + HEADER_GAP - RUNNING_SIZE
        bottom = MARGIN - HEADER_GAP
        texts = None if fitted is None else fitted.get(half)
        if texts is None:
            texts = (
                fit(self._running.title, FONT_BOLD, RUNNING_SIZE, half),
                fit(self._running.client, FONT, RUNNING_SIZE, half),
                fit(self._running.practice, FONT, RUNNING_SIZE, half),
            )
            if fitted is not None:
                fitted[half] = texts
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
        self.drawRightString(width - MARGIN, bottom, f"page {number} of {total}")
        self.restoreState()


def canvasmaker(running: RunningText):
    """The ``canvasmaker`` for ``doc.build``: a NumberedCanvas that knows the running text."""
    return functools.partial(NumberedCanvas, running=running)
