"""On Mondays each specialist gets one digest of their own clients: how many are due for a
re-test and how many have been quiet for two weeks, as counts, with a link to the dashboard."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from clients.models import Membership
from reminders.models import Delivery
from tests.factories import ClientFactory, SessionLogFactory, specialist
from tests.reminders.reminding import MONDAY, TUESDAY, plan, run_daily, sent

DIGEST = "your clients this week"
RECENT = MONDAY - timedelta(days=3)  # published three days ago: not quiet yet


def test_the_digest_counts_clients_due_for_a_retest_and_quiet_clients(worker, specialist_user):
    for _ in range(2):
        plan(
            ClientFactory(specialist=specialist_user),
            retest_on=MONDAY + timedelta(days=3),
            published_on=RECENT,
        )
    plan(ClientFactory(specialist=specialist_user), published_on=MONDAY - timedelta(weeks=3))

    run_daily(MONDAY)

    [email] = sent(DIGEST)
    assert email.to == [specialist_user.email]
    assert "2 clients are due for a re-test" in email.body
    assert "1 client has not logged a session for 2 weeks" in email.body
    assert reverse("dashboard") in email.body
    assert "Due for re-assessment" in email.body  # where the names are


def test_a_client_who_logs_sessions_is_not_counted_as_quiet(worker, specialist_user):
    version = plan(
        ClientFactory(specialist=specialist_user), published_on=MONDAY - timedelta(weeks=3)
    )
    SessionLogFactory(version=version, done_on=MONDAY - timedelta(days=2))
    run_daily(MONDAY)
    assert sent(DIGEST) == []


def test_the_digest_names_no_client(worker, specialist_user):
    client = ClientFactory(specialist=specialist_user, first_name="Ana")
    plan(client, retest_on=MONDAY + timedelta(days=3))
    run_daily(MONDAY)
    [email] = sent(DIGEST)
    [(html, _)] = email.alternatives
    for text in (email.subject, email.body, html):
        assert "Ana" not in text
        assert client.last_name not in text


def test_the_digest_goes_out_once_a_week_even_when_the_day_runs_twice(worker, specialist_user):
    plan(ClientFactory(specialist=specialist_user), retest_on=MONDAY + timedelta(days=3))
    run_daily(MONDAY)
    run_daily(MONDAY)
    run_daily(TUESDAY)
    assert len(sent(DIGEST)) == 1
    key = Delivery.objects.get(kind="specialist_digest").key
    assert key == f"digest:{specialist_user.pk}:2026-W50"


def test_the_next_monday_has_its_own_digest(worker, specialist_user):
    plan(ClientFactory(specialist=specialist_user), retest_on=MONDAY + timedelta(days=3))
    run_daily(MONDAY)
    run_daily(MONDAY + timedelta(weeks=1))  # the re-test is past: still due
    assert len(sent(DIGEST)) == 2


def test_no_digest_on_other_days(worker, specialist_user):
    plan(ClientFactory(specialist=specialist_user), retest_on=MONDAY + timedelta(days=3))
    run_daily(TUESDAY)
    assert sent(DIGEST) == []


def test_no_digest_when_there_is_nothing_to_list(worker, specialist_user):
    plan(ClientFactory(specialist=specialist_user), published_on=RECENT)
    run_daily(MONDAY)
    assert sent(DIGEST) == []


def test_each_specialist_hears_of_their_own_clients_only(worker, specialist_user, colleague):
    plan(
        ClientFactory(specialist=specialist_user),
        retest_on=MONDAY + timedelta(days=3),
        published_on=RECENT,
    )
    plan(ClientFactory(specialist=colleague), published_on=RECENT)
    run_daily(MONDAY)
    [email] = sent(DIGEST)
    assert email.to == [specialist_user.email]
    assert "1 client is due for a re-test" in email.body


def test_a_deactivated_member_gets_no_digest(worker, practice):
    member = specialist(practice)
    plan(ClientFactory(specialist=member), retest_on=MONDAY + timedelta(days=3))
    membership = Membership.objects.get(user=member)
    membership.deactivated_at = timezone.now()
    membership.save()
    run_daily(MONDAY)
    assert sent(DIGEST) == []
