"""The background work of alerts and reminders (django.tasks, run by django-ox's worker)."""

from __future__ import annotations

from datetime import date

from django.tasks import task
from django.utils import timezone

from clients.models import Client, User
from programs.models import ProgramVersion, SessionLog

from . import messages, outbox, schedule
from .models import ReminderSettings


def _last(context) -> bool:
    """Whether this run of a sending task is its last attempt (then a failure is final)."""
    return context.attempt >= outbox.MAIL_ATTEMPTS


@task(takes_context=True, max_attempts=outbox.MAIL_ATTEMPTS)
def alert_specialist(context, session_id: int) -> bool:
    """Email the client's specialist about session ``session_id`` (high pain or a warning sign),
    once; True when it was sent by this run."""
    session = (
        SessionLog.objects.select_related(
            "version__program__client__practice", "version__program__client__specialist"
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        return False  # erased with the client since
    client = session.version.program.client
    specialist = client.specialist
    if not specialist.email:
        return False
    return outbox.send_once(
        f"attention-alert:session:{session_id}",
        lambda: messages.attention_alert(specialist, client),
        kind="attention_alert",
        to_user=specialist,
        client=client,
        last_attempt=_last(context),
    )


@task
def daily(on: str | None = None) -> int:
    """Start the day's reminders (the worker's scheduler runs this each morning; so does
    `manage.py send_reminders`): one task per email due today, or on the day ``on``
    (YYYY-MM-DD) when given. The number started."""
    due = schedule.due_on(date.fromisoformat(on) if on else timezone.localdate())
    for item in due:
        SENDERS[item.kind].enqueue(*item.args)
    return len(due)


def _reminded_client(client_id: int, on: date) -> Client | None:
    """The client, when they still want reminders on ``on`` (they may have turned them off
    or paused them since the day's run started this task); else None."""
    client = (
        Client.objects.select_related("practice", "specialist", "user", "reminder_settings")
        .filter(pk=client_id, archived_at__isnull=True)
        .first()
    )
    if client is None or not messages.client_address(client):
        return None
    try:
        wanted = client.reminder_settings
    except ReminderSettings.DoesNotExist:
        return None
    return client if wanted.wants_reminders and not wanted.paused_on(on) else None


@task(takes_context=True, max_attempts=outbox.MAIL_ATTEMPTS)
def exercise_reminder(context, client_id: int, on: str) -> bool:
    """Remind the client that ``on`` is one of their exercise days, once that day."""
    client = _reminded_client(client_id, date.fromisoformat(on))
    if client is None:
        return False
    return outbox.send_once(
        f"exercise:{client_id}:{on}",
        lambda: messages.exercise_reminder(client),
        kind="exercise_reminder",
        to_user=client.user,
        client=client,
        last_attempt=_last(context),
    )


@task(takes_context=True, max_attempts=outbox.MAIL_ATTEMPTS)
def retest_invitation(context, version_id: int, on: str) -> bool:
    """Invite the client to book the re-test of plan ``version_id`` (found due on ``on``),
    once per plan."""
    plans = ProgramVersion.objects.filter(pk=version_id)
    client_id = plans.values_list("program__client_id", flat=True).first()
    if client_id is None:
        return False  # erased with the client since
    client = _reminded_client(client_id, date.fromisoformat(on))
    if client is None:
        return False
    return outbox.send_once(
        f"retest:{version_id}",
        lambda: messages.retest_invitation(client),
        kind="retest_invitation",
        to_user=client.user,
        client=client,
        last_attempt=_last(context),
    )


@task(takes_context=True, max_attempts=outbox.MAIL_ATTEMPTS)
def specialist_digest(context, user_id: int, week: str, due: int, quiet: int) -> bool:
    """The specialist's Monday digest of ISO week ``week`` (e.g. 2026-W49), once a week:
    ``due`` clients due for a re-test and ``quiet`` clients quiet for two weeks."""
    specialist = (
        User.objects.select_related("membership__practice")
        .filter(pk=user_id, is_active=True, membership__deactivated_at__isnull=True)
        .first()
    )
    if specialist is None or not specialist.email:
        return False
    practice = specialist.membership.practice.name
    return outbox.send_once(
        f"digest:{user_id}:{week}",
        lambda: messages.specialist_digest(specialist, practice, due=due, quiet=quiet),
        kind="specialist_digest",
        to_user=specialist,
        last_attempt=_last(context),
    )


# The task that sends each kind of reminder schedule.due_on returns.
SENDERS: dict = {
    "exercise_reminder": exercise_reminder,
    "retest_invitation": retest_invitation,
    "specialist_digest": specialist_digest,
}
