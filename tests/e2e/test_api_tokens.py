"""The API token page in a browser, at a phone's and a laptop's width: a member makes a token
and sees it once, with how to use it, above the list of their tokens.

Screenshots go to e2e-screenshots/api-tokens/<step>-<width>.png for a person to look at.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from api import tokens
from tests.e2e.conftest import SCREENSHOTS, serious_axe_violations, sign_in
from tests.factories import PracticeFactory, specialist

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = [(390, 844), (1280, 900)]


def a_member_with_tokens():
    """A specialist with an older revoked token and an expired one, so the list shows each state."""
    user = specialist(PracticeFactory(name="Northside Movement"))
    user.first_name, user.last_name = "Maya", "Lindqvist"
    user.save()
    revoked, _ = tokens.create_token(user, name="Old booking sync")
    tokens.revoke(revoked)
    expired, _ = tokens.create_token(user, name="Spreadsheet export (trial)", days=1)
    expired.expires_at = timezone.now() - timedelta(days=2)
    expired.save(update_fields=["expires_at"])
    return user


def test_a_new_token_is_shown_once_at_phone_and_laptop_widths(new_context):
    user = a_member_with_tokens()
    folder = SCREENSHOTS / "api-tokens"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    overflowing = []
    for width, height in WIDTHS:
        page = new_context(viewport={"width": width, "height": height}, bypass_csp=True).new_page()
        sign_in(page, user.username)
        page.goto("/account/api-tokens/")
        page.get_by_label("Name").fill(f"Reporting script {width}")
        page.get_by_label("Works for (days)").fill("30")
        page.get_by_role("button", name="Create the token").click()
        token = page.locator("#new-token").input_value()
        assert token.startswith(tokens.PREFIX)
        assert "will not be shown again" in page.inner_text("main")
        page.screenshot(path=str(folder / f"created-{width}.png"), full_page=True)
        assert serious_axe_violations(page) == []
        if page.evaluate("document.documentElement.scrollWidth") > width:
            overflowing.append(f"the new token at {width} px")
        page.goto("/account/api-tokens/")
        assert token not in page.content()
        page.screenshot(path=str(folder / f"list-{width}.png"), full_page=True)
        if page.evaluate("document.documentElement.scrollWidth") > width:
            overflowing.append(f"the list at {width} px")
    assert not overflowing, "the page scrolls sideways: " + "; ".join(overflowing)
