"""Export of a client's whole record, and erasure that leaves no trace."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from assessments.models import TechNeck
from clients.services import related_objects
from programs import services
from tests.factories import (
    AssessmentFactory,
    ClearanceFactory,
    ConsentFactory,
    ScreeningFactory,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def full_record(client_record, specialist_user):
    ConsentFactory(client=client_record)
    ScreeningFactory(client=client_record, q2=True, screened_on=timezone.localdate())
    ClearanceFactory(client=client_record, cleared_on=timezone.localdate())
    assessment = AssessmentFactory(client=client_record, assessed_on=timezone.localdate())
    TechNeck.objects.create(assessment=assessment, cva_deg=44)
    version = services.publish(
        services.generate_program(assessment, by=specialist_user), by=specialist_user
    )
    return client_record, version


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_export_holds_every_related_model_found_by_introspection(
    as_user, specialist_user, full_record
):
    client, _ = full_record
    response = as_user(specialist_user).get(reverse("clients:export", args=[client.pk]))
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    archive = zip_of(response)
    expected = {f"records/{m._meta.label_lower}.json" for m in related_objects(client)}
    assert expected <= set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["records"]["clients.client"] == 1
    records = json.loads(archive.read("records/clients.client.json"))
    assert records[0]["fields"]["last_name"] == "Silva"


def test_export_includes_the_plan_pdfs_and_the_history(as_user, specialist_user, full_record):
    client, version = full_record
    archive = zip_of(as_user(specialist_user).get(reverse("clients:export", args=[client.pk])))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 1
    assert archive.read(pdfs[0]) == bytes(version.pdf)
    assert "history/clients.client.json" in archive.namelist()


def test_export_never_contains_the_password_hash(as_user, specialist_user, full_record):
    client, _ = full_record
    archive = zip_of(as_user(specialist_user).get(reverse("clients:export", args=[client.pk])))
    assert all(
        b"pbkdf2" not in archive.read(n) and b"md5$" not in archive.read(n)
        for n in archive.namelist()
    )


def test_a_colleague_cannot_export(as_user, colleague, full_record):
    client, _ = full_record
    assert as_user(colleague).get(reverse("clients:export", args=[client.pk])).status_code == 404


def test_erasure_leaves_no_trace_in_the_database_files(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the file-level check is for SQLite; PostgreSQL erasure is row-level")
    sentinel = "Zqxwvbnmlk"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'erase.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests/security/scripts/erase_sentinel.py"), sentinel],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["before"] > 0  # the check can see the sentinel when it is there
    assert counts["after"] == 0
