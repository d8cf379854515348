"""The plan PDF, read back as a client's PDF reader would (pypdf), with no database."""

import dataclasses
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader
from reportlab import rl_config

from assessments.charts import ChartSeries, progress_chart
from assessments.findings import REGION_LABELS
from programs.pdf import render_plan
from programs.plan import (
    NOT_MEASURED,
    ChartDoc,
    ExerciseDoc,
    FindingRow,
    PhaseDoc,
    PlanDocument,
    ScreeningDoc,
)

ROOT = Path(__file__).resolve().parents[2]
POSTPARTUM_NOTE = "Stop and tell your specialist about any leakage or heaviness."
POPULATIONS = ("youth", "adult", "senior", "postpartum")
HOSTILE = (
    "<para>",
    "<font color=red>x</font>",
    "Ana <unclosed",
    '<img src="/etc/passwd"/>',
)


def exercise(name="Chin tuck", **fields) -> ExerciseDoc:
    values = {
        "name": name,
        "sets": 2,
        "dose": "10 reps, hold 5 s",
        "tempo": "2-2-2",
        "cues": ("Lengthen the back of your neck.", "Keep your eyes level."),
        "equipment": (),
    }
    values.update(fields)
    return ExerciseDoc(**values)


def phase(title="Release and lengthen", **fields) -> PhaseDoc:
    values = {
        "title": title,
        "weeks": (1, 2),
        "sessions_per_week": 3,
        "criteria": "Chin tuck held 10 s without pain.",
        "exercises": (exercise(),),
    }
    values.update(fields)
    return PhaseDoc(**values)


def plan(population="adult", **fields) -> PlanDocument:
    values = {
        "title": "Posture plan",
        "client_name": "Ana Silva",
        "specialist_name": "Maria Lopes",
        "practice_name": "Northside Movement",
        "population": population,
        "version": 3,
        "published_on": date(2026, 3, 4),
        "starts_on": date(2026, 3, 9),
        "retest_on": date(2026, 4, 20),
        "screening": ScreeningDoc(cleared=True, lines=()),
        "findings": (
            FindingRow("Craniovertebral angle", "44°", "50° or more", "Head carried forward"),
            FindingRow("Thoracic kyphosis", NOT_MEASURED, "under 40°", "Not assessed"),
        ),
        "regions": frozenset({"head_neck"}),
        "phases": (
            phase(),
            phase(
                "Strengthen",
                weeks=(3, 5),
                sessions_per_week=2,
                exercises=(exercise("Wall angel", equipment=("wall",)),),
            ),
        ),
        "safety_notes": (POSTPARTUM_NOTE,) if population == "postpartum" else (),
    }
    values.update(fields)
    return PlanDocument(**values)


def longest_plan() -> PlanDocument:
    """Every field at the longest value the forms accept, plus a 300-character word."""
    cues = tuple(("Cue " + "x" * 150 + f" {i}")[:160] for i in range(4))
    exercises = tuple(
        exercise(f"{i:02d} " + "Long exercise name " * 7, cues=cues, equipment=("band", "mat"))
        for i in range(30)
    )
    findings = tuple(
        FindingRow(f"Measure {i} " + "m" * 60, "12.5 degrees", "a reference " * 5, "meaning " * 20)
        for i in range(60)
    )
    return plan(
        title="T" * 120,
        client_name="F" * 80 + " " + "L" * 80,
        specialist_name="S" * 80 + " " + "P" * 80,
        practice_name="Practice " * 11,
        notes=("A note to read at home. " * 170 + "w" * 300)[:4000],
        findings=findings,
        regions=frozenset(REGION_LABELS),
        phases=tuple(
            phase(f"Phase title {i}", weeks=(1, 4), exercises=exercises) for i in range(3)
        ),
        screening=ScreeningDoc(cleared=False, lines=("Discuss " + "y" * 300,) * 5),
    )


def pdf_of(doc: PlanDocument, **kwargs) -> PdfReader:
    return PdfReader(io.BytesIO(render_plan(doc, **kwargs)))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text with line breaks joined, for strings a cell may wrap."""
    return " ".join(text.split())


def image_count(reader: PdfReader) -> int:
    """Image XObjects the pages use (a logo's transparency mask is not counted twice)."""
    images = set()
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name, reference in xobjects.items():
            if reference.get_object().get("/Subtype") == "/Image":
                images.add(getattr(reference, "idnum", name))
    return len(images)


def fonts_of(reader: PdfReader) -> dict[str, bool]:
    """Every font the pages and their forms use: base name -> whether its file is embedded."""
    fonts: dict[str, bool] = {}

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [
                d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])
            ]
            embedded = any(
                d is not None
                and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            )
            fonts[str(font.get("/BaseFont"))] = embedded
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return fonts


def png_bytes(size=(120, 60)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (43, 122, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("population", POPULATIONS)
def test_plan_prints_every_section_for_each_population(population):
    text = flat(text_of(pdf_of(plan(population, notes="Walk every day."))))

    for expected in (
        "Posture plan",
        "Ana Silva",
        "Maria Lopes",
        "Northside Movement",
        "9 March 2026",  # starts
        "20 April 2026",  # re-test
        "Version 3",
        "4 March 2026",  # published
        "Craniovertebral angle",
        "not measured",
        "Release and lengthen",
        "Strengthen",
        "Chin tuck",
        "Wall angel",
        "Lengthen the back of your neck.",
        "Move on when: Chin tuck held 10 s without pain.",
        "Weekly checklist",
        "Week 1",
        "Week 5",
        "not medical advice",
        "pain or dizziness",
        "Walk every day.",
    ):
        assert expected in text, expected
    assert (POSTPARTUM_NOTE in text) == (population == "postpartum")


def test_a_cleared_screening_reassures_and_a_referral_lists_what_to_discuss():
    cleared = flat(text_of(pdf_of(plan())))
    referred = flat(
        text_of(
            pdf_of(plan(screening=ScreeningDoc(cleared=False, lines=("Chest pain on exertion",))))
        )
    )

    assert "screening is clear" in cleared
    assert "talk to your physician" in referred
    assert "Chest pain on exertion" in referred
    assert "screening is clear" not in referred


def test_no_findings_says_nothing_needed_correcting():
    text = flat(text_of(pdf_of(plan(findings=()))))

    assert "nothing that needed correcting" in text


def test_an_empty_phase_prints_its_note_instead_of_a_table_and_checklist():
    note = "No finding calls for this step, so it is left empty."
    doc = plan(phases=(phase("Restore", exercises=(), note=note),))
    text = flat(text_of(pdf_of(doc)))
    assert "Phase 1: Restore" in text
    assert f"No exercises in this phase. {note}" in text
    assert "Weekly checklist" not in text


def test_an_empty_phase_without_a_note_still_renders():
    text = flat(text_of(pdf_of(plan(phases=(phase(exercises=()), phase("Strengthen"))))))
    assert "No exercises in this phase." in text
    assert "Phase 2: Strengthen" in text


def test_an_exercise_without_equipment_says_none():
    text = flat(text_of(pdf_of(plan(phases=(phase(exercises=(exercise(equipment=()),)),)))))

    assert "none" in text.split("Chin tuck", 1)[1]


def test_client_name_markup_prints_literally():
    name = '<b>Ana</b> & "Zoë"'
    reader = pdf_of(plan(client_name=name))

    assert name in text_of(reader)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_markup_in_names_notes_and_cues_prints_literally_without_images(hostile):
    doc = plan(
        client_name=f"Ana {hostile}",
        notes=f"Note {hostile}",
        phases=(phase(exercises=(exercise(cues=(f"Cue {hostile}",)),)),),
    )
    reader = pdf_of(doc)
    text = flat(text_of(reader))

    assert f"Ana {hostile}" in text
    assert f"Note {hostile}" in text
    assert f"Cue {hostile}" in text
    assert image_count(reader) == 0


def test_an_image_tag_naming_a_real_file_embeds_nothing(tmp_path):
    picture = tmp_path / "other-client.png"
    picture.write_bytes(png_bytes())
    tag = f'<img src="{picture}" width="40" height="20"/>'
    reader = pdf_of(plan(client_name=tag, notes=tag))

    assert tag in flat(text_of(reader))
    assert image_count(reader) == 0


def test_a_practice_logo_is_the_only_image():
    reader = pdf_of(plan(practice_logo=png_bytes(), notes='<img src="/etc/passwd"/>'))

    assert image_count(reader) == 1


def test_a_logo_that_is_not_an_image_is_left_out():
    reader = pdf_of(plan(practice_logo=b"not a picture"))

    assert image_count(reader) == 0
    assert "Northside Movement" in text_of(reader)


@pytest.mark.parametrize("name", ["Łukasz Dvořák", "Zoë Ørsted", "Ярослава", "Nguyễn Thị"])
def test_accented_and_non_latin_names_extract_exactly(name):
    text = text_of(pdf_of(plan(client_name=name, specialist_name=name)))

    assert name in text


def test_every_page_says_page_n_of_the_page_count():
    reader = pdf_of(longest_plan())
    count = len(reader.pages)

    assert count > 1
    for number, page in enumerate(reader.pages, start=1):
        assert f"page {number} of {count}" in page.extract_text()


def test_metadata_names_the_plan_specialist_and_practice():
    metadata = pdf_of(plan()).metadata

    assert metadata.author == "Maria Lopes, Northside Movement"


def test_the_title_names_the_plan_its_client_and_its_date_and_readers_show_it():
    reader = pdf_of(plan(published_on=date(2026, 3, 4)))

    assert reader.metadata.title == "Posture plan for Ana Silva, 4 March 2026"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_a_draft_is_titled_with_the_day_it_starts():
    reader = pdf_of(plan(published_on=None, starts_on=date(2026, 3, 9)))

    assert reader.metadata.title == "Posture plan for Ana Silva, 9 March 2026"


def test_the_outline_has_a_bookmark_per_section_and_per_phase_in_print_order():
    doc = plan(phases=(phase("Release"), phase("Strengthen", weeks=(3, 4))))
    reader = pdf_of(doc)

    top = [entry for entry in reader.outline if not isinstance(entry, list)]
    nested = [entry for entry in reader.outline if isinstance(entry, list)]
    assert [entry.title for entry in top] == [
        "Posture plan",
        "Before you start",
        "What your assessment showed",
        "Where your plan focuses",
        "Your exercises",
        "Staying safe",
    ]
    assert [entry.title for entry in nested[0]] == ["Phase 1: Release", "Phase 2: Strengthen"]
    assert all(reader.get_destination_page_number(entry) >= 0 for entry in top)


@pytest.mark.parametrize("population", POPULATIONS)
def test_every_font_the_plan_uses_is_embedded(population):
    fonts = fonts_of(pdf_of(longest_plan() if population == "adult" else plan(population)))

    assert fonts
    assert all(fonts.values()), fonts
    assert not any("Helvetica" in name for name in fonts)


def test_the_plan_says_it_is_in_the_portal_as_an_accessible_page():
    with_address = flat(text_of(pdf_of(plan(portal_url="https://realign.example.com/my-plans/7/"))))
    without = flat(text_of(pdf_of(plan())))

    assert "accessible web page" in with_address
    assert "https://realign.example.com/my-plans/7/" in with_address
    assert "client portal" in without


def test_the_plan_passes_qpdf_check(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(render_plan(longest_plan()))

    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("pagesize", "width"), [("A4", 595), ("Letter", 612)])
def test_page_size_is_the_one_asked_for(pagesize, width):
    reader = pdf_of(plan(), pagesize=pagesize)

    assert round(float(reader.pages[0].mediabox.width)) == width


def test_an_unknown_page_size_is_refused():
    with pytest.raises(ValueError, match="A4"):
        render_plan(plan(), pagesize="A5")


def test_the_longest_values_lay_out_on_more_pages_than_a_small_plan():
    longest = pdf_of(longest_plan())

    assert len(longest.pages) > len(pdf_of(plan()).pages)
    assert "Phase title 2" in text_of(longest)


def test_a_long_exercise_note_splits_across_pages():
    note = "Breathe out as you lift. " * 200
    doc = plan(phases=(phase(exercises=(exercise(notes=note),) * 3),))

    assert "Breathe out as you lift." in text_of(pdf_of(doc))


def test_a_progress_chart_is_drawn_with_its_title():
    series = ChartSeries(
        "Thirty-second chair stand",
        ((date(2026, 1, 5), 9.0), (date(2026, 3, 2), 12.0)),
        "repetitions",
    )
    drawing = progress_chart(series)
    text = text_of(pdf_of(plan(charts=(ChartDoc(drawing.title, drawing),))))

    assert "Your progress" in text
    assert "Thirty-second chair stand" in text


def test_chart_text_in_the_plan_is_in_the_embedded_font_not_helvetica():
    from programs.pdf.styles import CHART_TEXT, setup

    setup()
    series = ChartSeries(
        "Thirty-second chair stand",
        ((date(2026, 1, 5), 9.0), (date(2026, 3, 2), 12.0)),
        "repetitions",
    )
    drawing = progress_chart(series, text=CHART_TEXT)
    fonts = fonts_of(pdf_of(plan(charts=(ChartDoc(drawing.title, drawing),))))

    assert fonts
    assert all(fonts.values()), fonts
    assert not any("Helvetica" in name for name in fonts)


def test_the_body_map_labels_the_highlighted_region_only():
    highlighted = text_of(pdf_of(plan(regions=frozenset({"knees"}))))
    other = text_of(pdf_of(plan(regions=frozenset({"feet_ankles"}))))

    assert REGION_LABELS["knees"] in highlighted
    assert REGION_LABELS["knees"] not in other
    assert REGION_LABELS["feet_ankles"] in other


def test_the_same_document_renders_to_the_same_bytes():
    doc = plan(practice_logo=png_bytes())

    assert render_plan(doc) == render_plan(dataclasses.replace(doc))


def test_reportlab_refuses_remote_fetches_and_colour_evaluation():
    render_plan(plan())

    # CVE-2023-33733: colour expressions were evaluated with rl_safe_eval.
    assert not rl_config.trustedHosts
    assert rl_config.toColorCanUse != "rl_safe_eval"


def test_importing_the_renderer_registers_no_font():
    code = (
        "import programs.pdf\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "print(','.join(pdfmetrics.getRegisteredFontNames()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert "DejaVu" not in result.stdout


def test_importing_the_renderer_loads_no_database_layer():
    code = (
        "import sys, programs.pdf\n"
        "print(','.join(name for name in sys.modules if name.startswith('django')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""
