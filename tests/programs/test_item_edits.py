"""Editing a draft's exercises (programs:item_edit, item_move, item_swap, item_remove, item_add)."""

from django.urls import reverse

from programs import services
from programs.models import Exercise, ProgramExercise
from tests.programs.drafts import items, postpartum_draft


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


def test_colleague_gets_404_on_item_urls(as_user, colleague, draft):
    item = items(draft)[0]
    user = as_user(colleague)
    assert user.get(reverse("programs:item_edit", args=[item.pk])).status_code == 404
    assert user.post(reverse("programs:item_remove", args=[item.pk])).status_code == 404
    assert ProgramExercise.objects.filter(pk=item.pk).exists()
