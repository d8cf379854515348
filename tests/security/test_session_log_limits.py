"""A portal client cannot log sessions without bound, and the client page reads the same
few rows however many were logged (issue 12, finding 7)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs import limits
from programs.models import SessionLog
from tests.factories import SessionLogFactory, UserFactory, published_program

TODAY = timezone.localdate()


@pytest.fixture
def published(client_record, specialist_user):
    """The shared plan, started 20 days ago."""
    return published_program(client_record, specialist_user, starts_on=TODAY - timedelta(days=20))


@pytest.fixture
def portal_user(client_record):
    user = UserFactory(username="ana@example.org")
    client_record.user = user
    client_record.save()
    return user


def log(portal, version, day, note="Felt good"):
    return portal.post(
        reverse("portal:log_session", args=[version.pk]),
        {f"v{version.pk}-done_on": day.isoformat(), f"v{version.pk}-note": note},
    )


def logged(version, count, *, day=TODAY, pain=None):
    for _ in range(count):
        SessionLogFactory(version=version, done_on=day, pain=pain, note="Rows")


def test_a_fourth_session_on_the_same_day_is_refused_at_the_day_with_the_note_kept(
    as_user, portal_user, published
):
    portal = as_user(portal_user)
    for _ in range(limits.MAX_SESSION_LOGS_PER_DAY):
        assert log(portal, published, TODAY).status_code == 302

    response = log(portal, published, TODAY, note="One more set of rows")

    assert response.status_code == 400
    form = next(v for v in response.context["versions"] if v.pk == published.pk).log_form
    assert form.errors["done_on"] == [limits.SESSION_LOGS_FULL]
    assert "One more set of rows" in response.text
    assert SessionLog.objects.count() == limits.MAX_SESSION_LOGS_PER_DAY


def test_the_daily_limit_counts_each_day_on_its_own(as_user, portal_user, published):
    logged(published, limits.MAX_SESSION_LOGS_PER_DAY, day=TODAY - timedelta(days=1))

    assert log(as_user(portal_user), published, TODAY).status_code == 302


def test_a_session_before_the_plan_starts_is_refused(as_user, portal_user, published):
    response = log(as_user(portal_user), published, published.starts_on - timedelta(days=1))

    assert response.status_code == 400
    assert "before the plan starts" in response.text
    assert not SessionLog.objects.exists()


def client_page(as_user, user, client_record):
    """The client page, with the SQL it ran and the session logs it read from the database."""
    url = reverse("clients:detail", args=[client_record.pk])
    as_user(user).get(url)  # the first request of a session also signs in: not counted
    read = []

    def count(sender, instance, **kwargs):
        read.append(instance)

    post_init.connect(count, sender=SessionLog)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = as_user(user).get(url)
    finally:
        post_init.disconnect(count, sender=SessionLog)
    assert response.status_code == 200
    return response, len(queries), len(read)


def test_the_client_page_makes_the_same_queries_and_reads_5_logs_however_many_exist(
    as_user, specialist_user, client_record, published
):
    logged(published, 3)
    _, few_queries, few_read = client_page(as_user, specialist_user, client_record)
    logged(published, 300)  # a day's burst from before the daily limit existed

    _, many_queries, many_read = client_page(as_user, specialist_user, client_record)

    assert many_queries == few_queries
    assert (few_read, many_read) == (3, 5)


def test_the_client_page_tallies_each_week_in_the_database(
    as_user, specialist_user, client_record, published
):
    logged(published, 3, day=TODAY, pain=2)
    logged(published, 1, day=TODAY - timedelta(days=1), pain=6)

    response, _, _ = client_page(as_user, specialist_user, client_record)

    adherence = response.context["programs"].adherence
    this_week = adherence.weeks[-1]
    assert (this_week.done, this_week.worst_pain) == (4, 6)
    assert adherence.attention == ["pain rated 6/10 after a session"]
