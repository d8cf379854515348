"""The client's session on a 390 px phone: today's routine as cards with their pictures, the
session ticked with a high pain rating and the advice that answers it, and the whole plan.

Screenshots go to e2e-screenshots/phone/ for a person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from programs.adherence import PAIN_ATTENTION
from tests.e2e.conftest import DEMO_CLIENT_PASSWORD, seed_demo_practice, sign_in, today_iso
from tests.e2e.test_phone_and_print import PHONE, assert_within_the_screen, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_session_routine_and_the_pain_advice_on_a_phone(new_context):
    data = seed_demo_practice()
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, data.portal_user.username, DEMO_CLIENT_PASSWORD)
    page.goto("/my-plans/")

    today = page.get_by_role("region", name="Today's session")
    expect(today.get_by_role("heading", level=4).first).to_contain_text("Step 1: Release")
    cards = today.locator("article.exercise-card")
    assert cards.count() >= 3
    expect(today.get_by_role("img").first).to_be_visible()
    assert_within_the_screen(page, "article.exercise-card")
    shot(page, "portal-today")

    page.get_by_label("Day of the session").fill(today_iso())
    page.get_by_label("Pain during or after (0-10, optional)").fill(str(PAIN_ATTENTION + 2))
    page.get_by_label("Note for your specialist").fill("Sharp pain in the knee on the squat.")
    page.get_by_role("button", name="I did a session").click()

    advice = page.get_by_role("alert")
    expect(advice).to_contain_text("Stop the exercise that hurt")
    expect(advice).to_contain_text("Contact your specialist")
    expect(advice).to_contain_text("chest pain")
    expect(page.get_by_text("Well done!")).to_have_count(0)
    assert_within_the_screen(page, ".pain-advice")
    shot(page, "portal-pain-advice")


def test_the_whole_plan_reads_on_a_phone(new_context):
    data = seed_demo_practice()
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, data.portal_user.username, DEMO_CLIENT_PASSWORD)
    page.goto("/my-plans/")
    page.get_by_role("link", name="Read your whole plan").first.click()
    for heading in ("What we found", "Your session", "Your weekly checklist", "Stay safe"):
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    assert_within_the_screen(page, "article.exercise-card")
    shot(page, "portal-whole-plan")
