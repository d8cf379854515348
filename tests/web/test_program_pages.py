"""From a saved assessment to a published program, in the browser's terms (HTTP)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Postpartum, TechNeck
from programs import services
from programs.models import Exercise, Invitation, Program, ProgramExercise, ProgramVersion
from programs.views import PUBLISH_CONFIRMATION
from tests.factories import AssessmentFactory, ClearanceFactory, ClientFactory, ConsentFactory

CONFIRMED = dict([PUBLISH_CONFIRMATION])  # what the confirmation step posts


@pytest.fixture
def assessment(client_record):
    ConsentFactory(client=client_record)
    assessment = AssessmentFactory(client=client_record, assessed_on=timezone.localdate())
    TechNeck.objects.create(assessment=assessment, cva_deg=44)
    return assessment


@pytest.fixture
def draft(assessment, specialist_user):
    return services.generate_program(assessment, by=specialist_user)


def items(version) -> list[ProgramExercise]:
    return list(
        ProgramExercise.objects.filter(phase__version=version).order_by(
            "phase__position", "position"
        )
    )


def test_one_click_suggests_a_draft_from_the_assessment(as_user, specialist_user, assessment):
    response = as_user(specialist_user).post(reverse("programs:generate", args=[assessment.pk]))
    version = ProgramVersion.objects.get()
    assert response["Location"] == reverse("programs:version", args=[version.pk])
    assert version.assessment == assessment
    assert version.ruleset.version == services.current_ruleset()[0].version
    assert [p.key for p in version.phases.all()] == ["inhibit", "lengthen", "activate", "integrate"]


def test_every_exercise_says_why_it_is_there(as_user, specialist_user, draft):
    page = as_user(specialist_user).get(reverse("programs:version", args=[draft.pk]))
    assert page.status_code == 200
    chosen = items(draft)
    assert chosen
    assert all(item.why for item in chosen)
    assert any("forward_head_posture" in item.findings for item in chosen)
    assert "R-FHP-01" in page.text


def test_no_finding_gives_a_general_program_not_an_empty_one(specialist_user, client_record):
    ConsentFactory(client=client_record)
    empty = AssessmentFactory(client=client_record)
    version = services.generate_program(empty, by=specialist_user)
    assert all(phase.items.exists() for phase in version.phases.all())


def test_changing_the_dose_of_an_exercise(as_user, specialist_user, draft):
    item = items(draft)[0]
    response = as_user(specialist_user).post(
        reverse("programs:item_edit", args=[item.pk]),
        {"sets": "2", "reps": "", "hold_s": "45", "tempo": "", "notes": "Go gently"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.sets, item.hold_s, item.notes) == (2, 45, "Go gently")


def test_a_malformed_tempo_is_a_field_error(as_user, specialist_user, draft):
    item = items(draft)[0]
    response = as_user(specialist_user).post(
        reverse("programs:item_edit", args=[item.pk]),
        {"sets": "1", "reps": "10", "tempo": "slow", "notes": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["tempo"] == [
        "Write the tempo as lower/hold/lift seconds, for example 4/2/2."
    ]


def test_reordering_moves_an_exercise_down(as_user, specialist_user, draft):
    phase = draft.phases.first()
    first, second = list(phase.items.order_by("position"))[:2]
    as_user(specialist_user).post(
        reverse("programs:item_move", args=[first.pk]), {"direction": "down"}
    )
    assert list(phase.items.order_by("position"))[:2] == [second, first]


def test_swapping_for_a_regression(as_user, specialist_user, draft):
    item = next(i for i in items(draft) if i.exercise.data.get("regression"))
    easier = item.exercise.data["regression"]
    as_user(specialist_user).post(reverse("programs:item_swap", args=[item.pk, "regression"]), {})
    item.refresh_from_db()
    assert item.exercise.slug == easier
    assert item.name == Exercise.objects.get(slug=easier).name


def test_removing_an_exercise(as_user, specialist_user, draft):
    item = items(draft)[0]
    as_user(specialist_user).post(reverse("programs:item_remove", args=[item.pk]))
    assert not ProgramExercise.objects.filter(pk=item.pk).exists()


def postpartum_draft(specialist_user, *, weeks: int):
    today = timezone.localdate()
    mother = ClientFactory(
        specialist=specialist_user,
        delivery_date=today - timedelta(weeks=weeks),
        delivery_type="vaginal",
    )
    ConsentFactory(client=mother)
    ClearanceFactory(client=mother, cleared_on=today)
    assessment = AssessmentFactory(client=mother, assessed_on=today)
    Postpartum.objects.create(assessment=assessment, ird_umbilicus_cm=1.0)
    return services.generate_program(assessment, by=specialist_user)


def test_postpartum_draft_before_12_weeks_has_no_impact_exercise(specialist_user):
    version = postpartum_draft(specialist_user, weeks=8)
    assert all("impact" not in item.tags for item in items(version))
    drafted = [e for phase in version.draft["phases"] for e in phase["exercises"]]
    assert drafted
    assert all("impact" not in e["tags"] for e in drafted)
    assert "S-PP-01" in {f["id"] for f in version.draft["rules_fired"]}


def test_an_empty_phase_shows_why_on_the_program_page(as_user, specialist_user):
    version = postpartum_draft(specialist_user, weeks=8)
    empty = next(p for p in version.draft["phases"] if not p["exercises"])
    phase = version.phases.get(key=empty["key"])
    assert phase.note == empty["note"]
    page = as_user(specialist_user).get(reverse("programs:version", args=[version.pk]))
    assert page.status_code == 200
    assert empty["note"] in page.text
    assert "No exercise in this phase." in page.text


def test_a_phase_note_is_kept_when_the_published_version_is_edited(specialist_user):
    version = services.publish(postpartum_draft(specialist_user, weeks=8), by=specialist_user)
    copy = services.new_version(version, by=specialist_user)
    notes = {p.key: p.note for p in version.phases.all()}
    assert any(notes.values())
    assert {p.key: p.note for p in copy.phases.all()} == notes


def test_adding_an_excluded_exercise_needs_a_reason(as_user, specialist_user):
    version = postpartum_draft(specialist_user, weeks=8)
    phase = version.phases.get(key="integrate")
    jog = Exercise.objects.get(slug="jog-on-the-spot")
    url = reverse("programs:item_add", args=[version.pk, phase.pk])
    response = as_user(specialist_user).post(url, {"exercise": jog.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["override_reason"] == [services.OVERRIDE_REASON_REQUIRED]
    assert not phase.items.filter(exercise=jog).exists()


def test_an_override_is_recorded_with_its_reason(as_user, specialist_user):
    version = postpartum_draft(specialist_user, weeks=8)
    phase = version.phases.get(key="integrate")
    jog = Exercise.objects.get(slug="jog-on-the-spot")
    as_user(specialist_user).post(
        reverse("programs:item_add", args=[version.pk, phase.pk]),
        {"exercise": jog.pk, "override_reason": "Cleared by her physio for light jogging"},
    )
    added = phase.items.get(exercise=jog)
    assert added.override_reason.startswith("Cleared by her physio for light jogging")
    assert "S-PP-01" in added.override_reason


def test_publishing_makes_the_version_read_only(as_user, specialist_user, draft):
    user = as_user(specialist_user)
    user.post(reverse("programs:publish", args=[draft.pk]), CONFIRMED)
    draft.refresh_from_db()
    assert draft.is_published
    item = items(draft)[0]
    user.post(reverse("programs:item_remove", args=[item.pk]))
    assert ProgramExercise.objects.filter(pk=item.pk).exists()
    response = user.post(reverse("programs:item_edit", args=[item.pk]), {"sets": "3", "reps": "5"})
    assert services.PUBLISHED_IS_READ_ONLY in response.text
    item.refresh_from_db()
    assert item.sets != 3 or item.reps != 5


def test_a_program_needing_clearance_cannot_be_published_until_it_is_recorded(
    as_user, specialist_user, assessment
):
    assessment.pain_reports.create(region="neck", score=5)
    version = services.generate_program(assessment, by=specialist_user)
    user = as_user(specialist_user)
    page = user.get(reverse("programs:version", args=[version.pk]))
    assert "Publishing waits for a clearance" in page.text
    user.post(reverse("programs:publish", args=[version.pk]), CONFIRMED)
    version.refresh_from_db()
    assert not version.is_published

    ClearanceFactory(client=assessment.client, cleared_on=assessment.assessed_on)
    user.post(reverse("programs:publish", args=[version.pk]), CONFIRMED)
    version.refresh_from_db()
    assert version.is_published


def test_editing_a_published_program_makes_a_new_version(as_user, specialist_user, draft):
    user = as_user(specialist_user)
    user.post(reverse("programs:publish", args=[draft.pk]), CONFIRMED)
    response = user.post(reverse("programs:new_version", args=[draft.pk]))
    second = ProgramVersion.objects.get(number=2)
    assert response["Location"] == reverse("programs:version", args=[second.pk])
    assert second.program == draft.program
    assert [i.exercise.slug for i in items(second)] == [i.exercise.slug for i in items(draft)]
    user.post(reverse("programs:item_remove", args=[items(second)[0].pk]))
    assert len(items(draft)) == len(items(second)) + 1


def test_rerun_under_the_same_rules_changes_nothing(as_user, specialist_user, draft):
    response = as_user(specialist_user).get(reverse("programs:rerun", args=[draft.pk]))
    assert response.context["result"].changes == ()
    assert "No exercise would change." in response.text


def test_rerun_after_a_rule_edit_shows_what_changes_and_why(as_user, specialist_user, draft):
    row = draft.ruleset.rows.get(rule_id="R-FHP-01")
    body = dict(row.body)
    body["then"] = dict(body["then"], activate=[])
    services.edit_rule(row, body, by=specialist_user)
    result = (
        as_user(specialist_user).get(reverse("programs:rerun", args=[draft.pk])).context["result"]
    )
    assert result.ruleset_now != result.ruleset_before
    assert any(change.kind == "removed" and "R-FHP-01" in change.rules for change in result.changes)


def test_redraft_makes_a_new_version_under_the_current_rules(as_user, specialist_user, draft):
    as_user(specialist_user).post(reverse("programs:publish", args=[draft.pk]), CONFIRMED)
    as_user(specialist_user).post(reverse("programs:redraft", args=[draft.pk]))
    assert Program.objects.get().versions.count() == 2


@pytest.mark.parametrize(
    "name", ["programs:version", "programs:rerun", "programs:publish", "programs:new_version"]
)
def test_colleague_gets_404_on_program_urls(as_user, colleague, draft, name):
    method = "get" if name in ("programs:version", "programs:rerun") else "post"
    response = getattr(as_user(colleague), method)(reverse(name, args=[draft.pk]))
    assert response.status_code == 404


def test_colleague_gets_404_on_item_urls(as_user, colleague, draft):
    item = items(draft)[0]
    user = as_user(colleague)
    assert user.get(reverse("programs:item_edit", args=[item.pk])).status_code == 404
    assert user.post(reverse("programs:item_remove", args=[item.pk])).status_code == 404
    assert ProgramExercise.objects.filter(pk=item.pk).exists()


def test_colleague_cannot_generate_from_someone_elses_assessment(as_user, colleague, assessment):
    response = as_user(colleague).post(reverse("programs:generate", args=[assessment.pk]))
    assert response.status_code == 404
    assert not Program.objects.exists()


def test_client_page_lists_the_program(as_user, specialist_user, draft):
    page = as_user(specialist_user).get(reverse("clients:detail", args=[draft.program.client.pk]))
    assert reverse("programs:version", args=[draft.pk]) in page.text


def test_client_page_with_a_program_offers_send_again_for_a_failed_invitation(
    as_user, specialist_user, draft
):
    client = draft.program.client
    older = Invitation.objects.create(
        client=client, sent_by=specialist_user, status=Invitation.Status.SENT
    )
    Invitation.objects.filter(pk=older.pk).update(created_at=older.created_at - timedelta(days=2))
    latest = Invitation.objects.create(
        client=client, sent_by=specialist_user, status=Invitation.Status.NOT_SENT
    )
    page = as_user(specialist_user).get(reverse("clients:detail", args=[client.pk])).text
    assert f"Portal invitation of {timezone.localtime(latest.created_at):%-d %b %Y %H:%M}" in page
    assert "not sent" in page
    assert "Send again" in page


def test_client_page_reads_the_latest_invitation_with_the_programs(as_user, specialist_user, draft):
    client = draft.program.client
    Invitation.objects.create(client=client, sent_by=specialist_user)
    user = as_user(specialist_user)
    with CaptureQueriesContext(connection) as captured:
        user.get(reverse("clients:detail", args=[client.pk]))
    reading = [q["sql"] for q in captured.captured_queries if "programs_invitation" in q["sql"]]
    assert len(reading) == 1
    assert reading[0].startswith('SELECT "programs_programversion"')


def test_program_page_query_count_is_bounded(
    as_user, specialist_user, draft, django_assert_max_num_queries
):
    user = as_user(specialist_user)
    with django_assert_max_num_queries(15):
        user.get(reverse("programs:version", args=[draft.pk]))
