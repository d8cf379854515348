"""The paragraph and table the plan's sections are made of: reportlab's, without repeats.

Laying out and drawing a plan, reportlab asks a table cell for its size several times
(to find the tallest row, to lay the table out, to split it across pages, to draw it) and
a table for its layout several times (a KeepTogether measures it, the frame places it,
splits it); each answer is worked out again every time, and so is every paragraph's
parse and line breaking from one plan to the next though most of a plan's cells say what
the last plan's said. ``Para`` and ``LaidTable`` keep those answers; what they draw is
byte for byte what ``Paragraph`` and ``Table`` draw.
"""

from __future__ import annotations

import collections
import functools
import threading

from reportlab import rl_config
from reportlab.platypus import Paragraph, Table
from reportlab.platypus.paragraph import textTransformFrags
from reportlab.platypus.paraparser import ParaParser

__all__ = ["LaidTable", "Para"]


class Para(Paragraph):
    """A Paragraph that parses its markup once and does not break the same lines twice.

    Parsing: the same markup in the same style parses to the same fragments, and a plan
    repeats many ("–", "none", table headers, "Week 1", the safety notes), as does the
    next plan; the parse is cached (``_parse``) and each paragraph gets its own copies.

    Wrapping: a table cell is wrapped to size its row, again when the table is split or
    drawn, and a flowable in a KeepTogether once for the group and once for the frame;
    every time at the same width, and a paragraph's lines depend on nothing else. A
    repeated wrap at the width of the last one returns its result (the lines, ``width``
    and ``height`` it left on the paragraph) as they are. The lines of a one-fragment
    paragraph (most cells) are also kept for the next paragraph with the same markup,
    style, bullet and width (``_LINES``): a plan's lines are mostly the next plan's.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None
    _lines_key: tuple | None = None  # set when the lines of this paragraph may be shared

    def _setup(self, text, style, bulletText, frags, cleaner):
        if frags is None and isinstance(text, str):
            key = (text, style, self.caseSensitive, cleaner)
            parsed = _parse(*key)
            if parsed is not None:  # else Paragraph parses again and raises its error
                text, style, fragments, bullet = parsed
                frags = [_copy(fragment) for fragment in fragments]
                if bullet:
                    bulletText = [_copy(fragment) for fragment in bullet]
                elif (
                    len(frags) == 1
                    and len(text) <= _LINES_MAX_TEXT
                    and (bulletText is None or isinstance(bulletText, str))
                ):
                    self._lines_key = (*key, bulletText)
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth, availHeight):
        wrapped = self._wrapped
        if wrapped is not None and wrapped[0] == availWidth:
            return wrapped[1]
        if self._lines_key is None or availWidth < rl_config._FUZZ:  # too narrow: no lines
            size = super().wrap(availWidth, availHeight)
        else:
            size = self._shared_wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size

    def wrapOn(self, canv, aW, aH):
        wrapped = self._wrapped
        if wrapped is not None and wrapped[0] == aW:
            return wrapped[1]  # what Flowable.wrapOn would return, without the canvas dance
        return super().wrapOn(canv, aW, aH)

    def _shared_wrap(self, availWidth, availHeight):
        key = (self._lines_key, availWidth)
        with _LINES_LOCK:
            state = _LINES.get(key)
            if state is not None:
                _LINES.move_to_end(key)
        if state is not None:
            self.__dict__.update(state)
            self._wrapWidths = list(state["_wrapWidths"])
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if _shareable_lines(self.blPara):
            state = {name: getattr(self, name) for name in _WRAP_STATE}
            state["_wrapWidths"] = list(self._wrapWidths)
            with _LINES_LOCK:
                _LINES[key] = state
                while len(_LINES) > _LINES_SIZE:
                    _LINES.popitem(last=False)
        return size


class LaidTable(Table):
    """A Table that does not lay itself out again for the same space.

    A table is laid out (``_calc``: every cell's size, then the rows' and columns') when
    a KeepTogether measures it, when the frame places it and when the frame splits it,
    often for the same width and height. Laid out again for the same width, and a height
    it fitted in whole before, it would come out the same: that layout is kept.
    """

    _laid_out: tuple[float, float] | None = None  # (width, height) of the last layout

    def _calc(self, availWidth, availHeight):
        laid = self._laid_out
        if laid is not None and laid[0] == availWidth:
            if laid[1] == availHeight:
                return
            # The whole table was laid out and fits: a taller space changes nothing.
            if self._hmax == len(self._argH) and self._height <= min(laid[1], availHeight):
                return
        super()._calc(availWidth, availHeight)
        self._laid_out = (availWidth, availHeight)

    def setStyle(self, tblstyle):
        self._laid_out = None  # new paddings or spans: lay out anew
        super().setStyle(tblstyle)


# What Paragraph.wrap leaves on a paragraph: the state a shared wrap restores.
_WRAP_STATE = (
    "width",
    "height",
    "blPara",
    "_wrapWidths",
    "_width_max",
    "_splitLongWordCount",
    "_hyphenations",
)
_LINES: collections.OrderedDict[tuple, dict] = collections.OrderedDict()
_LINES_LOCK = threading.Lock()
_LINES_SIZE = 4096
_LINES_MAX_TEXT = 1000  # longer paragraphs (a specialist's notes) are rare and large


def _shareable_lines(lines) -> bool:
    """Simple lines of plain words: nothing in them is changed when they are drawn or split.

    (Words that reportlab split or hyphenated are str subclasses it may change in place
    when it splits the paragraph across pages.)
    """
    if lines.kind != 0:
        return False
    return all(type(word) is str for _, words in lines.lines for word in words)


@functools.lru_cache(maxsize=2048)
def _parse(markup: str, style, case_sensitive: int, cleaner):
    """What ``Paragraph._setup`` makes of ``markup``: (text, style, fragments, bullet).

    Text without a tag or an entity (most cells) parses to one fragment in the style's
    font and colour: the style's fragment, with the text.
    """
    markup = cleaner(markup)
    plain = _plain_fragment(style, case_sensitive)
    if plain is not None and markup and "<" not in markup and "&" not in markup:
        fragment = _copy(plain)
        fragment.text = markup
        textTransformFrags([fragment], style)
        return markup, style, (fragment,), None
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    style, fragments, bullet = parser.parse(markup, style)
    if fragments is None:
        return None
    textTransformFrags(fragments, style)
    return markup, style, tuple(fragments), tuple(bullet) if bullet else None


@functools.lru_cache(maxsize=64)
def _plain_fragment(style, case_sensitive: int):
    """The one fragment plain text parses to in ``style`` (its text to be replaced)."""
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    parsed_style, fragments, bullet = parser.parse("x", style)
    if parsed_style is not style or not fragments or len(fragments) != 1 or bullet:
        return None  # not expected of a ParagraphStyle; parse every text then
    return fragments[0]


def _copy(fragment):
    """A fragment's own copy (``ABag.clone`` without its keyword arguments)."""
    copy = object.__new__(fragment.__class__)
    copy.__dict__.update(fragment.__dict__)
    return copy
