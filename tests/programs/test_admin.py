"""The staff admin: library edits validated like the files, rule edits as new ruleset versions."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from programs import services
from programs.admin import (
    EXERCISE_SLUG_IS_FIXED,
    RULE_ID_IS_FIXED,
    RULE_SAVED_AS_NEW_VERSION,
    RULE_UNCHANGED,
)
from programs.library import load_library
from programs.models import Exercise, RuleRow, RulesetVersion
from tests.factories import draft_program

SLUG = "smr-calves-stick"  # level 1; its progression "smr-calves" is level 2
TWO_CUES = ["Sit tall and rest one heel on the floor.", "Roll slowly and breathe."]
EDITED_RATIONALE = "Forward head posture: release the neck extensors first (edited)."


@pytest.fixture
def staff_client(as_user, staff):
    return as_user(staff)


@pytest.fixture
def exercise(db) -> Exercise:
    return Exercise.objects.get(slug=SLUG)


@pytest.fixture
def rule(db) -> RuleRow:
    """R-FHP-01 of the current ruleset version."""
    return services.current_ruleset()[0].rows.get(rule_id="R-FHP-01")


@pytest.fixture
def program_version(client_record, specialist_user):
    """A draft generated for a forward head (CVA 44 degrees) before anyone edits a rule."""
    return draft_program(client_record, specialist_user, cva=44)


def change_url(obj) -> str:
    return reverse(f"admin:programs_{obj._meta.model_name}_change", args=[obj.pk])


def post_data(client, exercise: Exercise, **changes):
    return client.post(
        change_url(exercise), {"data": json.dumps({**exercise.data, **changes}), "_save": "Save"}
    )


def post_body(client, rule: RuleRow, body: dict):
    return client.post(change_url(rule), {"body": json.dumps(body), "_save": "Save"})


def edited(rule: RuleRow) -> dict:
    return {**rule.body, "rationale": EDITED_RATIONALE}


def field_errors(response, field: str) -> list[str]:
    return response.context["adminform"].form.errors[field]


# --- Who gets in ----------------------------------------------------------------------------


def test_a_specialist_who_is_not_staff_is_sent_to_the_admin_login(as_user, specialist_user):
    url = reverse("admin:programs_exercise_changelist")
    response = as_user(specialist_user).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_the_exercise_list_loads_for_staff(staff_client, exercise):
    response = staff_client.get(reverse("admin:programs_exercise_changelist"))
    assert response.status_code == 200
    assert exercise.name in response.text


def test_the_rule_list_loads_for_staff(staff_client, rule):
    response = staff_client.get(reverse("admin:programs_rulerow_changelist"))
    assert response.status_code == 200
    assert "R-FHP-01" in response.text


# --- Exercises ------------------------------------------------------------------------------


def test_a_single_cue_is_refused_at_the_data_field(staff_client, exercise):
    response = post_data(staff_client, exercise, cues=["Roll slowly."])
    assert response.status_code == 200
    assert field_errors(response, "data") == [f"{SLUG}: cues: expected 2 to 4 items, got 1"]


def test_a_refused_exercise_edit_leaves_the_row_as_it_was(staff_client, exercise):
    before = exercise.data
    post_data(staff_client, exercise, cues=["Roll slowly."])
    exercise.refresh_from_db()
    assert exercise.data == before
    assert exercise.history.count() == 1


def test_a_regression_to_an_unknown_exercise_is_refused(staff_client, exercise):
    response = post_data(staff_client, exercise, regression="no-such-exercise")
    assert field_errors(response, "data") == [
        f"{SLUG}: regression: no exercise with slug 'no-such-exercise'"
    ]


def test_an_edit_that_breaks_another_exercises_link_is_refused(staff_client):
    harder = Exercise.objects.get(slug="smr-calves")
    response = post_data(staff_client, harder, level=1)
    assert field_errors(response, "data") == [
        f"{SLUG}: progression: 'smr-calves' must have a higher level than 1"
    ]


def test_the_slug_in_the_data_cannot_change(staff_client, exercise):
    response = post_data(staff_client, exercise, slug="smr-calves-chair")
    assert field_errors(response, "data") == [EXERCISE_SLUG_IS_FIXED.format(slug=SLUG)]
    assert not Exercise.objects.filter(slug="smr-calves-chair").exists()


def test_a_valid_exercise_edit_is_saved(staff_client, exercise):
    response = post_data(staff_client, exercise, cues=TWO_CUES)
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.cues == TWO_CUES


def test_new_programs_use_the_edited_exercise(staff_client, exercise):
    post_data(staff_client, exercise, cues=TWO_CUES)
    library = services.current_library()
    assert library.get(SLUG).cues == tuple(TWO_CUES)
    assert library.version != load_library().version


def test_the_name_and_phase_follow_the_data(staff_client, exercise):
    post_data(staff_client, exercise, name="Massage stick: calves", phase="lengthen")
    exercise.refresh_from_db()
    assert (exercise.name, exercise.phase) == ("Massage stick: calves", "lengthen")


def test_an_exercise_edit_keeps_its_history(staff_client, staff, exercise):
    post_data(staff_client, exercise, cues=TWO_CUES)
    latest, loaded = exercise.history.all()[:2]
    assert latest.history_user == staff
    assert loaded.data["cues"] != TWO_CUES


def test_an_exercise_edit_survives_loading_unchanged_files(staff_client, exercise):
    post_data(staff_client, exercise, cues=TWO_CUES)
    services.load_data_files()
    exercise.refresh_from_db()
    assert exercise.cues == TWO_CUES


# --- Rules ----------------------------------------------------------------------------------


def test_editing_a_rule_makes_a_new_ruleset_version(staff_client, staff, rule):
    response = post_body(staff_client, rule, edited(rule))
    new = RulesetVersion.objects.latest()
    assert new != rule.ruleset
    copy = new.rows.get(rule_id="R-FHP-01")
    assert response.status_code == 302
    assert response["Location"] == change_url(copy)
    assert copy.body["rationale"] == EDITED_RATIONALE
    assert new.created_by == staff
    assert new.rows.count() == rule.ruleset.rows.count()


def test_the_message_names_the_new_version(staff_client, rule):
    response = post_body(staff_client, rule, edited(rule))
    new = RulesetVersion.objects.latest()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        RULE_SAVED_AS_NEW_VERSION.format(version=new.version, previous=rule.ruleset.version)
    ]


def test_editing_a_rule_leaves_the_old_row_as_it_was(staff_client, rule):
    before = rule.body
    post_body(staff_client, rule, edited(rule))
    rule.refresh_from_db()
    assert rule.body == before


def test_programs_made_before_a_rule_edit_keep_their_ruleset_version(
    staff_client, rule, program_version
):
    post_body(staff_client, rule, edited(rule))
    program_version.refresh_from_db()
    assert program_version.ruleset == rule.ruleset
    assert services.current_ruleset()[0] != rule.ruleset


def test_an_unknown_finding_code_is_a_field_error(staff_client, rule):
    body = {**rule.body, "when": {"any": ["not_a_finding"]}}
    response = post_body(staff_client, rule, body)
    assert response.status_code == 200
    assert field_errors(response, "body") == [
        "rules/posture.toml: rule[0].when.any[0]: unknown finding code 'not_a_finding'"
    ]


def test_an_invalid_rule_makes_no_version(staff_client, rule):
    versions = RulesetVersion.objects.count()
    post_body(staff_client, rule, {**rule.body, "when": {"any": ["not_a_finding"]}})
    assert RulesetVersion.objects.count() == versions


def test_saving_an_unchanged_rule_makes_no_version(staff_client, rule):
    versions = RulesetVersion.objects.count()
    response = post_body(staff_client, rule, rule.body)
    assert response["Location"] == change_url(rule)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        RULE_UNCHANGED.format(version=rule.ruleset.version)
    ]
    assert RulesetVersion.objects.count() == versions


def test_the_rule_id_cannot_change(staff_client, rule):
    response = post_body(staff_client, rule, {**rule.body, "id": "R-FHP-09"})
    assert field_errors(response, "body") == [RULE_ID_IS_FIXED.format(rule_id="R-FHP-01")]


def test_rules_of_an_older_version_are_read_only(staff_client, rule):
    post_body(staff_client, rule, edited(rule))
    response = post_body(staff_client, rule, {**rule.body, "rationale": "Another edit."})
    assert response.status_code == 403


def test_rule_rows_cannot_be_added_or_deleted(staff_client, rule):
    assert staff_client.get(reverse("admin:programs_rulerow_add")).status_code == 403
    delete = reverse("admin:programs_rulerow_delete", args=[rule.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert RuleRow.objects.filter(pk=rule.pk).exists()


# --- Ruleset versions -----------------------------------------------------------------------


def test_the_ruleset_version_list_shows_the_rule_count(staff_client, rule):
    response = staff_client.get(reverse("admin:programs_rulesetversion_changelist"))
    assert response.status_code == 200
    count = rule.ruleset.rows.count()
    assert f'?ruleset__id__exact={rule.ruleset.pk}">{count}</a>' in response.text


def test_a_ruleset_version_cannot_be_changed_in_the_admin(staff_client, rule):
    version = rule.ruleset
    response = staff_client.post(change_url(version), {"note": "rewritten"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.note == "loaded from files"
