"""A program cannot grow without bound: items per phase and per program are capped
(issue 12, finding 5), and the engine's own drafts always fit under the caps."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs import limits, services
from programs.forms import AddExerciseForm
from programs.models import Exercise, ProgramExercise
from tests.factories import draft_program


@pytest.fixture
def draft(client_record, specialist_user):
    return draft_program(client_record, specialist_user)


def allowed_exercise(version, phase) -> Exercise:
    """An exercise the add form offers for the phase and no safety rule excludes."""
    offered = (
        AddExerciseForm(
            phase=phase, population=version.population, blocked=services.excluded_tags(version)
        )
        .fields["exercise"]
        .queryset
    )
    return next(e for e in offered if not services.safety_conflicts(version, e))


def fill(version, phase, exercise, up_to: int) -> None:
    while phase.items.count() < up_to:
        services.add_exercise(version, phase, exercise)


def items_in(version) -> int:
    return ProgramExercise.objects.filter(phase__version=version).count()


def test_a_phase_with_12_exercises_refuses_a_13th_with_a_clear_message(
    as_user, specialist_user, draft
):
    phase = draft.phases.first()
    exercise = allowed_exercise(draft, phase)
    fill(draft, phase, exercise, limits.MAX_ITEMS_PER_PHASE)

    response = as_user(specialist_user).post(
        reverse("programs:item_add", args=[draft.pk, phase.pk]), {"exercise": exercise.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [limits.PHASE_FULL]
    assert response.context["form"]["exercise"].value() == str(exercise.pk)  # the choice is kept
    assert phase.items.count() == limits.MAX_ITEMS_PER_PHASE


def test_a_program_with_40_exercises_refuses_a_41st_in_a_phase_with_room(draft):
    phases = list(draft.phases.order_by("position"))
    for phase in phases:
        room = limits.MAX_ITEMS_PER_PROGRAM - items_in(draft) + phase.items.count()
        fill(draft, phase, allowed_exercise(draft, phase), min(limits.MAX_ITEMS_PER_PHASE, room))
    assert items_in(draft) == limits.MAX_ITEMS_PER_PROGRAM
    with_room = next(p for p in phases if p.items.count() < limits.MAX_ITEMS_PER_PHASE)

    with pytest.raises(ValidationError) as refused:
        services.add_exercise(draft, with_room, allowed_exercise(draft, with_room))

    assert refused.value.messages == [limits.PROGRAM_FULL]
    assert items_in(draft) == limits.MAX_ITEMS_PER_PROGRAM


def test_every_population_profile_suggests_drafts_within_the_caps(db):
    _, ruleset = services.current_ruleset()
    for profile in ruleset.profiles.values():
        per_phase = [phase.max_exercises for phase in profile.phases]
        assert max(per_phase) <= limits.MAX_ITEMS_PER_PHASE, profile.population
        assert sum(per_phase) <= limits.MAX_ITEMS_PER_PROGRAM, profile.population
