"""Fonts, colours and named paragraph styles of the PDFs (the plan, the report, the letter).

Nothing happens at import: ``setup()`` registers the bundled DejaVu fonts (which cover
accented Latin, Cyrillic, Greek and Vietnamese names) the first time a plan is rendered.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
}

INK = colors.HexColor("#1f2a30")
MUTED = colors.HexColor("#5f6b73")
ACCENT = colors.HexColor("#2b7a78")  # a calm teal
ACCENT_DARK = colors.HexColor("#1d5654")
ACCENT_TINT = colors.HexColor("#e4f1f0")
RULE = colors.HexColor("#c9d3d8")
ZEBRA = colors.HexColor("#f5f8f9")
CAUTION = colors.HexColor("#b35c00")
CAUTION_TINT = colors.HexColor("#fdf1e4")

MARGIN = 18 * mm
HEADER_GAP = 9 * mm  # the running header and footer sit inside the margins


def setup() -> None:
    """Make reportlab ready for a plan: safe settings first, then the fonts (once)."""
    _enforce_safe_reportlab_settings()
    # Binary (compressed) streams as they are: ASCII85 on top of them only makes the file
    # a quarter larger and costs time to encode; every PDF reader takes binary streams.
    rl_config.useA85 = 0
    _register_fonts()


def _enforce_safe_reportlab_settings() -> None:
    # CVE-2023-33733 (GHSA-9q9m-c65c-37pq): 'rl_safe_eval' evaluated colour expressions
    # from markup; an RL_* environment variable or a reportlab_settings.py could bring it
    # back, and a set trustedHosts lets markup fetch URLs. Our own markup needs neither.
    if rl_config.toColorCanUse == "rl_safe_eval":
        rl_config.toColorCanUse = "rl_extended_literal_eval"
    if rl_config.trustedHosts:
        rl_config.trustedHosts = None


@functools.cache
def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename)))
    # So that <b> and <i> in our own templates switch to the DejaVu faces.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD
    )


@dataclass(frozen=True)
class Styles:
    """The named paragraph styles; build with ``stylesheet()`` after ``setup()``."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    muted: ParagraphStyle
    cover_label: ParagraphStyle
    cover_value: ParagraphStyle
    practice: ParagraphStyle
    cell: ParagraphStyle
    cell_muted: ParagraphStyle
    cell_header: ParagraphStyle
    cue: ParagraphStyle
    bullet: ParagraphStyle
    notice_title: ParagraphStyle
    notice: ParagraphStyle
    caption: ParagraphStyle


@functools.cache
def stylesheet() -> Styles:
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=10,
        leading=14.5,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=5,
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=8.8, leading=11.6, spaceAfter=0)
    bullet = ParagraphStyle(
        "bullet", parent=body, leftIndent=12, bulletIndent=2, bulletFontName=FONT, spaceAfter=3
    )
    heading = ParagraphStyle(
        "heading",
        parent=body,
        fontName=FONT_BOLD,
        fontSize=14.5,
        leading=19,
        textColor=ACCENT_DARK,
        spaceBefore=16,
        spaceAfter=7,
        keepWithNext=1,
    )
    return Styles(
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=21, leading=26, spaceAfter=4
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontSize=12, leading=16, textColor=MUTED, spaceAfter=10
        ),
        heading=heading,
        # A smaller heading: bold, dark accent, kept with what follows, like ``heading``.
        subheading=ParagraphStyle(
            "subheading", parent=heading, fontSize=10.5, leading=14, spaceBefore=10, spaceAfter=5
        ),
        body=body,
        muted=ParagraphStyle("muted", parent=body, textColor=MUTED),
        cover_label=ParagraphStyle(
            "cover_label", parent=cell, fontSize=8.5, leading=11, textColor=MUTED
        ),
        cover_value=ParagraphStyle("cover_value", parent=body, spaceAfter=0),
        practice=ParagraphStyle(
            "practice",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            textColor=ACCENT,
            spaceAfter=12,
        ),
        cell=cell,
        cell_muted=ParagraphStyle("cell_muted", parent=cell, fontName=FONT_ITALIC, textColor=MUTED),
        cell_header=ParagraphStyle(
            "cell_header", parent=cell, fontName=FONT_BOLD, textColor=colors.white
        ),
        cue=ParagraphStyle(
            "cue", parent=cell, leftIndent=9, bulletIndent=0, bulletFontName=FONT, spaceAfter=2
        ),
        bullet=bullet,
        notice_title=ParagraphStyle(
            "notice_title", parent=body, fontName=FONT_BOLD, textColor=CAUTION, spaceAfter=2
        ),
        notice=ParagraphStyle("notice", parent=bullet, spaceAfter=2),
        caption=ParagraphStyle(
            "caption", parent=body, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=0
        ),
    )
