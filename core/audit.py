"""Audit history rows made readable: who changed what, when (django-simple-history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

KIND = {"+": "created", "~": "changed", "-": "deleted"}
SKIP = {
    "id",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
    "created_at",
    "updated_at",
}


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    record: str
    kind: str
    changes: tuple[str, ...]  # "field: old → new"


def _fields(row) -> dict:
    return {
        f.verbose_name if isinstance(f.verbose_name, str) else f.name: getattr(row, f.attname)
        for f in row._meta.fields
        if f.attname not in SKIP and f.name not in SKIP
    }


def audit_rows(groups: list[tuple[str, list]]) -> list[AuditRow]:
    """Rows for each (record label, historical rows of one model) group, newest first.

    Diffs are computed in memory against the previous row of the same object, so a page
    costs one query per model, whatever the number of changes.
    """
    out: list[AuditRow] = []
    for label, rows in groups:
        previous: dict = {}
        for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
            values = _fields(row)
            before = previous.get(row.id)
            changes = ()
            if before is not None and row.history_type == "~":
                changes = tuple(
                    f"{name}: {_short(before.get(name))} → {_short(value)}"
                    for name, value in values.items()
                    if before.get(name) != value
                )
            previous[row.id] = values
            actor = row.history_user.display_name() if row.history_user_id else "system"
            out.append(
                AuditRow(
                    row.history_date, actor, f"{label} #{row.id}", KIND[row.history_type], changes
                )
            )
    return sorted(out, key=lambda r: r.at, reverse=True)


def _short(value) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 60 else text[:57] + "…"
