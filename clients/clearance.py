"""The clearance rule, once: when a PAR-Q+ screening calls for a physician's clearance, and
what a recorded clearance covers. Plain Python first, then its SQL twin for the lists.

- A clearance covers what was known on the day it was given: it counts for a screening or
  an assessment dated on or before its own date (``covers``).
- The latest screening date decides: a "yes" on any screening of that day calls for a
  clearance until one covers that day (``clearance_due``).

The SQL twins (``covering``, ``clearance_due_exists``) must agree with the Python; a
property test compares them on generated histories (tests/clients/test_screening.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet

from . import parq

# Any "yes" to a PAR-Q+ general question, as a database expression (parq.needs_clearance).
PARQ_POSITIVE = reduce(or_, (Q(**{f"q{number}": True}) for number in parq.QUESTIONS))


def covers(cleared_on: date, found_on: date) -> bool:
    """A clearance given on ``cleared_on`` covers what was found on ``found_on``."""
    return cleared_on >= found_on


def latest_yes(screenings: Iterable[tuple[date, Iterable[int]]]) -> tuple[date | None, tuple]:
    """The latest screening date and the questions answered yes on any screening of that day."""
    screenings = [(day, tuple(yes)) for day, yes in screenings]
    if not screenings:
        return None, ()
    latest = max(day for day, _ in screenings)
    numbers = {number for day, yes in screenings if day == latest for number in yes}
    return latest, tuple(sorted(numbers))


def clearance_due(
    screenings: Iterable[tuple[date, Iterable[int]]], clearances: Iterable[date]
) -> bool:
    """A "yes" on the latest screening date, and no clearance covering that date."""
    latest, yes = latest_yes(screenings)
    return bool(yes) and not any(covers(day, latest) for day in clearances)


# --- The SQL twins -------------------------------------------------------------------------


def _model(name: str):
    # The models use these twins for their annotations, so the classes are looked up in
    # Django's app registry when a query is built rather than imported (no import cycle).
    return apps.get_model("clients", name)


def covering(client, found_on) -> QuerySet:
    """The clearances of ``client`` that cover ``found_on`` (values or OuterRef expressions)."""
    return _model("Clearance").objects.filter(client=client, cleared_on__gte=found_on)


def clearance_due_exists(client=None) -> Exists:
    """``clearance_due`` for the client ``client`` (default: the outer query's row), in SQL."""
    screenings = _model("Screening").objects
    client = OuterRef("pk") if client is None else client
    on_latest_day = screenings.filter(PARQ_POSITIVE, client=client).exclude(
        Exists(
            screenings.filter(client=OuterRef("client"), screened_on__gt=OuterRef("screened_on"))
        )
    )
    return Exists(
        on_latest_day.exclude(Exists(covering(OuterRef("client"), OuterRef("screened_on"))))
    )
