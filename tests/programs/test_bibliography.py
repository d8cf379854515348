"""Sources a specialist can check: every source id Realign cites has its full citation, once."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from assessments.interpret import interpret
from assessments.sources import (
    SOURCES_FILE,
    bibliography,
    parse_sources,
    source_ids,
)
from core.data_files import DataFileError
from programs import bibliography as where
from programs.case import parse_case
from programs.documents import build_specialist_report
from programs.library import load_library
from programs.pdf.report import render_report
from programs.rules import DATA_DIR, load_ruleset
from tests.factories import published_program
from tests.pdf_reading import flat_pdf_text
from tests.programs.test_engine_properties import cases

ROOT = Path(__file__).resolve().parents[2]
CASE_FILES = sorted((ROOT / "tests" / "cases").glob("*.json"))
CASE_FILES += [p for p in sorted((DATA_DIR / "examples").glob("*.json")) if "invalid" not in p.name]


def _finding_sources(data: dict) -> set[str]:
    case = parse_case(data)
    return set(source_ids([f.source for f in interpret(case.measures, case.facts) if f.source]))


def test_every_source_the_rules_norms_doses_and_findings_cite_has_a_citation():
    cited = where.cited_anywhere(load_ruleset(), load_library())
    assert cited
    assert where.unknown(cited) == set()


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_the_findings_of_each_shipped_case_cite_known_sources(path):
    data = json.loads(path.read_text())
    assert where.unknown(_finding_sources(data.get("input", data))) == set()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_findings_of_any_case_cite_known_sources(data):
    assert where.unknown(_finding_sources(data)) == set()


def test_every_entry_of_the_bibliography_is_cited_somewhere():
    files = [*ROOT.glob("programs/data/**/*.toml"), *ROOT.glob("assessments/data/norms/*.json")]
    files += [*ROOT.glob("assessments/*.py"), *ROOT.glob("programs/*.py"), ROOT / "clients/parq.py"]
    corpus = "\n".join(p.read_text() for p in files if p != SOURCES_FILE)
    unused = [
        key
        for key in bibliography()
        if not re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", corpus)
    ]
    assert unused == []


def test_a_secondary_key_shows_its_primary_work_first():
    lines = bibliography()["Quizlet-7.6"].lines
    assert lines[0].startswith("Clark MA, Lucett SC, Sutton BG (eds). NASM Essentials")
    assert lines[1] == "via Quizlet-7.6: NASM CPT 4th ed. Table 7.6 (flashcard transcription)."


def test_a_primary_source_is_cited_as_itself():
    assert bibliography()["Lau-2009"].lines == (bibliography()["Lau-2009"].citation,)


def test_a_second_hand_work_is_marked_not_retrieved():
    assert not bibliography()["NASM-CES"].retrieved


def test_findings_write_several_ids_in_one_string():
    assert source_ids("Sperstad-2016, PolRadiol") == ("Sperstad-2016", "PolRadiol")


def test_an_id_declared_twice_is_refused():
    entry = '[[source]]\nid = "Lau-2009"\ncitation = "Lau HMC et al. 2009, Man Ther."\n'
    with pytest.raises(DataFileError, match="declared twice"):
        parse_sources(entry + entry)


def test_an_entry_without_its_citation_is_refused():
    with pytest.raises(DataFileError, match="citation"):
        parse_sources('[[source]]\nid = "Lau-2009"\n')


def test_an_unknown_field_is_refused():
    with pytest.raises(DataFileError, match="url"):
        parse_sources('[[source]]\nid = "X"\ncitation = "A full citation here."\nurl = "x"\n')


def test_the_sources_page_lists_each_id_with_its_primary_work_first(as_user, specialist_user):
    page = as_user(specialist_user).get(reverse("programs:sources")).text
    quizlet = page.index("Quizlet-7.6</dt>")
    assert page.index("NASM Essentials of Personal Fitness Training", quizlet) < page.index(
        "via Quizlet-7.6", quizlet
    )
    assert "Lau HMC, Chiu TTW, Lam TH" in page


def test_the_specialists_document_ends_with_the_sources_its_findings_cite(
    specialist_user, client_record
):
    version = published_program(client_record, specialist_user, cleared=True)
    # The client's plan has no sources; the specialist's report keeps them, in full.
    pdf = render_report(build_specialist_report(version, today=timezone.localdate()))
    text = flat_pdf_text(pdf)
    assert text.rindex("References") > text.rindex("Program")
    assert "Mostafaee" in text
    assert "Lau HMC, Chiu TTW, Lam TH" in text
