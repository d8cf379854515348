"""The client's portal (portal:home, portal:download) and signing in to it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import services
from programs.client_plans import client_plan_for
from programs.illustrations import load_poses
from programs.models import Download
from tests.factories import (
    PASSWORD,
    AssessmentFactory,
    ClientFactory,
    ConsentFactory,
    published_program,
)

TODAY = timezone.localdate()


def test_signing_in_with_the_client_account(client, client_account):
    response = client.post(
        reverse("login"), {"username": "ana@example.org", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:home")


def test_portal_lists_only_the_clients_own_published_plans(
    as_user, client_account, published, specialist_user
):
    other = published_program(ClientFactory(specialist=specialist_user), specialist_user)
    page = as_user(client_account).get(reverse("portal:home"))
    assert list(page.context["versions"]) == [published]
    assert reverse("portal:download", args=[other.pk]) not in page.text
    assert published.published_at.strftime("%-d %B %Y") in page.text


def test_portal_hides_drafts(as_user, client_account, client_record, specialist_user):
    ConsentFactory(client=client_record)
    services.generate_program(AssessmentFactory(client=client_record), by=specialist_user)
    assert list(as_user(client_account).get(reverse("portal:home")).context["versions"]) == []


def test_client_downloads_their_plan_from_the_portal(as_user, client_account, published):
    response = as_user(client_account).get(reverse("portal:download", args=[published.pk]))
    assert response.status_code == 200
    assert Download.objects.get().channel == "portal"


def test_client_cannot_download_another_clients_plan_by_url(
    as_user, client_account, specialist_user
):
    other = published_program(ClientFactory(specialist=specialist_user), specialist_user)
    response = as_user(client_account).get(reverse("portal:download", args=[other.pk]))
    assert response.status_code == 404


def test_client_sees_nothing_else_in_the_application(as_user, client_account, published):
    user = as_user(client_account)
    assert user.get(reverse("clients:list")).status_code == 403
    assert (
        user.get(reverse("clients:detail", args=[published.program.client.pk])).status_code == 403
    )
    assert user.get(reverse("programs:version", args=[published.pk])).status_code == 403
    assert user.get(reverse("programs:download", args=[published.pk])).status_code == 403
    assert user.get(reverse("home"))["Location"] == reverse("portal:home")


# --- Today's routine ------------------------------------------------------------------------------


def test_the_portal_shows_todays_session_as_exercise_cards(portal, published):
    page = portal.get(reverse("portal:home")).text
    _, steps = client_plan_for(published).session_on(TODAY)
    cards = [card for step in steps for card in step.exercises]
    assert cards
    assert page.count('class="card exercise-card') == len(cards)
    for card in cards:
        assert card.dose in page
        assert card.name in page


def test_each_card_with_a_pose_has_its_illustration_and_the_others_their_text(portal, published):
    page = portal.get(reverse("portal:home")).text
    _, steps = client_plan_for(published).session_on(TODAY)
    cards = [card for step in steps for card in step.exercises]
    posed = [card for card in cards if card.slug in load_poses()]
    assert page.count('role="img"') == len(posed)
    for card in cards:
        if card.slug not in load_poses():
            assert f"What your body does: {card.alt}" in page


def test_the_session_steps_come_in_continuum_order(portal, published):
    page = portal.get(reverse("portal:home")).text
    titles = re.findall(r"Step \d: ([A-Za-z ,]+)</h4>", page)
    order = ["Release", "Stretch", "Activate", "Put it together"]
    assert titles == [t for t in order if t in titles]
    assert titles[:1] == ["Release"]


@pytest.mark.parametrize("logged", ["0" * 5000, "²", "١٢"])
def test_a_junk_logged_session_id_shows_the_page_without_advice(portal, published, logged):
    response = portal.get(reverse("portal:home"), {"logged": logged})
    assert response.status_code == 200
    assert response.context["advice"] is None
