"""Audit history: one row per change through the UI, with who and when; bulk writes guarded."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import TechNeck
from clients.models import Client, Screening
from programs import services
from programs.models import ProgramExercise
from tests.factories import AssessmentFactory, ClientFactory, ConsentFactory

VALID_CLIENT = {
    "first_name": "Ana",
    "last_name": "Silva",
    "birth_date": "1990-05-17",
    "sex": "female",
}


def test_editing_a_client_writes_one_history_row_with_the_actor(
    as_user, specialist_user, client_record
):
    before = client_record.history.count()
    as_user(specialist_user).post(
        reverse("clients:edit", args=[client_record.pk]), {**VALID_CLIENT, "goals": "Run"}
    )
    rows = list(client_record.history.order_by("-history_date"))
    assert len(rows) == before + 1
    assert rows[0].history_user == specialist_user
    assert rows[0].history_type == "~"
    assert (timezone.now() - rows[0].history_date).total_seconds() < 60


def test_recording_a_screening_writes_one_history_row(as_user, specialist_user, client_record):
    as_user(specialist_user).post(
        reverse("clients:screening", args=[client_record.pk]),
        {f"q{n}": "False" for n in range(1, 8)} | {"screened_on": "2026-11-20"},
    )
    screening = Screening.objects.get()
    assert [(h.history_type, h.history_user) for h in screening.history.all()] == [
        ("+", specialist_user)
    ]


def test_saving_an_assessment_section_writes_one_history_row(
    as_user, specialist_user, client_record
):
    ConsentFactory(client=client_record)
    assessment = AssessmentFactory(client=client_record)
    as_user(specialist_user).post(
        reverse("assessments:section", args=[assessment.pk, "tech_neck"]),
        {"tech_neck-cva_deg": "44"},
    )
    assert TechNeck.history.filter(assessment_id=assessment.pk).count() == 1
    assert TechNeck.history.get().history_user == specialist_user


def test_changing_an_exercise_dose_writes_one_history_row(as_user, specialist_user, client_record):
    ConsentFactory(client=client_record)
    assessment = AssessmentFactory(client=client_record)
    version = services.generate_program(assessment, by=specialist_user)
    item = ProgramExercise.objects.filter(phase__version=version).first()
    before = item.history.count()
    as_user(specialist_user).post(
        reverse("programs:item_edit", args=[item.pk]),
        {"sets": "2", "reps": "8", "hold_s": "", "tempo": "", "notes": ""},
    )
    assert item.history.count() == before + 1
    assert item.history.latest().history_user == specialist_user


def test_the_owner_reads_the_client_history(as_user, owner, specialist_user, client_record):
    as_user(specialist_user).post(
        reverse("clients:edit", args=[client_record.pk]), {**VALID_CLIENT, "goals": "Hike"}
    )
    page = as_user(owner).get(reverse("clients:history", args=[client_record.pk]))
    assert page.status_code == 200
    assert specialist_user.display_name() in page.text
    assert "Hike" in page.text


def test_a_colleague_cannot_read_the_history(as_user, colleague, client_record):
    assert (
        as_user(colleague).get(reverse("clients:history", args=[client_record.pk])).status_code
        == 404
    )


def test_history_page_queries_do_not_grow_with_changes(
    as_user, specialist_user, client_record, django_assert_max_num_queries
):
    user = as_user(specialist_user)
    for goal in ("a", "b", "c", "d", "e"):
        user.post(reverse("clients:edit", args=[client_record.pk]), {**VALID_CLIENT, "goals": goal})
    with django_assert_max_num_queries(10):
        user.get(reverse("clients:history", args=[client_record.pk]))


def test_a_bulk_update_of_a_tracked_field_is_refused(db):
    ClientFactory()
    with pytest.raises(AssertionError, match="bypasses the audit history"):
        Client.objects.update(first_name="Changed")


def test_a_bulk_update_of_an_untracked_sort_key_is_allowed(db):
    client = ClientFactory()
    Client.objects.filter(pk=client.pk).update(last_activity_at=timezone.now())
