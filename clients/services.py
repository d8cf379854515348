"""Writes on clients: add and edit, their dated records, archive, restore, reassign, erasure."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from core.models import UserSession
from core.ownership import client_history, client_rows, related_objects

from .models import Clearance, Client, Consent, Screening, User

NOT_A_MEMBER = "The new specialist must be a member of the client's practice."

DatedRecord = Screening | Clearance | Consent  # the dated records a client accumulates


def add_client(client: Client, *, by: User) -> Client:
    """Save a new client in the user's practice, with the user as its specialist."""
    client.practice = by.practice
    client.specialist = by
    client.save()
    return client


def save_client(client: Client) -> Client:
    """Save an edited client record; the edit counts as activity (the list's order)."""
    client.last_activity_at = timezone.now()
    client.save()
    return client


def add_record(record: DatedRecord, *, by: User) -> DatedRecord:
    """Save a screening, clearance or consent of its client, recorded by the user."""
    record.recorded_by = by
    record.save()
    record.client.touch()
    return record


def archive_client(client: Client) -> None:
    """Hide the client from the lists; nothing is deleted."""
    client.archived_at = timezone.now()
    client.save(update_fields=["archived_at"])


def restore_client(client: Client) -> None:
    """Bring an archived client back to the lists."""
    client.archived_at = None
    client.last_activity_at = timezone.now()
    client.save(update_fields=["archived_at", "last_activity_at"])


def reassign_client(client: Client, *, to: User) -> None:
    """Give the client to another member of the same practice."""
    if not User.objects.filter(pk=to.pk, membership__practice_id=client.practice_id).exists():
        raise ValidationError(NOT_A_MEMBER)
    client.specialist = to
    client.save(update_fields=["specialist"])


@transaction.atomic
def erase_client(client: Client) -> dict[str, int]:
    """Erase the client, every related row and their audit history; return counts by model.

    The history goes too (right to erasure), including that of records deleted earlier
    (clients/ownership.py), and so do the client's portal account, its sign-in records
    and sessions, and admin log entries naming any of the records. SQLite runs with
    secure_delete on, and the WAL is checkpointed afterwards so erased bytes leave the
    write-ahead log as well.
    """
    rows = client_rows(client, related_objects(client))
    history = client_history(rows)
    account = client.user
    _erase_admin_log(rows)
    _, counts = client.delete()
    counts = dict(counts)
    if account is not None:
        _erase_admin_log({User: {account.pk}})
        _erase_account(account)
    # After the delete, which adds a "deleted" history row for each record it removed.
    for past in history.values():
        counts[past.model._meta.label], _ = past.delete()
    transaction.on_commit(_checkpoint_sqlite)
    return counts


def _checkpoint_sqlite() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _erase_admin_log(rows: dict[type, set]) -> None:
    for model, pks in rows.items():
        if not pks:
            continue
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        ).delete()


def _erase_account(user: User) -> None:
    """The client's own sign-in: its sessions, login records (django-axes) and the user."""
    UserSession.objects.filter(user_id=user.pk).delete()
    names = _sign_in_names(user)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.annotate(typed=Lower(Trim("username"))).filter(typed__in=names).delete()
    user.delete()


def _sign_in_names(user: User) -> set[str]:
    """What the account may have been signed in as (username, email), lower-cased: the
    sign-in records keep the name as typed, in any letter case. A name another account
    also answers to is left out: those records are that account's as well."""
    names = {name.strip().lower() for name in (user.username, user.email) if name.strip()}
    others = User.objects.exclude(pk=user.pk)
    return {
        name
        for name in names
        if not others.filter(Q(username__iexact=name) | Q(email__iexact=name)).exists()
    }
