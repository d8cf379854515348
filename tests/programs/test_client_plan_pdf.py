"""The client's plan PDF (programs.pdf.client_plan_pdf), read back with pypdf."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader

from programs import sharing
from programs.client_plan import ClearanceFact, client_plan
from programs.client_plans import client_plan_for
from programs.illustrations import load_poses
from programs.pdf.client_plan_pdf import render_client_plan
from tests.factories import ClientFactory, published_program
from tests.pdf_reading import flat_pdf_text, fonts_of, pdf_reader, qpdf_problems
from tests.programs.test_client_plan import (
    CASES,
    START,
    case_plan,
    clinician_words,
    facts,
    simple_data,
)

# A form XObject drawn on a page: reportlab names a form "FormXob.<name>".
ILLUSTRATION_DRAWN = re.compile(rb"/FormXob\.illustration-([a-z0-9-]+) Do")
CHECKLIST_ROW = re.compile(r"\bWeek (\d+) \d{1,2} [A-Z][a-z]+ \d{4}")


def pdf_of(plan, **kwargs) -> PdfReader:
    return pdf_reader(render_client_plan(plan, **kwargs))


def drawn_illustrations(reader: PdfReader) -> list[str]:
    """The slug of every illustration drawn, page by page, in print order."""
    return [
        slug.decode()
        for page in reader.pages
        for slug in ILLUSTRATION_DRAWN.findall(page.get_contents().get_data())
    ]


def plan_with(screenings=((START, ()),), clearances=(), **changes):
    return client_plan(
        simple_data(**changes),
        client=facts(screenings=screenings, clearances=clearances),
        poses=load_poses(),
    )


LONGEST = max(CASES, key=lambda path: len(case_plan(path).exercises))


# --- Every exercise has its picture ---------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_exercise_card_draws_its_own_illustration_once(path):
    plan = case_plan(path)
    drawn = drawn_illustrations(pdf_of(plan))
    assert drawn == [card.illustration for card in plan.exercises]


def test_an_exercise_without_a_pose_prints_what_the_body_does_instead():
    plan = client_plan(simple_data(), client=facts(), poses={})
    reader = pdf_of(plan)
    assert drawn_illustrations(reader) == []
    assert plan.exercises[0].alt in flat_pdf_text(reader)


# --- Plain words, one checklist -------------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_no_clinician_word_in_any_case_plan_pdf(path):
    assert clinician_words(flat_pdf_text(pdf_of(case_plan(path)))) == []


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_pdf_has_one_checklist_with_each_week_once(path):
    plan = case_plan(path)
    text = flat_pdf_text(pdf_of(plan))
    assert text.count("Your weekly checklist") == 1
    weeks = [int(n) for n in CHECKLIST_ROW.findall(text)]
    assert weeks == [week.number for week in plan.checklist]


def test_each_exercise_shows_its_dose_cues_and_why():
    plan = plan_with()
    text = flat_pdf_text(pdf_of(plan))
    for card in plan.exercises:
        assert card.name in text
        assert card.dose in text
        assert card.why in text
        assert all(cue in text for cue in card.cues)


def test_consecutive_stages_print_their_own_weeks():
    data = simple_data()
    data["phases"][1]["weeks"] = [5, 8]
    plan = client_plan(data, client=facts(), poses=load_poses())
    reader = pdf_of(plan)
    text = flat_pdf_text(reader)
    assert "Weeks 1 to 4 Do this session 3 times a week. 1. Stretch" in text
    assert "Weeks 5 to 8 Do this session 3 times a week. 1. Put it together" in text
    stages = [entry for entry in reader.outline if isinstance(entry, list)][0]
    assert [entry.title for entry in stages if not isinstance(entry, list)] == [
        "Weeks 1 to 4",
        "Weeks 5 to 8",
    ]


def test_the_plan_says_when_to_come_back_and_when_to_stop():
    plan = client_plan(simple_data(), client=facts("postpartum"), poses=load_poses())
    text = flat_pdf_text(pdf_of(plan))
    assert "re-test on 30 March 2026" in text
    assert all(" ".join(line.split()) in text for line in plan.safety)
    assert "leakage" in text


def test_the_plan_says_it_is_in_the_portal_as_an_accessible_page():
    text = flat_pdf_text(pdf_of(plan_with(), portal_url="https://realign.example/my-plans/7/"))
    assert "accessible web page" in text
    assert "https://realign.example/my-plans/7/" in text


# --- Before you start: one coherent state ---------------------------------------------------


def test_a_cleared_client_reads_who_cleared_them_and_nothing_about_seeing_a_doctor():
    cleared = [ClearanceFact(date(2026, 3, 5), "Dr Moreau")]
    text = flat_pdf_text(pdf_of(plan_with(screenings=[(START, (2,))], clearances=cleared)))
    assert "Before you start: you are cleared" in text
    assert "Dr Moreau cleared you for exercise on 5 March 2026" in text
    assert "talk to a doctor" not in text


def test_a_client_not_cleared_reads_what_to_discuss_and_never_that_they_are_cleared():
    text = flat_pdf_text(pdf_of(plan_with(screenings=[(START, (2,))])))
    assert "Before you start: talk to a doctor or physiotherapist" in text
    assert "the health questions you answered yes to" in text
    assert "cleared" not in text
    assert "you are ready" not in text


def test_a_client_never_screened_is_asked_for_the_questionnaire_first():
    text = flat_pdf_text(pdf_of(plan_with(screenings=())))
    assert "Before you start: a health questionnaire first" in text
    assert "cleared" not in text
    assert "you are ready" not in text


# --- The document: metadata, outline, fonts, pages ------------------------------------------


def test_the_title_names_the_plan_and_its_date_and_the_author_is_the_practice():
    plan = plan_with()
    metadata = pdf_of(plan).metadata
    assert metadata.title == "Exercise plan for Ana, 2 March 2026" == plan.document_title
    assert metadata.author == "Realign Studio"


def test_the_outline_has_an_entry_per_section_and_per_step_in_print_order():
    reader = pdf_of(plan_with())
    top = [entry for entry in reader.outline if not isinstance(entry, list)]
    nested = [entry for entry in reader.outline if isinstance(entry, list)]
    assert [entry.title for entry in top] == [
        "Your exercise plan",
        "What we found",
        "Before you start",
        "Stay safe",
        "How to read your session",
        "Your session",
        "Your weekly checklist",
        "What comes next",
    ]
    assert [entry.title for entry in nested[0]] == ["Stretch", "Put it together"]
    assert all(reader.get_destination_page_number(entry) >= 0 for entry in top)


def test_every_font_is_embedded_and_none_is_helvetica():
    fonts = fonts_of(pdf_of(case_plan(LONGEST)))
    assert fonts
    assert all(fonts.values()), fonts
    assert not any("Helvetica" in name for name in fonts)


def test_every_page_says_page_n_of_m():
    reader = pdf_of(case_plan(LONGEST))
    total = len(reader.pages)
    assert total > 1
    for number, page in enumerate(reader.pages, start=1):
        assert f"page {number} of {total}" in page.extract_text()


def test_a_typical_plan_fits_in_a_few_pages():
    assert len(pdf_of(case_plan(LONGEST)).pages) <= 5


def test_the_plan_passes_qpdf_check(tmp_path):
    pdf = render_client_plan(case_plan(LONGEST), page_size="Letter")
    assert qpdf_problems(pdf, tmp_path) == ""


def test_the_same_plan_renders_to_the_same_bytes():
    assert render_client_plan(plan_with()) == render_client_plan(plan_with())


def test_names_and_notes_print_literally():
    data = simple_data(notes="Keep <b>going</b> & rest")
    data["phases"][0]["exercises"][0]["notes"] = "Knees <apart> & slow"
    client = facts()
    client = type(client)(**{**client.__dict__, "first_name": '<b>Ana</b> & "Zoë"'})
    text = flat_pdf_text(pdf_of(client_plan(data, client=client, poses=load_poses())))
    assert 'A plan for <b>Ana</b> & "Zoë"' in text
    assert "Keep <b>going</b> & rest" in text
    assert "Knees <apart> & slow" in text


# --- What the client receives ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_published_pdf_every_channel_serves_is_the_clients_plan(specialist_user):
    client = ClientFactory(specialist=specialist_user)
    version = published_program(client, specialist_user, assessed_on=START)
    plan = client_plan_for(version)
    reader = pdf_reader(sharing.plan_pdf(version))
    assert reader.metadata.title == plan.document_title
    assert drawn_illustrations(reader) == [card.illustration for card in plan.exercises]
    assert clinician_words(flat_pdf_text(reader)) == []


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_what_comes_next_is_never_split_across_pages(path):
    plan = case_plan(path)
    pages = [page.extract_text() for page in pdf_of(plan).pages]
    last_words = plan.next_steps[-1].split()[-3:]
    heading_page = next(n for n, page in enumerate(pages) if "What comes next" in page)
    assert " ".join(last_words) in " ".join(pages[heading_page].split())
