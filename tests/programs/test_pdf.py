"""What every PDF keeps, read back as a client's PDF reader would (pypdf), with no database:
escaped text, no image but the logo, embedded fonts, the page size asked for, safe reportlab.

Both live renderers are held to it: the client's plan (``client_plan_pdf``) and the
specialist's report and referral letter (``report``), which share ``programs.pdf.build_pdf``.
"""

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

from programs.client_plan import client_plan
from programs.illustrations import load_poses
from programs.pdf.client_plan_pdf import render_client_plan
from programs.pdf.report import render_referral_letter, render_report
from programs.plan import ReportExercise, ReportFinding, ReportPhase
from tests.pdf_reading import flat, fonts_of, image_count, pdf_reader, pdf_text, qpdf_problems
from tests.programs.test_client_plan import facts, simple_data
from tests.programs.test_pdf_report import report

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = (
    "<para>",
    "<font color=red>x</font>",
    "Ana <unclosed",
    '<img src="/etc/passwd"/>',
)


def client_pdf(
    first_name="Ana", specialist="Maria Lopes", notes="", cue=None, **kwargs
) -> PdfReader:
    """The client's plan PDF of ``simple_data`` with these people's words in it."""
    data = simple_data(notes=notes)
    if cue is not None:
        data["phases"][0]["exercises"][0]["cues"] = (cue,)
    client = dataclasses.replace(facts(), first_name=first_name, specialist=specialist)
    plan = client_plan(data, client=client, poses=load_poses())
    return pdf_reader(render_client_plan(plan, **kwargs))


def report_pdf(render=render_report, pagesize="A4", **fields) -> PdfReader:
    """The report (or letter) of ``test_pdf_report.report(**fields)``."""
    return pdf_reader(render(report(**fields), pagesize=pagesize))


def longest_client_plan():
    """Every field at the longest value the forms accept, plus a 300-character word."""
    data = simple_data(notes=("A note to read at home. " * 170 + "w" * 300)[:4000])
    cues = tuple(("Cue " + "x" * 150 + f" {i}")[:160] for i in range(4))
    for phase in data["phases"]:
        exercise = phase["exercises"][0]
        phase["exercises"] = [
            {
                **exercise,
                "name": f"{i:02d} " + "Long exercise name " * 6,
                "cues": cues,
                "equipment": ["band", "mat"],
                "notes": ("Breathe out as you lift. " * 40)[:1000],
            }
            for i in range(15)
        ]
    client = dataclasses.replace(facts(), first_name="F" * 80, specialist="S" * 80 + " " + "P" * 80)
    return client_plan(data, client=client, poses=load_poses())


def png_bytes(size=(120, 60)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (43, 122, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- People's words print literally, and no markup brings an image in ------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_markup_in_names_notes_and_cues_prints_literally_without_images(hostile):
    reader = client_pdf(first_name=f"Ana {hostile}", notes=f"Note {hostile}", cue=f"Cue {hostile}")
    text = flat(pdf_text(reader))

    assert f"Ana {hostile}" in text
    assert f"Note {hostile}" in text
    assert f"Cue {hostile}" in text
    assert image_count(reader) == 0


@pytest.mark.parametrize("hostile", HOSTILE)
def test_markup_in_the_reports_names_findings_and_exercises_prints_literally(hostile):
    finding = ReportFinding("Craniovertebral angle", "44°", "", f"Meaning {hostile}", ())
    exercise = ReportExercise(f"Chin tuck {hostile}", "2 × 10 reps", ("fhp-activate",), "")
    reader = report_pdf(
        client_name=f"Ana {hostile}",
        findings=(finding,),
        phases=(ReportPhase("Release", (1, 2), 3, (exercise,)),),
    )
    text = flat(pdf_text(reader))
    # The report's narrow columns wrap inside a word: compared without the breaks.
    squeezed = "".join(text.split())

    assert f"Ana {hostile}" in text
    assert f"Meaning {hostile}" in text
    assert "".join(f"Chin tuck {hostile}".split()) in squeezed
    assert image_count(reader) == 0


def test_an_image_tag_naming_a_real_file_embeds_nothing(tmp_path):
    picture = tmp_path / "other-client.png"
    picture.write_bytes(png_bytes())
    tag = f'<img src="{picture}" width="40" height="20"/>'
    reader = client_pdf(first_name=tag, notes=tag)

    assert tag in flat(pdf_text(reader))
    assert image_count(reader) == 0


def test_a_practice_logo_is_the_only_image():
    reader = client_pdf(logo=png_bytes(), notes='<img src="/etc/passwd"/>')

    assert image_count(reader) == 1


def test_a_logo_that_is_not_an_image_is_left_out():
    reader = client_pdf(logo=b"not a picture")

    assert image_count(reader) == 0
    assert "Realign Studio" in pdf_text(reader)


@pytest.mark.parametrize("name", ["Łukasz Dvořák", "Zoë Ørsted", "Ярослава", "Nguyễn Thị"])
def test_accented_and_non_latin_names_extract_exactly(name):
    assert name in pdf_text(client_pdf(first_name=name, specialist=name))
    assert name in pdf_text(report_pdf(client_name=name, specialist_name=name))


# --- The document ----------------------------------------------------------------------------


def test_readers_show_the_title_not_the_file_name():
    for reader in (client_pdf(), report_pdf()):
        assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_a_draft_is_titled_with_the_day_it_starts():
    data = simple_data(published_on=None, starts_on=date(2026, 3, 9))
    plan = client_plan(data, client=facts(), poses=load_poses())
    reader = pdf_reader(render_client_plan(plan))

    assert reader.metadata.title == "Exercise plan for Ana, 9 March 2026"


@pytest.mark.parametrize(("pagesize", "width"), [("A4", 595), ("Letter", 612)])
def test_page_size_is_the_one_asked_for(pagesize, width):
    letter = report_pdf(render_referral_letter, pagesize=pagesize)
    for reader in (client_pdf(page_size=pagesize), letter):
        assert round(float(reader.pages[0].mediabox.width)) == width


def test_an_unknown_page_size_is_refused():
    with pytest.raises(ValueError, match="A4"):
        client_pdf(page_size="A5")
    with pytest.raises(ValueError, match="A4"):
        report_pdf(pagesize="A5")


def test_the_longest_values_lay_out_on_more_pages_than_a_small_plan():
    longest = pdf_reader(render_client_plan(longest_client_plan()))
    text = flat(pdf_text(longest))

    assert len(longest.pages) > len(client_pdf().pages)
    assert "14 Long exercise name" in text
    assert "Breathe out as you lift." in text
    assert all(fonts_of(longest).values())


def test_the_longest_plan_passes_qpdf_check(tmp_path):
    assert qpdf_problems(render_client_plan(longest_client_plan()), tmp_path) == ""


# --- reportlab itself --------------------------------------------------------------------------


def test_reportlab_refuses_remote_fetches_and_colour_evaluation():
    client_pdf()

    # CVE-2023-33733: colour expressions were evaluated with rl_safe_eval.
    assert not rl_config.trustedHosts
    assert rl_config.toColorCanUse != "rl_safe_eval"


@pytest.mark.parametrize("module", ["programs.pdf", "programs.pdf.report"])
def test_importing_the_renderer_registers_no_font(module):
    code = (
        f"import {module}\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "print(','.join(pdfmetrics.getRegisteredFontNames()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert "DejaVu" not in result.stdout


@pytest.mark.parametrize("module", ["programs.pdf", "programs.pdf.report"])
def test_importing_the_renderer_loads_no_database_layer(module):
    code = (
        f"import sys, {module}\n"
        "print(','.join(name for name in sys.modules if name.startswith('django')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""
