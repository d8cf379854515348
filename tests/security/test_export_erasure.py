"""Export of a client's whole record, and erasure that leaves no trace."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from assessments.models import PainReport, TechNeck
from clients.services import erase_client, related_objects
from core.ownership import (
    SHARED_HISTORY,
    history_models,
    reachable_history_models,
    unreachable_history_models,
)
from programs import services
from programs.models import Phase, ProgramExercise, ProgramVersion
from programs.sharing import frozen_pdf
from tests.factories import (
    AssessmentFactory,
    ClientFactory,
    ConsentFactory,
    ScreeningFactory,
    UserFactory,
    published_program,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def full_record(client_record, specialist_user):
    ScreeningFactory(client=client_record, q2=True, screened_on=timezone.localdate())
    version = published_program(client_record, specialist_user, cleared=True)
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
    assert archive.read(pdfs[0]) == frozen_pdf(version)
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


# --- History of rows deleted before the erasure (issue 12, finding 2) -----------------------


@pytest.fixture
def deleted_rows(client_record, specialist_user):
    """A client whose pain report, one program exercise and first draft were deleted:
    only their audit history is left of them."""
    ConsentFactory(client=client_record)
    assessment = AssessmentFactory(client=client_record)
    TechNeck.objects.create(assessment=assessment, cva_deg=44)
    pain = PainReport.objects.create(assessment=assessment, region="knee", score=6, during="Squat")
    pain_pk = pain.pk
    LogEntry.objects.log_actions(
        specialist_user.pk, [pain], CHANGE, change_message="Score corrected", single_object=True
    )
    pain.delete()
    first_draft = services.generate_program(assessment, by=specialist_user)
    first_phases = list(first_draft.phases.values_list("pk", flat=True))
    current = services.redraft(first_draft, by=specialist_user)  # replaces the first draft
    item = ProgramExercise.objects.filter(phase__version=current).first()
    item_pk = item.pk
    services.remove_exercise(item)
    return SimpleNamespace(
        client=client_record,
        pain=pain_pk,
        item=item_pk,
        first_draft=first_draft.pk,
        first_phases=first_phases,
    )


def test_erasure_removes_the_history_of_a_deleted_pain_report(deleted_rows):
    assert PainReport.history.filter(id=deleted_rows.pain).exists()
    erase_client(deleted_rows.client)
    assert not PainReport.history.filter(id=deleted_rows.pain).exists()


def test_erasure_removes_the_history_of_a_removed_program_exercise(deleted_rows):
    assert ProgramExercise.history.filter(id=deleted_rows.item).exists()
    erase_client(deleted_rows.client)
    assert not ProgramExercise.history.filter(id=deleted_rows.item).exists()


def test_erasure_removes_the_history_of_a_replaced_draft_with_its_phases_and_exercises(
    deleted_rows,
):
    assert ProgramVersion.history.filter(id=deleted_rows.first_draft).exists()
    erase_client(deleted_rows.client)
    assert not ProgramVersion.history.filter(id=deleted_rows.first_draft).exists()
    assert not Phase.history.filter(version_id=deleted_rows.first_draft).exists()
    assert not ProgramExercise.history.filter(phase_id__in=deleted_rows.first_phases).exists()


def test_erasure_removes_admin_log_entries_about_a_deleted_record(deleted_rows):
    about_pain = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PainReport),
        object_id=str(deleted_rows.pain),
    )
    assert about_pain.exists()
    erase_client(deleted_rows.client)
    assert not about_pain.exists()


def history_counts() -> dict[str, int]:
    return {model._meta.label: history.objects.count() for model, history in history_models()}


def test_erasure_takes_every_history_row_of_the_client_and_no_other(specialist_user, deleted_rows):
    with_the_client = history_counts()
    other = ClientFactory(specialist=specialist_user)
    ConsentFactory(client=other)
    other_assessment = AssessmentFactory(client=other)
    PainReport.objects.create(assessment=other_assessment, region="hip", score=2).delete()
    services.redraft(
        services.generate_program(other_assessment, by=specialist_user), by=specialist_user
    )
    with_both = history_counts()
    erase_client(deleted_rows.client)
    # What is left is the other client's history (and the shared exercise library's).
    assert history_counts() == {
        label: count if label in SHARED_HISTORY else count - with_the_client[label]
        for label, count in with_both.items()
    }
    assert history_counts()["assessments.PainReport"] == 2  # the other's: created, deleted


def test_every_model_with_history_is_reachable_from_the_client():
    """A new model with audit history must lead to the client through its history's
    foreign keys, or be declared shared library data, or erasure would miss its rows."""
    assert unreachable_history_models() == set()


def test_models_declared_shared_have_history_and_lead_to_no_client():
    assert {model._meta.label for model, _ in history_models()} >= SHARED_HISTORY
    assert SHARED_HISTORY.isdisjoint(reachable_history_models())


def test_export_holds_the_history_of_deleted_records(as_user, specialist_user, deleted_rows):
    response = as_user(specialist_user).get(
        reverse("clients:export", args=[deleted_rows.client.pk])
    )
    archive = zip_of(response)

    def historical_ids(label):
        return {row["fields"]["id"] for row in json.loads(archive.read(f"history/{label}.json"))}

    assert deleted_rows.pain in historical_ids("assessments.painreport")
    assert deleted_rows.item in historical_ids("programs.programexercise")
    assert deleted_rows.first_draft in historical_ids("programs.programversion")
    assert set(deleted_rows.first_phases) <= historical_ids("programs.phase")


def test_export_leaves_out_another_clients_deleted_records(as_user, specialist_user, deleted_rows):
    other_assessment = AssessmentFactory(client=ClientFactory(specialist=specialist_user))
    other_pain = PainReport.objects.create(assessment=other_assessment, region="hip", score=2)
    other_pk = other_pain.pk
    other_pain.delete()
    archive = zip_of(
        as_user(specialist_user).get(reverse("clients:export", args=[deleted_rows.client.pk]))
    )
    rows = json.loads(archive.read("history/assessments.painreport.json"))
    assert other_pk not in {row["fields"]["id"] for row in rows}


@pytest.fixture
def portal_account(client_record):
    account = UserFactory(username="ana.silva@example.org", email="ana.silva@example.org")
    client_record.user = account
    client_record.save()
    return account


def test_erasure_clears_sign_in_records_whatever_the_letter_case(
    client, client_record, portal_account
):
    for typed in ("Ana.Silva@Example.org", "ANA.SILVA@EXAMPLE.ORG"):
        client.post(reverse("login"), {"username": typed, "password": "wrong"})
    # A record kept as typed, as versions before the lower-cased count stored them.
    AccessAttempt.objects.create(
        username="Ana.Silva@EXAMPLE.org", ip_address="203.0.113.9", failures_since_start=1
    )
    assert AccessAttempt.objects.filter(username__iexact=portal_account.email).count() == 2
    erase_client(client_record)
    assert not AccessAttempt.objects.filter(username__iexact=portal_account.email).exists()


def test_erasure_keeps_other_accounts_sign_in_records(
    client, client_record, portal_account, specialist_user
):
    client.post(reverse("login"), {"username": specialist_user.username, "password": "wrong"})
    erase_client(client_record)
    assert AccessAttempt.objects.filter(username=specialist_user.username).exists()


def test_erasure_removes_admin_log_entries_about_the_portal_account(
    client_record, portal_account, staff
):
    LogEntry.objects.log_actions(
        staff.pk, [portal_account], CHANGE, change_message="Reset", single_object=True
    )
    about_account = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(portal_account),
        object_id=str(portal_account.pk),
    )
    erase_client(client_record)
    assert not about_account.exists()
