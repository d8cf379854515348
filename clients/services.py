"""Multi-step writes on clients: archive, restore, reassign and erasure."""

from __future__ import annotations

from collections import defaultdict

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, router, transaction
from django.utils import timezone

from .models import Client, User


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
        raise ValueError("The new specialist must be a member of the client's practice.")
    client.specialist = to
    client.save(update_fields=["specialist"])


def related_objects(client: Client) -> dict[type, set]:
    """Every row that deleting the client removes, by model (found by introspection)."""
    using = router.db_for_write(Client)
    collector = NestedObjects(using=using)
    collector.collect([client])
    rows: dict[type, set] = defaultdict(set)
    for model, instances in collector.data.items():
        rows[model].update(instance.pk for instance in instances)
    return rows


@transaction.atomic
def erase_client(client: Client) -> dict[str, int]:
    """Erase the client, every related row and their audit history; return counts by model.

    History rows are removed too (right to erasure), and so are the client's portal
    account, its sign-in records and sessions, and admin log entries naming the records.
    SQLite runs with secure_delete on, and the WAL is checkpointed afterwards so erased
    bytes leave the write-ahead log as well.
    """
    rows = related_objects(client)
    account = client.user
    _erase_admin_log(rows)
    client.delete()
    if account is not None:
        _erase_account(account)
    counts = {model._meta.label: len(pks) for model, pks in rows.items()}
    for model, pks in rows.items():
        if hasattr(model, "history"):
            history_model = model.history.model
            pk_name = model._meta.pk.attname
            deleted, _ = history_model.objects.filter(**{f"{pk_name}__in": pks}).delete()
            counts[history_model._meta.label] = deleted
    transaction.on_commit(_checkpoint_sqlite)
    return counts


def _checkpoint_sqlite() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _erase_admin_log(rows: dict[type, set]) -> None:
    for model, pks in rows.items():
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        ).delete()


def _erase_account(user: User) -> None:
    """The client's own sign-in: its sessions, login records (django-axes) and the user."""
    for session in Session.objects.iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
    AccessAttempt.objects.filter(username=user.username).delete()
    AccessLog.objects.filter(username=user.username).delete()
    AccessFailureLog.objects.filter(username=user.username).delete()
    user.delete()
