"""The dashboard and the assessment recording page at phone, tablet and desktop widths.

Full-page screenshots go to e2e-screenshots/widths/<page>-<width>.png for a person to look
at; the test itself checks that each page renders for the signed-in specialist and that
nothing makes the page scroll sideways.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.e2e.conftest import SCREENSHOTS, seed_demo_practice, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# (name, width, height): an iPhone-sized phone, an iPad Air-sized tablet, a laptop.
WIDTHS = [("phone", 390, 844), ("tablet", 820, 1180), ("desktop", 1280, 900)]


def test_dashboard_and_recording_page_at_three_widths(new_context):
    data = seed_demo_practice()
    folder = SCREENSHOTS / "widths"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    pages = {
        "dashboard": ("/dashboard/", "Today"),
        "assessment-recording": (f"/assessments/{data.assessment.pk}/record/", "Assessment of"),
    }
    overflowing = []
    for label, width, height in WIDTHS:
        page = new_context(viewport={"width": width, "height": height}).new_page()
        sign_in(page, data.owner.username, settings.REALIGN_DEMO_PASSWORD)
        for name, (path, heading) in pages.items():
            page.goto(path)
            assert heading in page.get_by_role("heading", level=1).inner_text()
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                overflowing.append(f"{name} at {width} px ({label}): {scroll_width} px wide")
    assert not overflowing, "pages scroll sideways: " + "; ".join(overflowing)
