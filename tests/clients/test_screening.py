"""PAR-Q+ screening (clients:screening) and the clearance that settles it (clients:clearance)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.records import facts_from
from clients import clearance
from clients.models import Clearance, Client, Screening
from tests.clients.records import status
from tests.factories import (
    AssessmentFactory,
    ClearanceFactory,
    ClientFactory,
    ScreeningFactory,
)
from tests.programs import drafts

ALL_NO = {f"q{n}": "False" for n in range(1, 8)}


def test_parq_yes_raises_the_clearance_flag(as_user, specialist_user, client_record):
    response = as_user(specialist_user).post(
        reverse("clients:screening", args=[client_record.pk]),
        {**ALL_NO, "q2": "True", "screened_on": "2026-11-20"},
    )
    assert response.status_code == 302
    assert status(client_record).needs_clearance
    page = as_user(specialist_user).get(reverse("clients:detail", args=[client_record.pk]))
    assert "Medical clearance recommended" in page.text


def test_all_no_screening_raises_no_flag(client_record):
    ScreeningFactory(client=client_record)
    assert not status(client_record).needs_clearance


def test_recorded_clearance_lowers_the_flag(as_user, specialist_user, client_record):
    ScreeningFactory(client=client_record, q1=True, screened_on=date(2026, 11, 1))
    response = as_user(specialist_user).post(
        reverse("clients:clearance", args=[client_record.pk]),
        {
            "cleared_on": "2026-11-10",
            "cleared_by": "Dr. A. Lee, GP",
            "note": "Cleared for exercise",
        },
    )
    assert response.status_code == 302
    assert not status(client_record).needs_clearance
    page = as_user(specialist_user).get(reverse("clients:detail", args=[client_record.pk]))
    assert "Medical clearance recommended" not in page.text


def test_a_new_positive_screening_after_clearance_raises_the_flag_again(client_record):
    ScreeningFactory(client=client_record, q1=True, screened_on=date(2026, 10, 1))
    ClearanceFactory(client=client_record, cleared_on=date(2026, 10, 5))
    ScreeningFactory(client=client_record, q3=True, screened_on=date(2026, 11, 1))
    assert status(client_record).needs_clearance


def test_clearance_older_than_the_positive_screening_does_not_count(client_record):
    ClearanceFactory(client=client_record, cleared_on=date(2026, 9, 1))
    ScreeningFactory(client=client_record, q7=True, screened_on=date(2026, 11, 1))
    assert status(client_record).needs_clearance


def test_screenings_are_kept_as_history(client_record):
    ScreeningFactory(client=client_record, q1=True, screened_on=date(2026, 10, 1))
    ScreeningFactory(client=client_record, screened_on=date(2026, 11, 1))
    assert client_record.screenings.count() == 2
    assert not status(client_record).needs_clearance


def test_every_question_must_be_answered(as_user, specialist_user, client_record):
    answers = {**ALL_NO, "screened_on": "2026-11-20"}
    del answers["q4"]
    response = as_user(specialist_user).post(
        reverse("clients:screening", args=[client_record.pk]), answers
    )
    assert response.status_code == 200
    assert response.context["form"].errors["q4"] == ["Answer yes or no."]
    assert not Screening.objects.exists()


def test_screening_form_shows_the_parq_questions(as_user, specialist_user, client_record):
    page = as_user(specialist_user).get(reverse("clients:screening", args=[client_record.pk]))
    assert "heart condition or high blood pressure" in page.text
    assert "medically supervised physical activity" in page.text


@pytest.mark.parametrize("field", ["screened_on"])
def test_future_screening_date_is_refused_at_the_field(
    as_user, specialist_user, client_record, field
):
    response = as_user(specialist_user).post(
        reverse("clients:screening", args=[client_record.pk]),
        {**ALL_NO, "screened_on": "2099-01-01"},
    )
    assert response.context["form"].errors[field] == ["This date cannot be in the future."]


DAYS = st.integers(min_value=1, max_value=20).map(lambda d: date(2026, 10, d))


HISTORIES = {
    "screenings": st.lists(st.tuples(DAYS, st.booleans()), max_size=4),
    "clearances": st.lists(DAYS, max_size=2),
}


def _record(client_record, screenings, clearances) -> None:
    Screening.objects.filter(client=client_record).delete()
    Clearance.objects.filter(client=client_record).delete()
    for day, yes in screenings:
        ScreeningFactory(client=client_record, screened_on=day, q5=yes)
    for day in clearances:
        ClearanceFactory(client=client_record, cleared_on=day)


def _rule(screenings, clearances) -> bool:
    return clearance.clearance_due(
        [(day, [5] if yes else []) for day, yes in screenings], clearances
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(**HISTORIES)
def test_the_database_flag_follows_the_rule(client_record, screenings, clearances):
    _record(client_record, screenings, clearances)
    assert status(client_record).needs_clearance == _rule(screenings, clearances)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(**HISTORIES, assessed_on=DAYS)
def test_an_assessment_lists_the_parq_yes_the_rule_leaves_open(
    client_record, screenings, clearances, assessed_on
):
    _record(client_record, screenings, clearances)
    facts = facts_from(AssessmentFactory(client=client_record, assessed_on=assessed_on))
    # Clearances given before the assessment settle the screening; later ones cover it.
    before = [day for day in clearances if day < assessed_on]
    assert bool(facts.parq_yes) == _rule(screenings, before)
    assert facts.clearance_recorded == any(day >= assessed_on for day in clearances)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(clearances=HISTORIES["clearances"], found_on=DAYS)
def test_the_covering_clearances_in_sql_are_those_the_rule_counts(
    client_record, clearances, found_on
):
    _record(client_record, [], clearances)
    in_sql = sorted(
        clearance.covering(client_record, found_on).values_list("cleared_on", flat=True)
    )
    assert in_sql == sorted(day for day in clearances if clearance.covers(day, found_on))


def test_a_yes_and_a_no_on_the_same_day_still_call_for_clearance_everywhere(client_record):
    ScreeningFactory(client=client_record, q2=True, screened_on=date(2026, 11, 1))
    ScreeningFactory(client=client_record, screened_on=date(2026, 11, 1))
    assert status(client_record).needs_clearance
    facts = facts_from(AssessmentFactory(client=client_record, assessed_on=date(2026, 11, 2)))
    assert facts.parq_yes == (2,)


# --- A clearance returns to the program that waited for it ----------------------------------------


@pytest.fixture
def waiting_for_clearance(client_record, specialist_user):
    """A draft held by a referral (neck pain during the assessment)."""
    return drafts.waiting_for_clearance(client_record, specialist_user)


def clearance_form():
    return {"cleared_on": timezone.localdate().isoformat(), "cleared_by": "Dr. Amara Nwosu, GP"}


def test_recording_the_clearance_returns_to_the_program_waiting_for_it(
    as_user, specialist_user, waiting_for_clearance, client_record
):
    program = reverse("programs:version", args=[waiting_for_clearance.pk])
    url = reverse("clients:clearance", args=[client_record.pk]) + f"?next={program}"

    response = as_user(specialist_user).post(url, clearance_form())

    assert response.status_code == 302
    assert response["Location"] == program
    assert Clearance.objects.filter(client=client_record).exists()


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/programs/1/", "javascript:alert(1)"]
)
def test_a_next_off_this_site_is_ignored(as_user, specialist_user, client_record, elsewhere):
    url = reverse("clients:clearance", args=[client_record.pk])

    response = as_user(specialist_user).post(
        url, clearance_form(), query_params={"next": elsewhere}
    )

    assert response["Location"] == reverse("clients:detail", args=[client_record.pk])


def test_the_clients_needing_clearance_are_those_the_status_flags(specialist_user):
    yes, cleared, no, _unscreened = (
        ClientFactory(specialist=specialist_user, practice=specialist_user.practice)
        for _ in range(4)
    )
    ScreeningFactory(client=yes, q3=True)
    ScreeningFactory(client=cleared, q3=True)
    ClearanceFactory(client=cleared, cleared_on=timezone.localdate())
    ScreeningFactory(client=no)
    flagged = set(Client.objects.with_status().filter(needs_clearance=True))
    assert set(Client.objects.needing_clearance()) == flagged == {yes}
