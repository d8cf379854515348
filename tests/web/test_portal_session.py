"""The session in the portal: today's routine as cards, the pain advice, the specialist's
attention list and its acknowledgement, and the whole plan as a page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import TechNeck
from clients.services import erase_client
from programs import services
from programs.adherence import PAIN_ATTENTION
from programs.client_plans import client_plan_for
from programs.illustrations import load_poses
from programs.models import PainAcknowledgement, SessionLog
from tests.factories import (
    AssessmentFactory,
    ClientFactory,
    ConsentFactory,
    ScreeningFactory,
    UserFactory,
)

TODAY = timezone.localdate()


def publish(client, by):
    ConsentFactory(client=client)
    ScreeningFactory(client=client)
    assessment = AssessmentFactory(client=client, assessed_on=TODAY)
    TechNeck.objects.create(assessment=assessment, cva_deg=44)
    return services.publish(services.generate_program(assessment, by=by), by=by)


@pytest.fixture
def published(client_record, specialist_user):
    return publish(client_record, specialist_user)


@pytest.fixture
def portal(as_user, client_record):
    user = UserFactory(username="ana@example.org")
    client_record.user = user
    client_record.save()
    return as_user(user)


def log(portal, version, pain, note="Rows were hard"):
    return portal.post(
        reverse("portal:log_session", args=[version.pk]),
        {
            f"v{version.pk}-done_on": TODAY.isoformat(),
            f"v{version.pk}-pain": str(pain),
            f"v{version.pk}-note": note,
        },
    )


def dashboard_attention(client):
    return [v.pk for v in client.get(reverse("dashboard")).context["attention"]]


# --- Today's routine ------------------------------------------------------------------------


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


# --- Logging a session and the pain advice --------------------------------------------------


def test_a_session_with_little_pain_is_praised(portal, published):
    response = log(portal, published, PAIN_ATTENTION - 1)
    page = portal.get(response["Location"]).text
    assert "Well done!" in page
    assert "Stop the exercise that hurt" not in page


def test_pain_from_the_alert_threshold_answers_with_advice_not_praise(portal, published):
    response = log(portal, published, PAIN_ATTENTION)
    page = portal.get(response["Location"]).text
    assert "Well done!" not in page
    assert f"Your pain rating: {PAIN_ATTENTION} out of 10" in page
    assert "Stop the exercise that hurt" in page
    assert "Contact your specialist" in page
    assert "chest pain" in page
    assert "fainting" in page


def test_the_advice_never_shows_another_clients_session(
    portal, published, specialist_user, client_record
):
    other = ClientFactory(specialist=specialist_user, practice=client_record.practice)
    version = publish(other, specialist_user)
    theirs = SessionLog.objects.create(version=version, done_on=TODAY, pain=9)
    page = portal.get(reverse("portal:home") + f"?logged={theirs.pk}").text
    assert "Your pain rating" not in page


def test_high_pain_puts_the_client_on_the_attention_list(
    portal, published, as_user, specialist_user
):
    log(portal, published, PAIN_ATTENTION + 1)
    assert dashboard_attention(as_user(specialist_user)) == [published.pk]


# --- The specialist acknowledges ------------------------------------------------------------


def acknowledge(client, version, note):
    return client.post(
        reverse("programs:acknowledge_pain", args=[version.pk]), {f"ack{version.pk}-note": note}
    )


def test_an_acknowledged_pain_rating_leaves_the_attention_list(
    portal, published, as_user, specialist_user
):
    log(portal, published, 7)
    specialist = as_user(specialist_user)
    assert acknowledge(specialist, published, "Called Ana: rows paused").status_code == 302
    assert dashboard_attention(specialist) == []
    acknowledgement = PainAcknowledgement.objects.get()
    assert (acknowledgement.acknowledged_by, acknowledgement.note) == (
        specialist_user,
        "Called Ana: rows paused",
    )
    assert acknowledgement.history.count() == 1


def test_an_acknowledged_pain_rating_no_longer_flags_the_client_page(
    portal, published, as_user, specialist_user
):
    log(portal, published, 7)
    specialist = as_user(specialist_user)
    page = reverse("clients:detail", args=[published.program.client.pk])
    assert "pain rated 7/10" in specialist.get(page).text
    acknowledge(specialist, published, "Called Ana: rows paused")
    assert "pain rated 7/10" not in specialist.get(page).text


def test_a_new_high_rating_after_the_acknowledgement_returns_to_the_list(
    portal, published, as_user, specialist_user
):
    log(portal, published, 7)
    specialist = as_user(specialist_user)
    acknowledge(specialist, published, "Called Ana")
    portal.force_login(published.program.client.user)
    log(portal, published, 6)
    specialist.force_login(specialist_user)
    assert dashboard_attention(specialist) == [published.pk]


def test_an_acknowledgement_without_a_note_is_refused_at_its_field(
    portal, published, as_user, specialist_user
):
    log(portal, published, 7)
    specialist = as_user(specialist_user)
    response = acknowledge(specialist, published, "")
    assert response.status_code == 400
    assert "Write what you did about it" in response.text
    assert 'aria-invalid="true"' in response.text
    assert not PainAcknowledgement.objects.exists()


def test_a_colleague_cannot_acknowledge_another_specialists_client(
    portal, published, as_user, colleague
):
    log(portal, published, 7)
    assert acknowledge(as_user(colleague), published, "Seen").status_code == 404
    assert not PainAcknowledgement.objects.exists()


def test_erasing_the_client_erases_the_acknowledgement_and_its_history(
    portal, published, as_user, specialist_user, client_record
):
    log(portal, published, 7)
    acknowledge(as_user(specialist_user), published, "Called Ana")
    erase_client(client_record)
    assert not PainAcknowledgement.objects.exists()
    assert not PainAcknowledgement.history.exists()


# --- The whole plan as a page ---------------------------------------------------------------


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
