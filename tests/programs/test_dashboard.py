"""The specialist's dashboard (dashboard) and where specialists land (home)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from programs import services
from programs.adherence import PAIN_ATTENTION
from programs.models import PainAcknowledgement
from tests.factories import (
    AssessmentFactory,
    ClientFactory,
    ConsentFactory,
    ScreeningFactory,
    SessionLogFactory,
    published_program,
)
from tests.steps import acknowledge, log

TODAY = timezone.localdate()


def dashboard(user_client):
    response = user_client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.context


def dashboard_attention(client):
    return [v.pk for v in client.get(reverse("dashboard")).context["attention"]]


def test_specialists_land_on_the_dashboard(as_user, specialist_user):
    assert as_user(specialist_user).get(reverse("home"))["Location"] == reverse("dashboard")


# --- Needs attention ------------------------------------------------------------------------------


def test_pain_of_5_or_more_puts_the_client_on_the_attention_list(
    as_user, specialist_user, published
):
    SessionLogFactory(version=published, done_on=TODAY, pain=5)
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
    SessionLogFactory(version=published, done_on=TODAY, pain=2)
    assert list(dashboard(as_user(specialist_user))["attention"]) == []


def _quiet(version, *, published_days_ago, sessions_days_ago=()):
    version.published_at = timezone.now() - timedelta(days=published_days_ago)
    version.save()
    for days in sessions_days_ago:
        SessionLogFactory(version=version, done_on=TODAY - timedelta(days=days))
    return version


def test_pain_comes_first_then_the_longest_quiet(as_user, specialist_user):
    recent_quiet = _quiet(
        published_program(ClientFactory(specialist=specialist_user), specialist_user),
        published_days_ago=40,
        sessions_days_ago=[16],
    )
    longest_quiet = _quiet(
        published_program(ClientFactory(specialist=specialist_user), specialist_user),
        published_days_ago=30,
    )
    in_pain = published_program(ClientFactory(specialist=specialist_user), specialist_user)
    SessionLogFactory(version=in_pain, done_on=TODAY, pain=8)
    attention = dashboard(as_user(specialist_user))["attention"]
    assert [v.pk for v in attention] == [in_pain.pk, longest_quiet.pk, recent_quiet.pk]
    assert attention[1].reasons == ["no session logged for 4 weeks"]
    assert attention[2].reasons == ["no session logged for 2 weeks"]


def test_exactly_two_quiet_weeks_count_and_thirteen_days_do_not(as_user, specialist_user):
    two_weeks = _quiet(
        published_program(ClientFactory(specialist=specialist_user), specialist_user),
        published_days_ago=30,
        sessions_days_ago=[14],
    )
    _quiet(
        published_program(ClientFactory(specialist=specialist_user), specialist_user),
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


def test_high_pain_puts_the_client_on_the_attention_list(
    portal, published, as_user, specialist_user
):
    log(portal, published, PAIN_ATTENTION + 1)
    assert dashboard_attention(as_user(specialist_user)) == [published.pk]


def test_an_acknowledged_pain_rating_leaves_the_attention_list(
    portal, published, as_user, specialist_user
):
    log(portal, published, 7)
    specialist = as_user(specialist_user)
    assert acknowledge(specialist, published, "Called Ana: rows paused").status_code == 302
    assert dashboard_attention(specialist) == []
    acknowledgement = PainAcknowledgement.objects.get()
    assert (acknowledgement.acknowledged_by, acknowledgement.note) == (
        specialist_user,
        "Called Ana: rows paused",
    )
    assert acknowledgement.history.count() == 1


def test_a_new_high_rating_after_the_acknowledgement_returns_to_the_list(
    portal, published, as_user, specialist_user
):
    log(portal, published, 7)
    specialist = as_user(specialist_user)
    acknowledge(specialist, published, "Called Ana")
    portal.force_login(published.program.client.user)
    log(portal, published, 6)
    specialist.force_login(specialist_user)
    assert dashboard_attention(specialist) == [published.pk]


# --- The other lists ------------------------------------------------------------------------------


def test_clients_due_for_reassessment(as_user, specialist_user, client_record):
    version = published_program(
        client_record, specialist_user, assessed_on=TODAY - timedelta(days=25)
    )
    version.retest_on = TODAY + timedelta(days=3)
    version.save()
    assert [v.pk for v in dashboard(as_user(specialist_user))["due"]] == [version.pk]


def test_a_client_reassessed_recently_is_not_due(as_user, specialist_user, client_record):
    version = published_program(
        client_record, specialist_user, assessed_on=TODAY - timedelta(days=25)
    )
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
    SessionLogFactory(version=published, done_on=TODAY, pain=9)
    context = dashboard(as_user(colleague))
    assert list(context["attention"]) == []
    assert list(context["recent"]) == []


def test_dashboard_query_count_does_not_grow(
    as_user, owner, specialist_user, django_assert_max_num_queries
):
    for _ in range(6):
        version = published_program(ClientFactory(specialist=specialist_user), specialist_user)
        SessionLogFactory(version=version, done_on=TODAY, pain=7)
    user = as_user(owner)
    user.get(reverse("dashboard"))
    with django_assert_max_num_queries(10):
        user.get(reverse("dashboard"))


def test_the_lists_are_the_same_whichever_way_the_database_is_walked(
    as_user, owner, specialist_user, monkeypatch
):
    from django.core.cache import cache

    from programs import selectors as page

    in_pain = published_program(ClientFactory(specialist=specialist_user), specialist_user)
    SessionLogFactory(version=in_pain, done_on=TODAY, pain=7)
    _quiet(
        published_program(ClientFactory(specialist=specialist_user), specialist_user),
        published_days_ago=30,
    )
    due = published_program(
        ClientFactory(specialist=specialist_user),
        specialist_user,
        assessed_on=TODAY - timedelta(days=25),
    )
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
