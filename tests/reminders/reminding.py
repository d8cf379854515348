"""Clients, plans and days for the reminder tests, and the daily run as the worker does it.

The days are fixed: MONDAY is the digest's day; every plan date is counted from it, so
the tests do not depend on the day they run.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core import mail
from django.utils import timezone
from django_ox.testing import run_tasks

from reminders import tasks
from reminders.models import ReminderSettings
from tests.factories import ClientFactory, ProgramVersionFactory, UserFactory

MONDAY = date(2026, 12, 7)
TUESDAY = MONDAY + timedelta(days=1)


def run_daily(on: date) -> None:
    """The day's run for ``on`` and every email task it starts, as the worker runs them."""
    tasks.daily.enqueue(on.isoformat())
    run_tasks()


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def plan(client, *, starts_on=MONDAY - timedelta(days=14), retest_on=None, published_on=None):
    """A published plan of the client; it runs until ``retest_on`` (4 weeks from MONDAY)."""
    return ProgramVersionFactory(
        published=True,
        program__client=client,
        starts_on=starts_on,
        retest_on=retest_on or MONDAY + timedelta(weeks=4),
        published_at=aware(published_on or starts_on),
    )


def reminded_client(*, days="0", wants=True, paused_until=None, account=True, **client):
    """A client with a portal account who chose reminders on ``days`` (Monday "0")."""
    record = ClientFactory(**client)
    if account:
        record.user = UserFactory()
        record.save()
    ReminderSettings.objects.create(
        client=record, wants_reminders=wants, exercise_days=days, paused_until=paused_until
    )
    return record


def sent(kind_in_subject: str) -> list:
    return [m for m in mail.outbox if kind_in_subject in m.subject]
