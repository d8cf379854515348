"""/api/v1/programs/, /versions/, /items/: suggest, read, edit a draft, publish through the
clearance gate, the PDFs and the adherence log, by the pages' services."""

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Download, ProgramExercise, ProgramVersion
from programs.services import PUBLISH_NEEDS_CLEARANCE
from programs.sharing import frozen_pdf
from tests.factories import (
    ClearanceFactory,
    SessionLogFactory,
    TechNeckFactory,
    draft_program,
)
from tests.programs import drafts

JSON = "application/json"


@pytest.fixture
def draft(client_record, specialist_user):
    """The engine's draft for a forward-head assessment (no referral)."""
    return draft_program(client_record, specialist_user)


def first_item(version: ProgramVersion) -> ProgramExercise:
    return ProgramExercise.objects.filter(phase__version=version).order_by("phase", "position")[0]


def test_a_program_is_suggested_from_an_assessment(api, assessment_of_today, specialist_user):
    TechNeckFactory(assessment=assessment_of_today, cva_deg=44)
    response = api.post(reverse("api:assessment-suggest", args=[assessment_of_today.pk]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["phases"]
    assert all("items" in phase for phase in body["phases"])
    version = ProgramVersion.objects.get(pk=body["id"])
    assert version.created_by == specialist_user


def test_the_programs_list_holds_the_clients_programs_with_their_versions(api, draft):
    body = api.get(reverse("api:program-list"), {"client": draft.program.client_id}).json()
    assert [row["id"] for row in body["results"]] == [draft.program_id]
    assert body["results"][0]["versions"][0]["status"] == "draft"


def test_a_dose_is_edited_through_the_pages_form(api, draft, specialist_user):
    item = first_item(draft)
    response = api.patch(
        reverse("api:item-detail", args=[item.pk]),
        {"sets": 3, "reps": 12, "notes": "slowly", "lock_version": draft.lock_version},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert (item.sets, item.reps, item.notes) == (3, 12, "slowly")
    assert item.history.first().history_user == specialist_user


def test_a_bad_tempo_is_refused_at_the_tempo(api, draft):
    item = first_item(draft)
    response = api.patch(
        reverse("api:item-detail", args=[item.pk]), {"tempo": "fast"}, content_type=JSON
    )
    assert response.status_code == 400
    assert list(response.json()) == ["tempo"]


def test_an_edit_at_a_stale_lock_version_is_409(api, draft):
    item = first_item(draft)
    url = reverse("api:item-detail", args=[item.pk])
    stale = draft.lock_version
    assert api.patch(url, {"sets": 2, "lock_version": stale}, content_type=JSON).status_code == 200
    response = api.patch(url, {"sets": 4, "lock_version": stale}, content_type=JSON)
    assert response.status_code == 409
    item.refresh_from_db()
    assert item.sets == 2


def test_an_exercise_is_removed_and_added_back(api, draft):
    item = first_item(draft)
    removed = api.delete(reverse("api:item-detail", args=[item.pk]))
    assert removed.status_code == 204
    assert not ProgramExercise.objects.filter(pk=item.pk).exists()
    added = api.post(
        reverse("api:version-items", args=[draft.pk]),
        {"phase": item.phase_id, "exercise": item.exercise.slug},
        content_type=JSON,
    )
    assert added.status_code == 201, added.json()
    assert added.json()["exercise"] == item.exercise.slug


def test_an_unknown_exercise_is_refused_at_the_exercise(api, draft):
    phase = draft.phases.first()
    response = api.post(
        reverse("api:version-items", args=[draft.pk]),
        {"phase": phase.pk, "exercise": "no-such-exercise"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert list(response.json()) == ["exercise"]


def test_a_phase_of_another_version_is_refused_at_the_phase(
    api, draft, client_record, specialist_user
):
    other = draft_program(client_record, specialist_user)
    response = api.post(
        reverse("api:version-items", args=[draft.pk]),
        {"phase": other.phases.first().pk, "exercise": first_item(draft).exercise.slug},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert list(response.json()) == ["phase"]


def test_publishing_freezes_the_plan(api, draft, specialist_user):
    response = api.post(
        reverse("api:version-publish", args=[draft.pk]),
        {"lock_version": draft.lock_version},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "published"
    draft.refresh_from_db()
    assert frozen_pdf(draft)
    assert draft.published_by == specialist_user


def test_a_published_version_is_read_only(api, published):
    item = first_item(published)
    response = api.patch(reverse("api:item-detail", args=[item.pk]), {"sets": 2}, content_type=JSON)
    assert response.status_code == 400
    assert "read-only" in response.json()["non_field_errors"][0]


def test_publishing_waits_for_clearance_when_a_referral_is_required(
    api, client_record, specialist_user
):
    draft = drafts.waiting_for_clearance(client_record, specialist_user)  # neck pain
    url = reverse("api:version-publish", args=[draft.pk])
    refused = api.post(url, content_type=JSON)
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": [PUBLISH_NEEDS_CLEARANCE]}
    ClearanceFactory(client=client_record, cleared_on=timezone.localdate())
    assert api.post(url, content_type=JSON).status_code == 200


def test_the_plan_pdf_downloads_and_the_download_is_logged(api, published, specialist_user):
    response = api.get(reverse("api:version-plan", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Download.objects.get(version=published).user == specialist_user


def test_the_pdf_views_answer_errors_in_json_even_when_asked_for_a_pdf(api):
    response = api.get(reverse("api:version-plan", args=[999999]), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_specialists_report_downloads(api, published):
    response = api.get(reverse("api:version-report", args=[published.pk]))
    assert response.status_code == 200
    assert "realign-report-" in response["Content-Disposition"]


def test_the_adherence_log_lists_sessions_and_alerts(api, published):
    SessionLogFactory(version=published, done_on=timezone.localdate(), pain=7)
    body = api.get(reverse("api:client-sessions", args=[published.program.client_id])).json()
    assert [(row["pain"], row["alert"], row["acknowledged"]) for row in body["results"]] == [
        (7, True, None)
    ]


def test_acknowledging_pain_answers_the_alert(api, published):
    SessionLogFactory(version=published, done_on=timezone.localdate(), pain=7)
    response = api.post(
        reverse("api:version-acknowledge-pain", args=[published.pk]),
        {"note": "Called her; rest two days."},
        content_type=JSON,
    )
    assert response.json() == {"acknowledged": 1}
    body = api.get(reverse("api:client-sessions", args=[published.program.client_id])).json()
    assert body["results"][0]["acknowledged"] == "Called her; rest two days."


def test_a_new_version_of_a_published_plan_is_a_draft_copy(api, published):
    response = api.post(reverse("api:version-new-version", args=[published.pk]))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "draft"
    assert response.json()["number"] == published.number + 1
