"""A client's whole record as one zip (GDPR Art. 15/20): every related row, found by
introspection, as JSON, the audit history, and stored files such as plan PDFs."""

from __future__ import annotations

import io
import json
import zipfile

from django.core import serializers
from django.db import models
from django.utils import timezone

from .models import Client
from .services import related_objects

ACCOUNT_FIELDS = ("username", "email", "first_name", "last_name", "date_joined", "last_login")


def export_client(client: Client) -> bytes:
    """The zip: records/<app.model>.json, history/<app.model>.json, files/..., manifest.json."""
    buffer = io.BytesIO()
    manifest = {"client": client.pk, "exported_at": timezone.now().isoformat(), "records": {}}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model, pks in sorted(related_objects(client).items(), key=lambda i: i[0]._meta.label):
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
            history = getattr(model, "history", None)
            if history is not None:
                past = history.model.objects.filter(**{f"{model._meta.pk.attname}__in": pks})
                archive.writestr(
                    f"history/{label}.json",
                    serializers.serialize(
                        "json",
                        past.order_by("history_date"),
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
