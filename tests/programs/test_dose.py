"""One dose formatter: sets x reps, hold and tempo read the same on every page and the PDF."""

from django.urls import reverse

from programs import selectors
from programs.dose import amount, dose_of, dose_text
from programs.models import ProgramExercise
from tests.factories import draft_program


def test_sets_come_first_then_reps_then_tempo():
    assert dose_text(2, 12, None, "4/2/2") == "2 × 12 reps, tempo 4/2/2"


def test_a_hold_reads_as_a_hold_of_seconds():
    assert dose_text(1, None, 30) == "1 × hold 30 s"


def test_a_walk_of_600_seconds_reads_as_10_minutes():
    assert dose_text(1, None, 600) == "1 × 10 min"


def test_marching_for_120_seconds_reads_as_2_minutes():
    assert amount(None, 120) == "2 min"


def test_a_hold_under_a_minute_stays_in_seconds():
    assert amount(None, 59) == "hold 59 s"


def test_a_time_with_spare_seconds_names_both_units():
    assert amount(None, 90) == "1 min 30 s"


def test_repeated_timed_bouts_say_each():
    assert amount(6, 60) == "6 reps, 1 min each"


def test_reps_with_a_hold_name_both():
    assert amount(10, 5) == "10 reps, hold 5 s"


def test_one_rep_is_singular():
    assert amount(1, None) == "1 rep"


def test_an_empty_dose_says_as_shown():
    assert dose_text(None, None, None) == "as shown"


def test_a_draft_exercise_and_a_saved_item_format_alike():
    assert dose_of({"sets": 2, "reps": 12, "hold_s": None, "tempo": None}) == "2 × 12 reps"


def test_the_rerun_page_writes_doses_as_the_program_page(specialist_user, client_record):
    version = draft_program(client_record, specialist_user)
    item = ProgramExercise.objects.filter(phase__version=version).first()
    item.reps, item.hold_s, item.sets = 7, None, 3
    item.save()
    changed = next(c for c in selectors.rerun(version).changes if c.slug == item.exercise.slug)
    assert changed.before == dose_of(item)


def test_a_dose_edit_conflict_names_the_saved_dose_as_the_page_writes_it(
    as_user, specialist_user, client_record
):
    version = draft_program(client_record, specialist_user)
    item = ProgramExercise.objects.filter(phase__version=version).first()
    url = reverse("programs:item_edit", args=[item.pk])
    browser = as_user(specialist_user)
    stale = version.lock_version
    browser.post(url, {"lock_version": stale, "sets": "1", "hold_s": "120", "notes": "walk"})
    conflict = browser.post(url, {"lock_version": stale, "sets": "2", "reps": "5"})
    assert conflict.status_code == 409
    assert "Saved now: 1 × 2 min, notes: walk." in conflict.text
