"""The dashboard's lists and the client's session log (adherence)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import TechNeck
from programs import services
from programs.adherence import needs_attention, weeks
from programs.models import SessionLog
from tests.factories import (
    AssessmentFactory,
    ClientFactory,
    ConsentFactory,
    ScreeningFactory,
    UserFactory,
)

TODAY = timezone.localdate()


def publish(client, by, *, days_ago=0, cva=44):
    ConsentFactory(client=client)
    assessment = AssessmentFactory(client=client, assessed_on=TODAY - timedelta(days=days_ago))
    TechNeck.objects.create(assessment=assessment, cva_deg=cva)
    return services.publish(services.generate_program(assessment, by=by), by=by)


@pytest.fixture
def published(client_record, specialist_user):
    return publish(client_record, specialist_user)


@pytest.fixture
def portal_user(client_record):
    user = UserFactory(username="ana@example.org")
    client_record.user = user
    client_record.save()
    return user


def dashboard(user_client):
    response = user_client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.context


def test_specialists_land_on_the_dashboard(as_user, specialist_user):
    assert as_user(specialist_user).get(reverse("home"))["Location"] == reverse("dashboard")


def test_client_logs_a_session_with_a_pain_rating(as_user, portal_user, published):
    response = as_user(portal_user).post(
        reverse("portal:log_session", args=[published.pk]),
        {
            f"v{published.pk}-done_on": TODAY.isoformat(),
            f"v{published.pk}-pain": "6",
            f"v{published.pk}-note": "Knee ached on the lunges",
        },
    )
    assert response.status_code == 302
    session = SessionLog.objects.get()
    assert (session.version, session.pain, session.note) == (
        published,
        6,
        "Knee ached on the lunges",
    )


def test_a_pain_rating_above_10_is_refused_at_its_field(as_user, portal_user, published):
    response = as_user(portal_user).post(
        reverse("portal:log_session", args=[published.pk]),
        {f"v{published.pk}-done_on": TODAY.isoformat(), f"v{published.pk}-pain": "11"},
    )
    assert response.status_code == 400
    assert "from 0 to 10" in response.text
    assert not SessionLog.objects.exists()


def test_a_client_cannot_log_a_session_on_another_clients_plan(
    as_user, portal_user, specialist_user
):
    other = publish(ClientFactory(specialist=specialist_user), specialist_user)
    response = as_user(portal_user).post(
        reverse("portal:log_session", args=[other.pk]),
        {f"v{other.pk}-done_on": TODAY.isoformat()},
    )
    assert response.status_code == 404
    assert not SessionLog.objects.exists()


def test_the_specialist_sees_adherence_and_the_pain_rating(as_user, specialist_user, published):
    SessionLog.objects.create(version=published, done_on=TODAY, pain=6, note="Knee ached")
    page = as_user(specialist_user).get(
        reverse("clients:detail", args=[published.program.client.pk])
    )
    assert "Adherence to the current plan" in page.text
    assert "pain 6/10" in page.text
    assert "Knee ached" in page.text
    assert "Needs attention: pain rated 6/10" in page.text


def test_pain_of_5_or_more_puts_the_client_on_the_attention_list(
    as_user, specialist_user, published
):
    SessionLog.objects.create(version=published, done_on=TODAY, pain=5)
    attention = dashboard(as_user(specialist_user))["attention"]
    assert [v.pk for v in attention] == [published.pk]
    assert "pain rated 5/10" in attention[0].reasons[0]


def test_two_quiet_weeks_put_the_client_on_the_attention_list(as_user, specialist_user, published):
    published.published_at = timezone.now() - timedelta(days=15)
    published.save()
    assert [v.pk for v in dashboard(as_user(specialist_user))["attention"]] == [published.pk]


def test_regular_painless_sessions_keep_the_client_off_the_list(
    as_user, specialist_user, published
):
    SessionLog.objects.create(version=published, done_on=TODAY, pain=2)
    assert list(dashboard(as_user(specialist_user))["attention"]) == []


def test_clients_due_for_reassessment(as_user, specialist_user, client_record):
    version = publish(client_record, specialist_user, days_ago=25)
    version.retest_on = TODAY + timedelta(days=3)
    version.save()
    assert [v.pk for v in dashboard(as_user(specialist_user))["due"]] == [version.pk]


def test_a_client_reassessed_recently_is_not_due(as_user, specialist_user, client_record):
    version = publish(client_record, specialist_user, days_ago=25)
    version.retest_on = TODAY + timedelta(days=3)
    version.save()
    AssessmentFactory(client=client_record, assessed_on=TODAY)
    assert list(dashboard(as_user(specialist_user))["due"]) == []


def test_referrals_waiting_for_clearance(as_user, specialist_user, client_record):
    ScreeningFactory(client=client_record, q1=True, screened_on=TODAY)
    ConsentFactory(client=client_record)
    assessment = AssessmentFactory(client=client_record, assessed_on=TODAY)
    assessment.pain_reports.create(region="knee", score=4)
    draft = services.generate_program(assessment, by=specialist_user)
    context = dashboard(as_user(specialist_user))
    assert [c.pk for c in context["parq_waiting"]] == [client_record.pk]
    assert [v.pk for v in context["waiting_drafts"]] == [draft.pk]
    assert [v.pk for v in context["drafts"]] == [draft.pk]


def test_recently_published_programs(as_user, specialist_user, published):
    assert [v.pk for v in dashboard(as_user(specialist_user))["recent"]] == [published.pk]


def test_the_dashboard_shows_only_the_users_scope(as_user, colleague, published):
    SessionLog.objects.create(version=published, done_on=TODAY, pain=9)
    context = dashboard(as_user(colleague))
    assert list(context["attention"]) == []
    assert list(context["recent"]) == []


def test_dashboard_query_count_does_not_grow(
    as_user, owner, specialist_user, django_assert_max_num_queries
):
    for _ in range(6):
        version = publish(ClientFactory(specialist=specialist_user), specialist_user)
        SessionLog.objects.create(version=version, done_on=TODAY, pain=7)
    user = as_user(owner)
    user.get(reverse("dashboard"))
    with django_assert_max_num_queries(10):
        user.get(reverse("dashboard"))


def test_weeks_count_sessions_and_the_worst_pain():
    start = TODAY - timedelta(days=10)
    daily = [(start, 1, 2), (start + timedelta(days=1), 1, 4), (start + timedelta(days=8), 1, None)]
    result = weeks(start, 3, daily, on=TODAY)
    assert [(w.number, w.done, w.planned, w.worst_pain) for w in result] == [
        (1, 2, 3, 4),
        (2, 1, 3, None),
    ]


def test_old_pain_does_not_count_for_attention():
    assert (
        needs_attention(
            TODAY - timedelta(days=30), [(TODAY - timedelta(days=20), 8), (TODAY, 1)], on=TODAY
        )
        == []
    )


def _quiet(version, *, published_days_ago, sessions_days_ago=()):
    version.published_at = timezone.now() - timedelta(days=published_days_ago)
    version.save()
    for days in sessions_days_ago:
        SessionLog.objects.create(version=version, done_on=TODAY - timedelta(days=days))
    return version


def test_pain_comes_first_then_the_longest_quiet(as_user, specialist_user):
    recent_quiet = _quiet(
        publish(ClientFactory(specialist=specialist_user), specialist_user),
        published_days_ago=40,
        sessions_days_ago=[16],
    )
    longest_quiet = _quiet(
        publish(ClientFactory(specialist=specialist_user), specialist_user),
        published_days_ago=30,
    )
    in_pain = publish(ClientFactory(specialist=specialist_user), specialist_user)
    SessionLog.objects.create(version=in_pain, done_on=TODAY, pain=8)
    attention = dashboard(as_user(specialist_user))["attention"]
    assert [v.pk for v in attention] == [in_pain.pk, longest_quiet.pk, recent_quiet.pk]
    assert attention[1].reasons == ["no session logged for 4 weeks"]
    assert attention[2].reasons == ["no session logged for 2 weeks"]


def test_exactly_two_quiet_weeks_count_and_thirteen_days_do_not(as_user, specialist_user):
    two_weeks = _quiet(
        publish(ClientFactory(specialist=specialist_user), specialist_user),
        published_days_ago=30,
        sessions_days_ago=[14],
    )
    _quiet(
        publish(ClientFactory(specialist=specialist_user), specialist_user),
        published_days_ago=30,
        sessions_days_ago=[13],
    )
    assert [v.pk for v in dashboard(as_user(specialist_user))["attention"]] == [two_weeks.pk]


def test_a_superseded_plan_is_not_on_the_attention_list(as_user, specialist_user, published):
    _quiet(published, published_days_ago=30)
    newer = services.publish(services.redraft(published, by=specialist_user), by=specialist_user)
    assert newer.program_id == published.program_id
    assert list(dashboard(as_user(specialist_user))["attention"]) == []


def test_an_archived_clients_plan_is_not_on_the_attention_list(as_user, specialist_user, published):
    _quiet(published, published_days_ago=30)
    client = published.program.client
    client.archived_at = timezone.now()
    client.save()
    assert list(dashboard(as_user(specialist_user))["attention"]) == []


def test_the_lists_are_the_same_whichever_way_the_database_is_walked(
    as_user, owner, specialist_user, monkeypatch
):
    from django.core.cache import cache

    from programs import dashboard as page

    in_pain = publish(ClientFactory(specialist=specialist_user), specialist_user)
    SessionLog.objects.create(version=in_pain, done_on=TODAY, pain=7)
    _quiet(
        publish(ClientFactory(specialist=specialist_user), specialist_user),
        published_days_ago=30,
    )
    due = publish(ClientFactory(specialist=specialist_user), specialist_user, days_ago=25)
    due.retest_on = TODAY + timedelta(days=2)
    due.save()
    names = ("attention", "due", "recent", "drafts", "waiting_drafts")

    def lists(user):
        cache.clear()
        context = dashboard(as_user(user))
        return {name: [v.pk for v in context[name]] for name in names}

    by_clients = lists(owner)  # a small practice: starts from its clients
    monkeypatch.setattr(page, "WIDE_PRACTICE", 0)
    by_status = lists(owner)  # now "large": walks the status indexes
    assert by_clients == by_status
    assert by_status["attention"][0] == in_pain.pk
    assert due.pk in by_status["due"]
    assert lists(specialist_user) == by_status  # the specialist's own clients, same lists
