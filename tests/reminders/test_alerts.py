"""A pain rating at the alert level emails the client's specialist at once, once and only
once, with no health detail; a mail server that fails is tried again (issue 19). The worker
runs in-process: django-ox's own backend and its run_tasks()."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django_ox.testing import run_tasks

from programs.adherence import PAIN_ATTENTION
from programs.models import SessionLog
from reminders import tasks
from reminders.models import Delivery
from reminders.outbox import MAIL_ATTEMPTS
from tests.factories import PHI_SENTINEL
from tests.reminders.flaky_mail import FlakyBackend
from tests.steps import log

WORKER = {
    "default": {
        "BACKEND": "django_ox.backend.OxBackend",
        # Retries after a few milliseconds here; minutes apart in production.
        "OPTIONS": {"MAX_ATTEMPTS": MAIL_ATTEMPTS, "BACKOFF_INITIAL": 0.01, "BACKOFF_MAX": 0.01},
    }
}


@pytest.fixture
def worker(settings):
    settings.TASKS = WORKER
    FlakyBackend.failures, FlakyBackend.attempts = 0, 0
    settings.MAILERS = {"default": {"BACKEND": "tests.reminders.flaky_mail.FlakyBackend"}}


def run_worker(rounds: int = 1) -> None:
    """Run what is due, as the worker does; again after each retry's short wait."""
    for _ in range(rounds):
        run_tasks()
        time.sleep(0.05)


def test_a_painful_session_emails_the_specialist_once(worker, portal, published):
    log(portal, published, PAIN_ATTENTION)

    run_worker()

    [email] = mail.outbox
    assert email.to == [published.program.client.specialist.email]
    assert "needs your attention" in email.subject
    assert f"/clients/{published.program.client.pk}/" in email.body


def test_the_alert_is_not_sent_again_when_its_task_runs_twice(worker, portal, published):
    log(portal, published, PAIN_ATTENTION + 2)
    session = SessionLog.objects.get()
    tasks.alert_specialist.enqueue(session.pk)  # a second run: a duplicate delivery

    run_worker(2)

    assert len(mail.outbox) == 1
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_a_session_below_the_alert_level_sends_nothing(worker, portal, published):
    log(portal, published, PAIN_ATTENTION - 1)
    run_worker()
    assert mail.outbox == []


def test_a_failing_mail_server_is_tried_again_until_it_answers(worker, portal, published):
    FlakyBackend.failures = 2
    log(portal, published, PAIN_ATTENTION)

    run_worker(MAIL_ATTEMPTS)

    assert FlakyBackend.attempts == 3
    assert len(mail.outbox) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 3)


def test_after_every_attempt_fails_the_delivery_shows_failed_for_staff(worker, portal, published):
    FlakyBackend.failures = MAIL_ATTEMPTS + 5
    log(portal, published, PAIN_ATTENTION)

    run_worker(MAIL_ATTEMPTS + 2)

    assert mail.outbox == []
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (Delivery.State.FAILED, MAIL_ATTEMPTS)
    assert delivery.last_error == "SMTPServerDisconnected"


def test_the_alert_carries_no_health_detail(worker, portal, published):
    log(portal, published, 9, note=f"Sharp knee pain on the squat {PHI_SENTINEL}")

    run_worker()

    [email] = mail.outbox
    [(html, _)] = email.alternatives
    for text in (email.subject, email.body, html):
        assert PHI_SENTINEL not in text
        assert "knee" not in text.lower()
        assert "pain" not in text.lower()


def test_a_warning_sign_without_pain_emails_the_specialist_once(worker, portal, published):
    log(portal, published, None, red_flag=True)

    run_worker(2)

    [email] = mail.outbox
    assert email.to == [published.program.client.specialist.email]
    assert SessionLog.objects.get().red_flag
