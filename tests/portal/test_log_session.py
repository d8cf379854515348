"""Logging a session in the portal (portal:log_session) and the advice that answers it."""

from django.urls import reverse
from django.utils import timezone

from programs.adherence import PAIN_ATTENTION
from programs.models import SessionLog
from tests.factories import (
    ClientFactory,
    SessionLogFactory,
    published_program,
)
from tests.steps import log

TODAY = timezone.localdate()


def test_client_logs_a_session_with_a_pain_rating(as_user, client_account, published):
    response = as_user(client_account).post(
        reverse("portal:log_session", args=[published.pk]),
        {
            f"v{published.pk}-done_on": TODAY.isoformat(),
            f"v{published.pk}-pain": "6",
            f"v{published.pk}-note": "Knee ached on the lunges",
        },
    )
    assert response.status_code == 302
    session = SessionLog.objects.get()
    assert (session.version, session.pain, session.note) == (
        published,
        6,
        "Knee ached on the lunges",
    )


def test_a_pain_rating_above_10_is_refused_at_its_field(as_user, client_account, published):
    response = as_user(client_account).post(
        reverse("portal:log_session", args=[published.pk]),
        {f"v{published.pk}-done_on": TODAY.isoformat(), f"v{published.pk}-pain": "11"},
    )
    assert response.status_code == 400
    assert "from 0 to 10" in response.text
    assert not SessionLog.objects.exists()


def test_a_client_cannot_log_a_session_on_another_clients_plan(
    as_user, client_account, specialist_user
):
    other = published_program(ClientFactory(specialist=specialist_user), specialist_user)
    response = as_user(client_account).post(
        reverse("portal:log_session", args=[other.pk]),
        {f"v{other.pk}-done_on": TODAY.isoformat()},
    )
    assert response.status_code == 404
    assert not SessionLog.objects.exists()


# --- The pain advice ------------------------------------------------------------------------------


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
    version = published_program(other, specialist_user)
    theirs = SessionLogFactory(version=version, done_on=TODAY, pain=9)
    page = portal.get(reverse("portal:home") + f"?logged={theirs.pk}").text
    assert "Your pain rating" not in page
