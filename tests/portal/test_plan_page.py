"""The whole plan as a page in the portal (portal:plan)."""

import re

from django.urls import reverse

from programs.client_plans import client_plan_for
from programs.illustrations import load_poses


def test_the_whole_plan_page_has_each_part_under_its_heading(portal, published):
    page = portal.get(reverse("portal:plan", args=[published.pk])).text
    for heading in (
        "What we found",
        "Before you start",
        "Your session",
        "Your weekly checklist",
        "What comes next",
        "Stay safe",
    ):
        assert re.search(rf"<h2[^>]*>{heading}", page), heading
    assert "Your head sits forward of your shoulders." in page


def test_the_whole_plan_shows_every_exercise_once_with_a_text_alternative(portal, published):
    page = portal.get(reverse("portal:plan", args=[published.pk])).text
    plan = client_plan_for(published)
    assert page.count('class="card exercise-card') == len(plan.exercises)
    for card in plan.exercises:
        if card.slug in load_poses():
            assert card.alt.replace("'", "&#x27;") in page
        else:
            assert f"What your body does: {card.alt}" in page


def test_the_whole_plan_has_one_checklist_line_per_week(portal, published):
    page = portal.get(reverse("portal:plan", args=[published.pk])).text
    weeks = re.findall(r"<strong>Week (\d+)</strong>", page)
    assert weeks == [str(n) for n in range(1, len(weeks) + 1)]
    assert len(weeks) == len(client_plan_for(published).checklist)


def test_when_to_stop_comes_before_the_first_exercise(portal, published):
    page = portal.get(reverse("portal:plan", args=[published.pk])).text
    assert page.index('id="safety-h"') < page.index('id="session-h"')
