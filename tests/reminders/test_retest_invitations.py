"""A client who chose reminders is invited once to book their re-test when it is due: within
a week, or past with no assessment since (the dashboard's rule)."""

from datetime import timedelta

from reminders.models import Delivery
from tests.factories import AssessmentFactory
from tests.reminders.reminding import MONDAY, TUESDAY, plan, reminded_client, run_daily, sent

RETEST = "re-test"


def test_the_client_is_invited_to_book_a_retest_due_this_week(worker):
    client = reminded_client(days="")
    version = plan(client, retest_on=MONDAY + timedelta(days=5))

    run_daily(MONDAY)

    [email] = sent(RETEST)
    assert email.to == [client.user.email]
    specialist = client.specialist.display_name()
    assert f"contact {client.practice.name} ({specialist}) to book it" in email.body
    assert Delivery.objects.get(kind="retest_invitation").key == f"retest:{version.pk}"


def test_the_invitation_is_sent_once_per_plan_however_many_days_it_is_due(worker):
    plan(reminded_client(), retest_on=MONDAY + timedelta(days=5))
    run_daily(MONDAY)
    run_daily(MONDAY)
    run_daily(TUESDAY)
    assert len(sent(RETEST)) == 1


def test_no_invitation_while_the_retest_is_more_than_a_week_away(worker):
    plan(reminded_client(), retest_on=MONDAY + timedelta(days=8))
    run_daily(MONDAY)
    assert sent(RETEST) == []


def test_no_invitation_when_the_client_was_assessed_again_already(worker):
    client = reminded_client()
    plan(client, retest_on=MONDAY + timedelta(days=5))
    AssessmentFactory(client=client, assessed_on=MONDAY - timedelta(days=1))
    run_daily(MONDAY)
    assert sent(RETEST) == []


def test_no_invitation_for_a_client_who_has_not_agreed_to_reminders(worker):
    plan(reminded_client(wants=False), retest_on=MONDAY + timedelta(days=5))
    run_daily(MONDAY)
    assert sent(RETEST) == []


def test_the_invitation_waits_for_the_end_of_the_pause(worker):
    plan(reminded_client(paused_until=MONDAY), retest_on=MONDAY + timedelta(days=5))
    run_daily(MONDAY)
    assert sent(RETEST) == []
    run_daily(TUESDAY)
    assert len(sent(RETEST)) == 1
