"""The PDFs' data (the client's plan, the specialist's report) is gathered in a fixed number
of queries, whatever the plan holds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import TechNeck
from programs import services
from programs.access import get_version_for
from programs.client_plans import client_plan_for
from programs.documents import build_specialist_report
from programs.models import Exercise, ProgramExercise
from tests.factories import AssessmentFactory, ClearanceFactory, ClientFactory, ConsentFactory

QUERY_LIMIT = 10
TODAY = timezone.localdate()


def draft_plan(specialist, *, exercises: int, assessments: int = 3):
    """A draft plan of ``exercises`` exercises for a client assessed ``assessments`` times."""
    client = ClientFactory(specialist=specialist)
    ConsentFactory(client=client)
    ClearanceFactory(client=client, cleared_on=TODAY)
    for weeks_ago in range(assessments - 1, -1, -1):
        assessment = AssessmentFactory(
            client=client, assessed_on=TODAY - timedelta(weeks=weeks_ago)
        )
        TechNeck.objects.create(assessment=assessment, cva_deg=44.0 + weeks_ago)
    version = services.generate_program(assessment, by=specialist)
    phases = list(version.phases.all())
    items = list(ProgramExercise.objects.filter(phase__version=version))
    for item in items[exercises:]:
        services.remove_exercise(item)
    library = iter(Exercise.objects.filter(in_library=True).order_by("slug"))
    for count in range(len(items), exercises):
        services.add_exercise(
            version, phases[count % len(phases)], next(library), override_reason="For the test."
        )
    assert ProgramExercise.objects.filter(phase__version=version).count() == exercises
    return version


def report_of(version):
    return build_specialist_report(version, today=TODAY)


GATHERERS = [client_plan_for, report_of]


def exercise_count(gathered) -> int:
    if hasattr(gathered, "exercises"):  # the client's plan: each exercise once
        return len(gathered.exercises)
    return sum(len(phase.exercises) for phase in gathered.phases)


def queries_to_gather(user, version, gather) -> int:
    loaded = get_version_for(user, version.pk)  # as the download view loads it
    with CaptureQueriesContext(connection) as captured:
        gathered = gather(loaded)
    assert exercise_count(gathered) == sum(phase.items.count() for phase in version.phases.all())
    return len(captured)


@pytest.mark.parametrize("gather", GATHERERS)
def test_the_plan_data_takes_the_same_queries_for_3_and_for_25_exercises(specialist_user, gather):
    few = draft_plan(specialist_user, exercises=3)
    many = draft_plan(specialist_user, exercises=25)

    assert queries_to_gather(specialist_user, few, gather) == queries_to_gather(
        specialist_user, many, gather
    )


@pytest.mark.parametrize("gather", GATHERERS)
@pytest.mark.parametrize("exercises", [3, 25])
def test_the_plan_data_stays_within_the_query_budget(
    specialist_user, django_assert_max_num_queries, exercises, gather
):
    version = draft_plan(specialist_user, exercises=exercises, assessments=4)
    loaded = get_version_for(specialist_user, version.pk)

    with django_assert_max_num_queries(QUERY_LIMIT):
        gathered = gather(loaded)

    assert exercise_count(gathered) == exercises


def test_the_exercises_print_in_their_phases_in_order(specialist_user):
    version = draft_plan(specialist_user, exercises=25)
    expected = [
        [item.name for item in phase.items.order_by("position", "id")]
        for phase in version.phases.order_by("position")
    ]

    report = report_of(get_version_for(specialist_user, version.pk))

    assert [[e.name for e in phase.exercises] for phase in report.phases] == expected
