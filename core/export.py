"""A client's whole record as one zip (GDPR Art. 15/20): every related row, found by
introspection, as JSON, the audit history (with that of records deleted earlier), and
stored files: plan PDFs (binary columns) and the files of file fields, such as posture
photos, read through their storage."""

from __future__ import annotations

import io
import json
import posixpath
import zipfile

from django.core import serializers
from django.db import models
from django.utils import timezone

from clients.models import Client

from .ownership import client_history, client_rows, related_objects

ACCOUNT_FIELDS = ("username", "email", "first_name", "last_name", "date_joined", "last_login")


def export_client(client: Client) -> bytes:
    """The zip: records/<app.model>.json, history/<app.model>.json, files/..., manifest.json."""
    buffer = io.BytesIO()
    manifest = {
        "client": client.pk,
        "exported_at": timezone.now().isoformat(),
        "records": {},
        "missing_files": [],
    }
    live = related_objects(client)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model, pks in sorted(live.items(), key=lambda i: i[0]._meta.label):
            label = model._meta.label_lower
            binary = [f for f in model._meta.concrete_fields if isinstance(f, models.BinaryField)]
            plain = [
                f.name for f in model._meta.concrete_fields if f not in binary and not f.primary_key
            ]
            rows = model._default_manager.filter(pk__in=pks).order_by("pk")
            archive.writestr(
                f"records/{label}.json", serializers.serialize("json", rows, fields=plain, indent=2)
            )
            manifest["records"][label] = len(pks)
            for field in binary:
                for pk, content in rows.values_list("pk", field.attname):
                    if content:
                        archive.writestr(f"files/{label}-{pk}-{field.name}.pdf", bytes(content))
            for field in model._meta.concrete_fields:
                if isinstance(field, models.FileField):
                    _add_stored_files(archive, manifest, rows, field, label)
        # The history of every row of the client, those deleted earlier included.
        for model, past in client_history(client_rows(client, live)).items():
            archive.writestr(
                f"history/{model._meta.label_lower}.json",
                serializers.serialize(
                    "json",
                    past.order_by("history_date", "history_id"),
                    fields=[
                        f.name
                        for f in past.model._meta.concrete_fields
                        if not isinstance(f, models.BinaryField)
                    ],
                    indent=2,
                ),
            )
        if client.user_id:
            account = {name: getattr(client.user, name) for name in ACCOUNT_FIELDS}
            archive.writestr("account.json", json.dumps(account, default=str, indent=2))
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return buffer.getvalue()


def _add_stored_files(archive, manifest, rows, field, label: str) -> None:
    """Each file the rows' ``field`` names, as files/<app.model>-<pk>-<field><ext>; a file
    the storage no longer has is listed in the manifest instead of failing the export."""
    for pk, name in rows.values_list("pk", field.attname):
        if not name:
            continue
        entry = f"files/{label}-{pk}-{field.name}{posixpath.splitext(name)[1]}"
        try:
            with field.storage.open(name, "rb") as stored:
                # Photos are compressed already: stored as they are, not deflated again.
                archive.writestr(entry, stored.read(), compress_type=zipfile.ZIP_STORED)
        except FileNotFoundError:
            manifest["missing_files"].append(entry)
