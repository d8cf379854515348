"""Optimistic locking: a save carries the version it was loaded at; a stale one is a conflict.

(``select_for_update`` does nothing on SQLite, and nobody should hold a row lock while a
person types.) Works the same on PostgreSQL: the conditional UPDATE re-checks the version.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F

CONFLICT = (
    "Someone else saved a change while you were editing. Their version is shown below with "
    "yours: check both, then save again to keep yours."
)


def read_version(data, name: str = "lock_version") -> int | None:
    """The version a form was loaded at, or None when the form did not say."""
    try:
        return int(data.get(name, ""))
    except (TypeError, ValueError):
        return None


def claim(model, pk: int, expected: int | None) -> bool:
    """Move the row's version on if it still is ``expected``; False means a conflict."""
    rows = model.objects.filter(pk=pk)
    if expected is not None:
        rows = rows.filter(lock_version=expected)
    return rows.update(lock_version=F("lock_version") + 1) == 1


class Conflict(Exception):
    """The row moved on since the page was loaded; nothing was changed."""

    def __init__(self, message: str = CONFLICT):
        super().__init__(message)
        self.message = message


@contextmanager
def claimed(model, pk: int, expected: int | None) -> Iterator[None]:
    """Claim the row at ``expected`` and run the block in the same transaction.

    A stale version raises ``Conflict`` before the block runs. An exception from the block
    (a service's ``ValidationError`` included) undoes the claim and the block's writes and
    goes on to the caller, so a view needs no rollback of its own.
    """
    with transaction.atomic():
        if not claim(model, pk, expected):
            raise Conflict
        yield
