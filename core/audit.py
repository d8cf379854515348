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


def _changes(row, before) -> tuple[str, ...]:
    """What changed from ``before`` to ``row`` (django-simple-history's own diff), in the
    order of the model's fields."""
    delta = row.diff_against(before, excluded_fields=SKIP)
    changed = {change.field: (change.old, change.new) for change in delta.changes}
    changed.update(_app_written_changes(row, before))
    return tuple(
        f"{_label(row, name)}: {_short(changed[name][0])} → {_short(changed[name][1])}"
        for name in (f.name for f in row._meta.fields)
        if name in changed
    )


def _app_written_changes(row, before) -> dict[str, tuple]:
    # diff_against reads only the fields a form may edit (Django's model_to_dict); the few
    # the app writes itself, such as a published plan's PDF checksum, are compared here.
    return {
        f.name: (getattr(before, f.attname), getattr(row, f.attname))
        for f in row._meta.fields
        if not f.editable
        and f.name not in SKIP
        and getattr(before, f.attname) != getattr(row, f.attname)
    }


def _label(row, name: str) -> str:
    verbose_name = row._meta.get_field(name).verbose_name
    return verbose_name if isinstance(verbose_name, str) else name


def audit_rows(groups: list[tuple[str, list]]) -> list[AuditRow]:
    """Rows for each (record label, historical rows of one model) group, newest first.

    Diffs are computed in memory against the previous row of the same object, so a page
    costs one query per model, whatever the number of changes.
    """
    out: list[AuditRow] = []
    for label, rows in groups:
        previous: dict = {}
        for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
            before = previous.get(row.id)
            changes = ()
            if before is not None and row.history_type == "~":
                changes = _changes(row, before)
            previous[row.id] = row
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
