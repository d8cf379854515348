"""A 390 px phone and a printer: the client list and the findings fit the screen, chart text is
12 px or more, the share link's page fits, and the program page prints its cues without its
menu, buttons or sharing panel.

Screenshots go to e2e-screenshots/phone/ (and print/, the printed program page as PNG) for a
person to look at.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.conf import settings

from assessments.charts import SCREEN_TEXT
from programs.sharing import create_share_link
from tests.e2e.conftest import SCREENSHOTS, seed_demo_practice, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Where each element of `selector` ends, rightmost first, and the page's own width.
RIGHT_EDGES = """selector => ({
  page: document.documentElement.scrollWidth,
  edges: Array.from(document.querySelectorAll(selector))
    .filter(e => e.offsetParent !== null)
    .map(e => e.getBoundingClientRect().right),
})"""


def phone_page(new_context, data):
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, data.owner.username, settings.REALIGN_DEMO_PASSWORD)
    return page


def shot(page, name):
    folder = SCREENSHOTS / "phone"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def assert_within_the_screen(page, selector):
    seen = page.evaluate(RIGHT_EDGES, selector)
    assert seen["page"] <= PHONE["width"], f"the page scrolls sideways: {seen['page']} px"
    assert seen["edges"], f"nothing matches {selector}"
    assert max(seen["edges"]) <= PHONE["width"], f"{selector} ends at {max(seen['edges'])} px"


def test_the_client_list_fits_a_phone_with_its_clearance_flag_whole(new_context):
    data = seed_demo_practice()
    page = phone_page(new_context, data)
    page.goto("/clients/")
    shot(page, "client-list")
    assert_within_the_screen(page, ".badge.text-bg-danger")  # "Clearance recommended"
    assert_within_the_screen(page, "td[data-label='Last activity']")


def test_the_findings_fit_a_phone_with_their_sources_on_screen(new_context):
    data = seed_demo_practice()
    page = phone_page(new_context, data)
    page.goto(f"/assessments/{data.assessment.pk}/")
    shot(page, "findings")
    assert_within_the_screen(page, "td[data-label='Source']")
    assert page.locator("td[data-label='Source']").first.is_visible()


def test_chart_text_is_at_least_12_px_on_a_phone(new_context):
    data = seed_demo_practice()
    page = phone_page(new_context, data)
    page.goto(f"/clients/{data.client.pk}/")
    shot(page, "client-charts")
    scales = page.evaluate(
        """() => Array.from(document.querySelectorAll('.chart img')).map(img => {
             const style = getComputedStyle(img);
             const content = img.clientWidth - parseFloat(style.paddingLeft)
               - parseFloat(style.paddingRight);
             return content / img.naturalWidth;
           })"""
    )
    assert scales, "the demo client has no chart"
    smallest = min(SCREEN_TEXT.title, SCREEN_TEXT.label, SCREEN_TEXT.value, SCREEN_TEXT.band)
    assert smallest * min(scales) >= 12, f"smallest chart text {smallest * min(scales):.1f} px"


def test_the_share_link_page_fits_a_phone(new_context):
    data = seed_demo_practice()
    _, token = create_share_link(data.published, by=data.owner)
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"/p/{token}/")
    shot(page, "share-landing")
    assert_within_the_screen(page, "a.btn-primary")
    assert page.get_by_role("link", name="Download the plan (PDF)").is_visible()


def test_the_printed_program_keeps_the_cues_and_drops_the_controls(new_context):
    data = seed_demo_practice()
    page = new_context().new_page()
    sign_in(page, data.owner.username, settings.REALIGN_DEMO_PASSWORD)
    page.goto(f"/programs/{data.published.pk}/")
    page.emulate_media(media="print")

    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("heading", name="Sharing").is_visible()
    assert not page.get_by_role("link", name="Download PDF").is_visible()
    cue = page.locator("details.cues li").first
    assert cue.is_visible(), "the cues are hidden on paper"

    folder = SCREENSHOTS / "print"
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "program.pdf"
    page.pdf(path=str(pdf), format="A4")
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / "program")], check=True
        )
