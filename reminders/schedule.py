"""Who is due for which reminder on a day: plain reads, no sending (reminders/tasks.py
starts one task per item).

A handful of queries whatever the number of clients (tested): one per kind of reminder,
two for the specialists' digest. The rules are the dashboard's own (programs.selectors:
the current plan, a re-test due; programs.adherence: a quiet plan), not written again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q

from clients.models import Membership
from programs import adherence
from programs.models import ProgramVersion
from programs.selectors import current_of, retest_due

from .models import ReminderSettings

# The specialists' digest goes out on Mondays (a practice default): the week's re-tests
# and the quiet clients, once a week, at the start of it.
DIGEST_WEEKDAY = 0


@dataclass(frozen=True)
class Due:
    kind: str  # a key of tasks.SENDERS
    args: tuple


def due_on(on: date) -> list[Due]:
    """Every reminder due on ``on``."""
    return [*exercise_reminders(on), *retest_invitations(on), *specialist_digests(on)]


def _current_plans():
    """The plan each client follows now: each program's newest published version."""
    return current_of(ProgramVersion.objects.filter(status=ProgramVersion.Status.PUBLISHED))


def _reminded_clients(on: date):
    """Settings of clients who asked for reminders, can read them in the portal (an active
    portal account) and have not paused them on ``on``."""
    return ReminderSettings.objects.filter(
        Q(paused_until__isnull=True) | Q(paused_until__lt=on),
        wants_reminders=True,
        client__archived_at__isnull=True,
        client__user__isnull=False,
        client__user__is_active=True,
    )


def exercise_reminders(on: date) -> list[Due]:
    """One reminder per client whose exercise day ``on`` is, while their plan runs."""
    running = _current_plans().filter(
        program__client=OuterRef("client"), starts_on__lte=on, retest_on__gte=on
    )
    client_ids = (
        _reminded_clients(on)
        .filter(exercise_days__contains=str(on.weekday()))
        .filter(Exists(running))
        .order_by("client_id")
        .values_list("client_id", flat=True)
    )
    return [Due("exercise_reminder", (pk, on.isoformat())) for pk in client_ids]


def retest_invitations(on: date) -> list[Due]:
    """One invitation per plan whose re-test is due (the dashboard's rule: within a week,
    or past with no assessment since), to a client who wants reminders. Sent once per plan
    (its key), so the daily run may find the same plan again and again."""
    wanting = _reminded_clients(on).filter(client=OuterRef("program__client"))
    versions = (
        retest_due(_current_plans(), today=on)
        .filter(Exists(wanting))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [Due("retest_invitation", (pk, on.isoformat())) for pk in versions]


def specialist_digests(on: date) -> list[Due]:
    """On Mondays, one digest per active practice member with anything to say: how many of
    their own clients are due for a re-test and how many have been quiet for QUIET_WEEKS.
    Counts only: the names are on the dashboard, after signing in."""
    if on.weekday() != DIGEST_WEEKDAY:
        return []
    current = _current_plans()
    due = _clients_by_specialist(retest_due(current, today=on))
    quiet = _clients_by_specialist(adherence.quiet(current, on=on))
    active = set(
        Membership.objects.filter(
            deactivated_at__isnull=True,
            user__is_active=True,
            user_id__in=set(due) | set(quiet),
        ).values_list("user_id", flat=True)
    )
    week = "{}-W{:02d}".format(*on.isocalendar()[:2])
    return [
        Due("specialist_digest", (user_id, week, due[user_id], quiet[user_id]))
        for user_id in sorted(active)
    ]


def _clients_by_specialist(versions) -> Counter:
    """How many clients each specialist has among ``versions`` (a client with two programs
    counts once)."""
    pairs = versions.values_list("program__client__specialist_id", "program__client_id")
    return Counter(specialist for specialist, _ in set(pairs))
