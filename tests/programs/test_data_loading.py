"""The shipped library and rule files in the database: loaded by migrate, versioned on change."""

import shutil
from pathlib import Path

import pytest

from programs import services
from programs.library import LIBRARY_DIR, load_library
from programs.models import Exercise, RuleRow, RulesetVersion
from programs.rules import DATA_DIR, load_ruleset

FHP_RATIONALE = 'rationale = "Forward head posture (small craniovertebral angle):'
REMOVED_SLUG = "smr-peroneals"  # no other exercise regresses or progresses to it


def stored_counts() -> tuple[int, int, int, int]:
    return (
        Exercise.objects.count(),
        Exercise.history.count(),
        RulesetVersion.objects.count(),
        RuleRow.objects.count(),
    )


@pytest.fixture
def edited_rule_files(tmp_path, monkeypatch) -> Path:
    """A copy of the data directory in which R-FHP-01's rationale was edited, read by services."""
    data = shutil.copytree(DATA_DIR, tmp_path / "data")
    posture = data / "rules" / "posture.toml"
    text = posture.read_text()
    assert FHP_RATIONALE in text
    posture.write_text(text.replace(FHP_RATIONALE, FHP_RATIONALE + " Edited.", 1))
    monkeypatch.setattr(services, "DATA_DIR", data)
    return data


@pytest.fixture
def library_without_one_exercise(tmp_path, monkeypatch) -> Path:
    """A copy of the exercise files with REMOVED_SLUG taken out, read by services."""
    exercises = shutil.copytree(LIBRARY_DIR, tmp_path / "exercises")
    inhibit = exercises / "inhibit.toml"
    blocks = inhibit.read_text().split("\n[[exercise]]\n")
    kept = [block for block in blocks if f'slug = "{REMOVED_SLUG}"' not in block]
    assert len(kept) == len(blocks) - 1
    inhibit.write_text("\n[[exercise]]\n".join(kept))
    monkeypatch.setattr(services, "load_library", lambda: load_library(exercises))
    return exercises


def test_migrate_loaded_every_exercise_of_the_library(db):
    library = load_library()
    assert Exercise.objects.filter(in_library=True).count() == len(library)
    assert set(Exercise.objects.values_list("library_version", flat=True)) == {library.version}


def test_migrate_stored_the_shipped_ruleset_version_with_one_row_per_rule(db):
    ruleset = load_ruleset()
    version = RulesetVersion.objects.get(version=ruleset.version)
    assert version.rows.count() == len(ruleset.rules) + len(ruleset.safety)
    assert version.note == "loaded from files"


def test_loading_unchanged_files_again_writes_nothing(db):
    before = stored_counts()
    latest = Exercise.objects.order_by("-updated_at").values_list("updated_at", flat=True)[0]
    version, created = services.load_data_files()
    assert (version.version, created) == (load_ruleset().version, False)
    assert stored_counts() == before
    assert Exercise.objects.order_by("-updated_at").values_list("updated_at", flat=True)[0] == (
        latest
    )


def test_a_changed_rule_file_makes_a_new_ruleset_version(db, edited_rule_files):
    shipped = RulesetVersion.objects.get(version=load_ruleset().version)
    version, created = services.load_data_files()
    assert created
    assert version.version != shipped.version
    assert version.version.startswith("2026.1+")
    edited = version.rows.get(rule_id="R-FHP-01").body["rationale"]
    assert edited.startswith("Forward head posture (small craniovertebral angle): Edited.")


def test_the_newest_ruleset_version_is_the_current_one(db, edited_rule_files):
    version, _ = services.load_data_files()
    current, ruleset = services.current_ruleset()
    assert current == version
    assert ruleset.version == version.version


def test_the_shipped_rows_are_kept_when_a_rule_file_changes(db, edited_rule_files):
    shipped = RulesetVersion.objects.get(version=load_ruleset().version)
    body = shipped.rows.get(rule_id="R-FHP-01").body
    services.load_data_files()
    assert shipped.rows.get(rule_id="R-FHP-01").body == body


def test_an_exercise_removed_from_the_files_is_kept_out_of_the_library(
    db, library_without_one_exercise
):
    services.load_data_files()
    removed = Exercise.objects.get(slug=REMOVED_SLUG)
    assert not removed.in_library
    assert REMOVED_SLUG not in services.current_library()


def test_the_exercises_still_in_the_files_take_the_new_library_version(
    db, library_without_one_exercise
):
    services.load_data_files()
    new_version = load_library(library_without_one_exercise).version
    versions = Exercise.objects.filter(in_library=True).values_list("library_version", flat=True)
    assert set(versions) == {new_version}
    assert services.current_library().version == new_version


def test_the_current_library_is_the_files_library_when_nothing_was_edited(db):
    library = services.current_library()
    assert library.version == load_library().version
    assert [e.slug for e in library] == [e.slug for e in load_library()]


def test_returning_a_rule_to_its_earlier_content_makes_that_version_current_again(staff):
    from programs.services import current_ruleset, edit_rule

    original, _ = current_ruleset()
    row = original.rows.get(rule_id="R-FHP-01")
    body = dict(row.body)
    changed = edit_rule(row, dict(body, rationale=body["rationale"] + " (edited)"), by=staff)
    assert current_ruleset()[0] == changed
    back = edit_rule(changed.rows.get(rule_id="R-FHP-01"), body, by=staff)
    assert back == original
    assert current_ruleset()[0] == original


def test_rules_of_an_older_version_cannot_be_edited(staff):
    from django.core.exceptions import ValidationError

    from programs.services import NOT_CURRENT_RULESET, current_ruleset, edit_rule

    original, _ = current_ruleset()
    row = original.rows.get(rule_id="R-FHP-01")
    edit_rule(row, dict(row.body, rationale="changed"), by=staff)
    with pytest.raises(ValidationError) as error:
        edit_rule(row, dict(row.body, rationale="stale edit"), by=staff)
    assert error.value.messages == [NOT_CURRENT_RULESET]
