"""What the plan PDF keeps from one render to the next changes none of its bytes (no database).

The renderer reuses parsed paragraphs, broken lines, table layouts, chart and body-map
drawings (and the canvas calls that draw them) and encoded text; every test here compares
with reportlab doing all of it afresh, or with the drawing built anew.
"""

import dataclasses
import hashlib
import io
import subprocess
import sys
from datetime import date

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table

from assessments import charts
from assessments.charts import ChartSeries, ReferenceBand, drawing_to_svg, progress_chart
from assessments.findings import REGION_LABELS
from programs.pdf import bodymap, drawings, flowables, render_plan, styles
from programs.plan import ChartDoc, ScreeningDoc
from tests.programs.test_pdf import HOSTILE, ROOT, exercise, longest_plan, phase, plan, png_bytes

CVA = ChartSeries(
    "Craniovertebral angle (CVA)",
    ((date(2026, 1, 5), 44.0), (date(2026, 2, 9), None), (date(2026, 3, 2), 46.5)),
    "degrees",
    50.0,
    "typical from 50°",
)
STAND = ChartSeries(
    "Thirty-second chair stand", ((date(2026, 1, 5), 9.0), (date(2026, 3, 2), 12.0)), "reps"
)


def documents():
    band = progress_chart([CVA, STAND], band=ReferenceBand(45, 48, "norm"))
    single = progress_chart(CVA)
    return {
        "adult": plan(),
        "charts": plan(
            "senior",
            regions=frozenset({"knees", "whole_body"}),
            charts=(ChartDoc(single.title, single), ChartDoc("Both", band)),
        ),
        "logo and referral": plan(
            "postpartum",
            practice_logo=png_bytes(),
            screening=ScreeningDoc(False, ("Discuss pelvic floor symptoms.",)),
        ),
        "hostile and long notes": plan(
            client_name=HOSTILE[1],
            notes="\n\n".join(HOSTILE),
            phases=(
                phase(
                    criteria="<b>not bold</b>\nsecond line",
                    exercises=(
                        exercise(HOSTILE[0], cues=HOSTILE, notes="Breathe out as you lift.\n" * 80),
                    ),
                ),
            ),
        ),
        "non-Latin": plan(client_name="Ярослава Nguyễn Thị", specialist_name="Łukasz Dvořák"),
        "soft hyphens": plan(
            phases=(phase(exercises=(exercise(cues=("Hyper\xadextend\xadnot " * 30,)),)),)
        ),
        "longest": longest_plan(),
    }


@pytest.fixture
def afresh(monkeypatch):
    """reportlab as it is: every parse, line break, layout, drawing and encoding redone."""
    monkeypatch.setattr(flowables.Para, "_setup", Paragraph._setup)
    monkeypatch.setattr(flowables.Para, "wrap", Paragraph.wrap)
    monkeypatch.setattr(flowables.Para, "wrapOn", Paragraph.wrapOn)
    monkeypatch.setattr(flowables.LaidTable, "_calc", Table._calc)
    monkeypatch.setattr(
        drawings, "draw", lambda drawing, canvas: renderPDF.draw(drawing, canvas, 0, 0)
    )
    styles.setup()
    monkeypatch.setattr(type(pdfmetrics.getFont(styles.FONT)), "splitString", TTFont.splitString)


def test_every_plan_renders_the_bytes_reportlab_renders_afresh(monkeypatch, afresh):
    docs = documents()
    expected = {
        (name, size): render_plan(doc, pagesize=size)
        for name, doc in docs.items()
        for size in ("A4", "Letter")
    }
    monkeypatch.undo()

    # Twice over, in another order the second time: the later renders reuse what the
    # earlier ones kept.
    for order in (list(expected), list(reversed(expected))):
        for name, size in order:
            assert render_plan(docs[name], pagesize=size) == expected[name, size], (name, size)


def test_a_plan_renders_the_same_bytes_in_a_fresh_process():
    code = (
        "import hashlib, sys\n"
        "from programs.pdf import render_plan\n"
        "from tests.programs.test_pdf_reuse import documents\n"
        "doc = documents()['charts']\n"
        "sys.stdout.write(hashlib.sha256(render_plan(doc)).hexdigest())\n"
    )
    render_plan(longest_plan())  # fill what the renderer keeps with another plan first
    here = render_plan(documents()["charts"])
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert hashlib.sha256(here).hexdigest() == result.stdout


def test_a_chart_of_the_same_series_is_built_once_and_drawn_to_svg_once():
    first = progress_chart(CVA)
    again = progress_chart(dataclasses.replace(CVA))
    svg = drawing_to_svg(first)

    assert again is first
    assert drawing_to_svg(again) is svg
    assert svg == drawing_to_svg(charts._progress_chart([CVA], *(None,) * 5, 480, 240))


def test_a_chart_of_other_series_or_size_is_another_drawing():
    assert progress_chart(CVA) is not progress_chart(STAND)
    assert progress_chart(CVA) is not progress_chart(CVA, width=300)
    assert progress_chart(CVA) is not progress_chart(CVA, band=ReferenceBand(45, 50))


@dataclasses.dataclass
class Unfrozen:
    title: str
    points: list


def test_a_chart_of_series_that_can_change_is_built_anew():
    points = [(date(2026, 1, 5), 9.0), (date(2026, 3, 2), 12.0)]
    unfrozen = Unfrozen("Chair stand", points)
    listed = ChartSeries("Chair stand", points)  # frozen, but a list inside

    assert progress_chart(unfrozen) is not progress_chart(unfrozen)
    assert progress_chart(listed) is not progress_chart(listed)
    assert "12" in drawing_to_svg(progress_chart(listed))


def test_a_drawing_built_elsewhere_is_drawn_by_the_renderer_and_not_kept():
    drawing = Drawing(100, 50)
    canvas = Canvas(io.BytesIO())

    for _ in range(3):
        drawings.draw(drawing, canvas)

    assert not hasattr(drawing, "_pdf_replay")


def canvas_after(draw, drawing) -> Canvas:
    canvas = Canvas(io.BytesIO())
    canvas.setFont("Helvetica", 9)
    draw(drawing, canvas)
    return canvas


@pytest.mark.parametrize(
    "drawing",
    [
        lambda: progress_chart(CVA),
        lambda: progress_chart([CVA, STAND], band=ReferenceBand(45, 48, "norm")),
        lambda: bodymap.shared_body_map(frozenset({"knees", "head_neck"}), width=400),
        lambda: bodymap.shared_body_map(frozenset({"whole_body"}), width=400),
    ],
)
def test_a_shared_drawing_replays_what_the_renderer_draws(drawing):
    styles.setup()
    drawing = drawing()
    expected = canvas_after(lambda d, c: renderPDF.draw(d, c, 0, 0), drawing)

    for _ in range(3):  # drawn, recorded, then replayed
        replayed = canvas_after(drawings.draw, drawing)
        assert replayed._code == expected._code
        assert replayed._doc.fontMapping == expected._doc.fontMapping
        assert replayed._fontname == expected._fontname


def test_a_replay_after_a_transparency_makes_every_call_again():
    styles.setup()
    drawing = bodymap.shared_body_map(frozenset({"feet_ankles"}), width=400)
    for _ in range(2):  # drawn, then recorded
        canvas_after(drawings.draw, drawing)
    assert hasattr(drawing, "_pdf_replay")
    expected = Canvas(io.BytesIO())
    expected.setFillAlpha(0.5)
    renderPDF.draw(drawing, expected, 0, 0)

    replayed = Canvas(io.BytesIO())
    replayed.setFillAlpha(0.5)
    drawings.draw(drawing, replayed)

    assert replayed._code == expected._code


def test_the_body_map_is_built_once_per_regions_and_width():
    styles.setup()
    knees = bodymap.shared_body_map(frozenset({"knees"}), width=400)

    assert bodymap.shared_body_map(frozenset({"knees"}), width=400) is knees
    assert bodymap.shared_body_map(frozenset({"knees"}), width=300) is not knees
    assert bodymap.shared_body_map(frozenset(REGION_LABELS), width=400) is not knees


@pytest.mark.parametrize(
    "text",
    [
        "Lengthen the back of your neck.",
        "no\xa0break space",
        "",
        "Ярослава Nguyễn Thị Łukasz",
        "".join(chr(code) for code in range(0x400, 0x4FF)),  # more than one subset
    ],
)
def test_the_embedded_font_encodes_text_as_reportlab_does(text):
    styles.setup()
    font = pdfmetrics.getFont(styles.FONT)
    ours, theirs = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    warm_up = "The quick brown fox jumps over the lazy dog."
    for canvas in (ours, theirs):
        font.splitString(warm_up, canvas._doc)

    for _ in range(2):  # new characters first, then characters the document has coded
        assert font.splitString(text, ours._doc) == TTFont.splitString(font, text, theirs._doc)


def test_importing_the_charts_loads_no_svg_renderer():
    code = (
        "import sys, assessments.charts, programs.pdf\n"
        "print(','.join(name for name in sys.modules if 'renderSVG' in name))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""


def test_forgetting_shared_work_empties_every_cache_and_changes_no_byte():
    from programs.pdf import forget_shared_work

    document = longest_plan()
    first = render_plan(document)
    forget_shared_work()
    assert flowables._parse.cache_info().currsize == 0
    assert not flowables._LINES
    assert bodymap.shared_body_map.cache_info().currsize == 0
    assert charts._shared_chart.cache_info().currsize == 0
    assert render_plan(document) == first
