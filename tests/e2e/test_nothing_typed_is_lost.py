"""Nothing typed on the assessment page is lost (js/drafts.js and the section badges).

What is typed in a section stays, unsaved and badged so, while another section is saved, a
section is added, a save is refused and the page is reloaded; leaving the page any other
way with unsaved entries asks first; a refused section is never badged "Saved".
Screenshots go to e2e-screenshots/nothing-lost/.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from assessments.sections import CHANGED, HAS_ERRORS, SAVED
from tests.e2e.conftest import seed_demo_practice, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POSTURE_NOTE = "Left shoulder sits lower; check again next visit."
SQUAT_NOTE = "Heels rise from the third repetition."
GAIT_DEVIATION = "#section-gait input[type=checkbox]"


def section(page: Page, key: str):
    return page.locator(f"#section-{key}")


def badge(page: Page, key: str):
    return section(page, key).locator("[data-badge]")


def signed_in_on_the_record_page(new_context):
    data = seed_demo_practice()
    page = new_context(viewport={"width": 820, "height": 1180}).new_page()
    sign_in(page, data.owner.username, settings.REALIGN_DEMO_PASSWORD)
    record = f"/assessments/{data.assessment.pk}/record/"
    page.goto(record)
    return page, record


def type_in_three_sections(page: Page) -> str:
    """A posture note, a squat note and a gait deviation; the gait box's id."""
    section(page, "static_posture").get_by_label("Notes", exact=True).fill(POSTURE_NOTE)
    section(page, "overhead_squat").get_by_label("Notes", exact=True).fill(SQUAT_NOTE)
    box_id = page.locator(f"{GAIT_DEVIATION}:not(:checked)").first.get_attribute("id")
    page.locator(f"#{box_id}").check()
    return box_id


def expect_the_three_entries(page: Page, gait_box: str) -> None:
    notes = section(page, "static_posture").get_by_label("Notes", exact=True)
    expect(notes).to_have_value(POSTURE_NOTE)
    expect(section(page, "overhead_squat").get_by_label("Notes", exact=True)).to_have_value(
        SQUAT_NOTE
    )
    expect(page.locator(f"#{gait_box}")).to_be_checked()
    for key in ("static_posture", "overhead_squat", "gait"):
        expect(badge(page, key)).to_have_text(CHANGED.label)


def test_entries_in_three_sections_survive_saving_adding_an_error_and_a_reload(new_context, shots):
    page, record = signed_in_on_the_record_page(new_context)
    shot = shots("nothing-lost")
    gait_box = type_in_three_sections(page)
    expect(badge(page, "gait")).to_have_text(CHANGED.label)

    # Saving a fourth section.
    tech = section(page, "tech_neck")
    tech.get_by_label("Craniovertebral angle (CVA)", exact=True).fill("47")
    tech.get_by_role("button", name="Save tech neck").click()
    expect(page.locator("main > .alert[role=status]").first).to_contain_text("Tech neck saved.")
    expect(badge(page, "tech_neck")).to_have_text(SAVED.label)
    expect_the_three_entries(page, gait_box)
    shot(page, "after-saving-tech-neck")

    # Adding a section.
    page.get_by_role("link", name="+ Senior fitness and balance").click()
    expect(section(page, "senior_tests")).to_be_visible()
    expect_the_three_entries(page, gait_box)

    # A save the server refuses.
    tech = section(page, "tech_neck")
    tech.get_by_label("Craniovertebral angle (CVA)", exact=True).fill("400")
    tech.get_by_role("button", name="Save tech neck").click()
    expect(section(page, "tech_neck").locator("[data-error-summary]")).to_be_visible()
    expect(badge(page, "tech_neck")).to_have_text(HAS_ERRORS.label)
    expect_the_three_entries(page, gait_box)
    expect(section(page, "senior_tests")).to_be_visible()
    shot(page, "after-a-refused-save")

    # A reload (it asks first: entries are waiting) shows the page again, not a re-post.
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page).to_have_url(re.compile(r"/record/\?"))
    expect_the_three_entries(page, gait_box)
    cva = section(page, "tech_neck").get_by_label("Craniovertebral angle (CVA)", exact=True)
    expect(cva).to_have_value("400")
    expect(badge(page, "tech_neck")).to_have_text(CHANGED.label)
    shot(page, "after-a-reload")


def test_leaving_with_unsaved_entries_asks_first(new_context):
    page, record = signed_in_on_the_record_page(new_context)
    section(page, "static_posture").get_by_label("Notes", exact=True).fill(POSTURE_NOTE)
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.get_by_role("link", name="See the findings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment of")
    assert asked == ["beforeunload"]
    expect(section(page, "static_posture").get_by_label("Notes", exact=True)).to_have_value(
        POSTURE_NOTE
    )

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="See the findings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Findings of")


def test_nothing_typed_leaves_without_asking(new_context):
    page, record = signed_in_on_the_record_page(new_context)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="See the findings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Findings of")
    assert asked == []


def test_a_refused_section_is_never_badged_saved(new_context, shots):
    page, record = signed_in_on_the_record_page(new_context)
    shot = shots("nothing-lost-refused")
    tilt = section(page, "pelvic_tilt")
    expect(badge(page, "pelvic_tilt")).to_have_text(SAVED.label)
    tilt.get_by_label("Pelvic tilt, left side", exact=True).fill("90")
    expect(badge(page, "pelvic_tilt")).to_have_text(CHANGED.label)
    tilt.get_by_role("button", name="Save pelvic tilt").click()
    expect(badge(page, "pelvic_tilt")).to_have_text(HAS_ERRORS.label)
    shot(page, "refused")
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(badge(page, "pelvic_tilt")).to_have_text(CHANGED.label)
    expect(
        section(page, "pelvic_tilt").get_by_label("Pelvic tilt, left side", exact=True)
    ).to_have_value("90")


def test_a_saved_section_drops_its_draft_and_discard_restores_the_saved_entry(new_context):
    page, record = signed_in_on_the_record_page(new_context)
    notes = section(page, "static_posture").get_by_label("Notes", exact=True)
    saved_notes = notes.input_value()
    notes.fill(POSTURE_NOTE)
    page.get_by_role("link", name="+ Senior fitness and balance").click()
    expect(section(page, "static_posture").locator("[data-draft-note]")).to_be_visible()
    section(page, "static_posture").get_by_role("button", name="Discard what I typed").click()
    expect(notes).to_have_value(saved_notes)
    expect(badge(page, "static_posture")).to_have_text(SAVED.label)

    notes.fill(POSTURE_NOTE)
    section(page, "static_posture").get_by_role("button", name="Save static posture").click()
    expect(badge(page, "static_posture")).to_have_text(SAVED.label)
    page.reload()  # nothing waits: no question
    expect(notes).to_have_value(POSTURE_NOTE)
    expect(badge(page, "static_posture")).to_have_text(SAVED.label)
    expect(section(page, "static_posture").locator("[data-draft-note]")).to_be_hidden()
