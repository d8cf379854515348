"""Adherence: sessions logged per week of a plan, and who needs attention (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PAIN_ATTENTION = 5  # a pain rating from 5 puts the client on the attention list
QUIET_WEEKS = 2  # two weeks with no session logged, too


@dataclass(frozen=True)
class Week:
    number: int
    starts_on: date
    planned: int
    done: int
    worst_pain: int | None


def weeks(
    starts_on: date, sessions_per_week: int, logged: list[tuple[date, int | None]], *, on: date
) -> list[Week]:
    """Each week from the plan's start to ``on`` with the sessions done and the worst pain."""
    if on < starts_on:
        return []
    count = (on - starts_on).days // 7 + 1
    result = []
    for index in range(count):
        start = starts_on + timedelta(weeks=index)
        end = start + timedelta(days=7)
        inside = [pain for day, pain in logged if start <= day < end]
        rated = [p for p in inside if p is not None]
        result.append(
            Week(index + 1, start, sessions_per_week, len(inside), max(rated) if rated else None)
        )
    return result


def needs_attention(
    published_on: date, logged: list[tuple[date, int | None]], *, on: date
) -> list[str]:
    """Why the client needs attention now: pain of 5+ in the last two weeks, or no session
    for two weeks (counted from publication when none was ever logged)."""
    reasons = []
    recent = on - timedelta(weeks=QUIET_WEEKS)
    high = [
        pain
        for day, pain in logged
        if pain is not None and pain >= PAIN_ATTENTION and day >= recent
    ]
    if high:
        reasons.append(f"pain rated {max(high)}/10 after a session")
    last = max((day for day, _ in logged), default=published_on)
    if (on - last).days >= QUIET_WEEKS * 7:
        reasons.append(f"no session logged for {(on - last).days // 7} weeks")
    return reasons
