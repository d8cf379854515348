"""`manage.py send_reminders`, for deployments that start the day from cron: it queues the
day's run for the worker, today's or that of --date."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_ox.testing import run_tasks

from tests.reminders.reminding import MONDAY, plan, reminded_client, sent


def send_reminders(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_command_queues_the_run_of_the_given_day(worker):
    plan(reminded_client(days="0"))
    assert "Reminders of 2026-12-07 queued" in send_reminders("--date", MONDAY.isoformat())
    run_tasks()
    assert len(sent("exercise days")) == 1


def test_the_command_without_a_date_queues_todays_run(worker):
    assert "Reminders of today queued" in send_reminders()
    [result] = run_tasks()
    assert result.return_value == 0  # nobody is due: nothing was started


def test_the_command_refuses_a_date_it_cannot_read(worker):
    with pytest.raises(CommandError, match="not a date as YYYY-MM-DD"):
        call_command("send_reminders", "--date", "07/12/2026")
