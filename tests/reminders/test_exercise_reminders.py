"""A client who chose reminders gets one on each of their exercise days while their plan
runs, and none when they turned them off, paused them or have no plan running (issue 19)."""

from datetime import timedelta

from django.urls import reverse
from django_ox.testing import run_tasks

from reminders import tasks
from reminders.models import Delivery, ReminderSettings
from tests.reminders.reminding import MONDAY, TUESDAY, plan, reminded_client, run_daily, sent

EXERCISE_DAY = "exercise days"


def test_a_reminder_goes_out_on_the_clients_exercise_day(worker):
    client = reminded_client(days="03", first_name="Ana")
    plan(client)

    run_daily(MONDAY)

    [email] = sent(EXERCISE_DAY)
    assert email.to == [client.user.email]
    assert email.subject == f"{client.practice.name}: today is one of your exercise days"
    assert "Hello Ana," in email.body
    assert "Today is one of your exercise days." in email.body
    assert reverse("portal:home") in email.body


def test_no_reminder_on_a_day_that_is_not_one_of_the_clients_days(worker):
    plan(reminded_client(days="03"))
    run_daily(TUESDAY)
    assert sent(EXERCISE_DAY) == []


def test_no_reminder_when_the_client_has_not_agreed_to_reminders(worker):
    plan(reminded_client(days="0123456", wants=False))
    run_daily(MONDAY)
    assert sent(EXERCISE_DAY) == []


def test_no_reminder_for_a_client_who_never_chose_any(worker):
    client = reminded_client()
    ReminderSettings.objects.filter(client=client).delete()
    plan(client)
    run_daily(MONDAY)
    assert sent(EXERCISE_DAY) == []


def test_no_reminder_up_to_and_including_the_last_day_of_the_pause(worker):
    plan(reminded_client(days="01", paused_until=TUESDAY))
    run_daily(MONDAY)
    run_daily(TUESDAY)
    assert sent(EXERCISE_DAY) == []


def test_reminders_come_back_the_day_after_the_pause(worker):
    plan(reminded_client(days="0", paused_until=MONDAY - timedelta(days=1)))
    run_daily(MONDAY)
    assert len(sent(EXERCISE_DAY)) == 1


def test_no_reminder_before_the_plan_starts(worker):
    plan(reminded_client(days="0"), starts_on=MONDAY + timedelta(days=1))
    run_daily(MONDAY)
    assert sent(EXERCISE_DAY) == []


def test_no_reminder_after_the_plans_retest_day(worker):
    plan(reminded_client(days="0"), retest_on=MONDAY - timedelta(days=1))
    run_daily(MONDAY)
    assert sent(EXERCISE_DAY) == []


def test_no_reminder_without_a_published_plan(worker):
    reminded_client(days="0")
    run_daily(MONDAY)
    assert sent(EXERCISE_DAY) == []


def test_no_reminder_without_a_portal_account(worker):
    plan(reminded_client(days="0", account=False))
    run_daily(MONDAY)
    assert sent(EXERCISE_DAY) == []


def test_no_reminder_for_an_archived_client(worker):
    client = reminded_client(days="0")
    plan(client)
    client.archived_at = client.created_at
    client.save()
    run_daily(MONDAY)
    assert sent(EXERCISE_DAY) == []


def test_a_second_run_on_the_same_day_sends_nothing_more(worker):
    plan(reminded_client(days="0"))
    run_daily(MONDAY)
    run_daily(MONDAY)
    assert len(sent(EXERCISE_DAY)) == 1
    assert Delivery.objects.filter(kind="exercise_reminder").count() == 1


def test_each_exercise_day_has_its_own_reminder(worker):
    plan(reminded_client(days="01"))
    run_daily(MONDAY)
    run_daily(TUESDAY)
    assert len(sent(EXERCISE_DAY)) == 2


def test_reminders_turned_off_after_the_days_run_started_are_not_sent(worker):
    client = reminded_client(days="0")
    plan(client)
    tasks.daily.enqueue(MONDAY.isoformat())
    run_tasks(max_tasks=1)  # the day's run: it starts the reminder's task

    ReminderSettings.objects.filter(client=client).update(wants_reminders=False)
    run_tasks()

    assert sent(EXERCISE_DAY) == []
