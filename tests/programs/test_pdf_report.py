"""The specialist's report and the referral letter, read back with pypdf, with no database."""

import dataclasses
from datetime import date

import pytest

from assessments.sources import bibliography
from programs.pdf.report import render_referral_letter, render_report
from programs.plan import (
    ReferralDoc,
    ReportExercise,
    ReportFinding,
    ReportPhase,
    SourceDoc,
    SpecialistReport,
)
from tests.pdf_reading import flat, flat_pdf_text, fonts_of, pdf_reader, qpdf_problems

CITED = next(iter(bibliography().values()))
FORWARD_HEAD = ReportFinding(
    measure="Craniovertebral angle",
    value="44°",
    norm="50° or more",
    meaning="Forward head posture",
    sources=(CITED.id,),
)
REFERRED = ReferralDoc(
    required=True,
    reasons=("Pain of 7/10 at rest", "PAR-Q+ answered yes, not yet cleared"),
    details=("Low back pain since March.",),
)


def report(**fields) -> SpecialistReport:
    values = {
        "title": "Specialist's report",
        "client_name": "Ana Silva",
        "client_birth_date": date(1990, 5, 17),
        "specialist_name": "Maria Lopes",
        "specialist_email": "maria@northside.example",
        "practice_name": "Northside Movement",
        "population": "adult",
        "version": 2,
        "published_on": date(2026, 3, 4),
        "assessed_on": date(2026, 3, 2),
        "written_on": date(2026, 3, 5),
        "findings": (FORWARD_HEAD,),
        "referral": REFERRED,
        "phases": (
            ReportPhase(
                title="Release",
                weeks=(1, 2),
                sessions_per_week=3,
                exercises=(
                    ReportExercise(
                        name="Chin tuck",
                        dose="2 × 10 reps, hold 5 s",
                        rules=("fhp-activate: Deep neck flexors are weak in forward head",),
                        why="Forward head posture",
                    ),
                ),
            ),
        ),
        "sources": (SourceDoc(CITED.id, CITED.lines),),
    }
    values.update(fields)
    return SpecialistReport(**values)


def test_the_report_lists_each_finding_with_its_value_norm_and_full_citation():
    text = flat_pdf_text(render_report(report()))

    assert "Craniovertebral angle" in text
    assert "44°" in text
    assert "50° or more" in text
    assert flat(CITED.lines[0])[:60] in text


def test_the_report_gives_the_referral_reasons():
    text = flat_pdf_text(render_report(report()))

    assert "Pain of 7/10 at rest" in text
    assert "PAR-Q+ answered yes, not yet cleared" in text
    assert "No clearance recorded yet." in text


def test_the_report_says_when_no_referral_is_required():
    text = flat_pdf_text(render_report(report(referral=ReferralDoc(False, ()))))

    assert "No referral is required" in text


def test_the_report_names_the_rule_behind_each_exercise():
    text = flat_pdf_text(render_report(report()))

    assert "Chin tuck" in text
    assert "fhp-activate: Deep neck flexors are weak in forward head" in text


def test_the_referral_letter_is_one_page_with_reasons_measures_and_contact():
    pdf = render_referral_letter(report())
    text = flat_pdf_text(pdf)

    assert len(pdf_reader(pdf).pages) == 1
    assert "Pain of 7/10 at rest" in text
    assert "Craniovertebral angle" in text
    assert "maria@northside.example" in text
    assert "Maria Lopes" in text
    assert "Northside Movement" in text


def test_a_letter_with_many_findings_stays_on_one_page_and_points_to_the_report():
    pdf = render_referral_letter(report(findings=(FORWARD_HEAD,) * 20))

    assert len(pdf_reader(pdf).pages) == 1
    assert "and 8 more in the specialist's report" in flat_pdf_text(pdf)


def test_there_is_no_referral_letter_when_no_referral_is_required():
    with pytest.raises(ValueError, match="no referral is required"):
        render_referral_letter(report(referral=ReferralDoc(False, ())))


@pytest.mark.parametrize("render", [render_report, render_referral_letter])
def test_report_and_letter_are_titled_embed_their_fonts_and_pass_qpdf(render, tmp_path):
    pdf = render(report())
    reader = pdf_reader(pdf)

    assert "Ana Silva" in reader.metadata.title
    assert all(fonts_of(reader).values())
    assert not any("Helvetica" in name for name in fonts_of(reader))
    assert "page 1 of" in reader.pages[0].extract_text()
    assert qpdf_problems(pdf, tmp_path) == ""


def test_the_report_has_an_outline_of_its_sections():
    reader = pdf_reader(render_report(report()))

    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert titles == ["Specialist's report", "Findings", "Referral", "Program", "References"]


def test_the_same_report_renders_to_the_same_bytes():
    assert render_report(report()) == render_report(dataclasses.replace(report()))


LONG_FINDINGS = tuple(
    dataclasses.replace(FORWARD_HEAD, measure=f"Measure {n}", meaning="A long reading. " * 25)
    for n in range(1, 13)
)


def test_long_findings_start_on_the_first_page_below_their_heading():
    pages = [
        flat(page.extract_text())
        for page in pdf_reader(render_report(report(findings=LONG_FINDINGS))).pages
    ]
    assert "Findings" in pages[0]
    assert "Measure 1" in pages[0]
    assert len(pages) > 2


def test_a_heading_always_shares_its_page_with_the_first_row_below_it():
    phases = tuple(
        ReportPhase(
            title=f"Stage{n}",
            weeks=(1, 2),
            sessions_per_week=3,
            exercises=tuple(
                ReportExercise(
                    name=f"Move{n}x{k}", dose="1 × 10", rules=("r: " + "why " * 60,), why="w"
                )
                for k in range(4)
            ),
        )
        for n in range(1, 6)
    )
    pages = [
        flat(p.extract_text())
        for p in pdf_reader(render_report(report(findings=LONG_FINDINGS, phases=phases))).pages
    ]
    for n in range(1, 6):
        page = next(text for text in pages if f"Stage{n}" in text)
        assert f"Move{n}x0" in page, n
