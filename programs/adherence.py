"""Adherence: sessions logged per week of a plan, and who needs attention.

The attention rule once: plain Python first (``needs_attention``), then its SQL twins for
the dashboard's list (``alerting_sessions``, ``quiet``), built from the same constants. A
property test checks that both agree on the same rows (tests/programs/test_attention.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

# A pain rating from 5 (of 10) after a session puts the client on the attention list and
# answers the client with advice instead of praise. A practice default: the reference
# sets no pain alert level; the dashboard says so.
PAIN_ATTENTION = 5
QUIET_WEEKS = 2  # two weeks with no session logged, too


@dataclass(frozen=True)
class Week:
    number: int
    starts_on: date
    planned: int
    done: int
    worst_pain: int | None


def week_starts(starts_on: date, *, on: date, last: int | None = None) -> list[date]:
    """The first day of each week of the plan up to ``on`` (only the ``last`` few if given)."""
    if on < starts_on:
        return []
    count = (on - starts_on).days // 7 + 1
    first = 0 if last is None else max(0, count - last)
    return [starts_on + timedelta(weeks=index) for index in range(first, count)]


def weeks(
    starts_on: date,
    sessions_per_week: int,
    daily: list[tuple[date, int, int | None]],
    *,
    on: date,
    last: int | None = None,
) -> list[Week]:
    """Each week from the plan's start to ``on`` (only the ``last`` few if given) with the
    sessions done and the worst pain, from daily tallies: (day, sessions, worst pain)."""
    result = []
    for start in week_starts(starts_on, on=on, last=last):
        end = start + timedelta(days=7)
        inside = [(done, pain) for day, done, pain in daily if start <= day < end]
        rated = [pain for _, pain in inside if pain is not None]
        result.append(
            Week(
                (start - starts_on).days // 7 + 1,
                start,
                sessions_per_week,
                sum(done for done, _ in inside),
                max(rated) if rated else None,
            )
        )
    return result


def attention_since(on: date) -> date:
    """The first day that counts on ``on``: pain from then on calls for attention, and a
    plan with no session after it is quiet."""
    return on - timedelta(weeks=QUIET_WEEKS)


def pain_alert(pain: int | None) -> bool:
    """A logged pain rating that calls for advice and the specialist's attention."""
    return pain is not None and pain >= PAIN_ATTENTION


def session_alert(pain: int | None, red_flag: bool) -> bool:
    """A logged session that calls for advice and the specialist's attention: a high pain
    rating, or a warning sign the client ticked."""
    return red_flag or pain_alert(pain)


RED_FLAG_REASON = "a warning sign noted after a session"


def needs_attention(
    published_on: date,
    logged: list[tuple[date, int | None]],
    *,
    on: date,
    flagged: Iterable[date] = (),
) -> list[str]:
    """Why the client needs attention now: a warning sign (sessions of the days
    ``flagged``) or pain of 5+ in the last two weeks, or no session for two weeks (counted
    from publication when none was ever logged)."""
    reasons = []
    recent = attention_since(on)
    if any(day >= recent for day in flagged):
        reasons.append(RED_FLAG_REASON)
    high = [pain for day, pain in logged if pain_alert(pain) and day >= recent]
    if high:
        reasons.append(f"pain rated {max(high)}/10 after a session")
    last = max((day for day, _ in logged), default=published_on)
    if (on - last).days >= QUIET_WEEKS * 7:
        reasons.append(f"no session logged for {(on - last).days // 7} weeks")
    return reasons


# --- The SQL twins -------------------------------------------------------------------------
# Django is imported inside these functions so that the rule above stays importable without
# the database layer (tests/assessments/test_pure.py).


def start_of_day_after(day: date):
    """The start of the next local day: a bound an index on a datetime can use (a ``__date``
    look-up computes the date of every row)."""
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def alerting():
    """``session_alert`` in SQL: the sessions with high pain or a warning sign."""
    from django.db.models import Q

    return Q(pain__gte=PAIN_ATTENTION) | Q(red_flag=True)


def alerting_sessions(*, on: date):
    """The sessions that give ``needs_attention`` its pain or warning-sign reason on ``on``,
    in SQL, less the acknowledged ones: they have had the specialist's answer."""
    from .models import SessionLog

    return SessionLog.objects.filter(
        alerting(), done_on__gte=attention_since(on), acknowledgement__isnull=True
    )


def quiet(versions, *, on: date):
    """The ``versions`` that ``needs_attention`` finds quiet on ``on``, in SQL: published
    QUIET_WEEKS or more before, with no session logged since."""
    from django.db.models import Exists, OuterRef

    from .models import SessionLog

    since = attention_since(on)
    return versions.filter(published_at__lt=start_of_day_after(since)).exclude(
        Exists(SessionLog.objects.filter(version=OuterRef("pk"), done_on__gt=since))
    )
