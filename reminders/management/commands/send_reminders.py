"""Start the day's reminders, for deployments that run them from cron instead of the
worker's own scheduler (the worker still sends them):

    0 7 * * *  cd /srv/realign && .venv/bin/python manage.py send_reminders

Running it twice, or beside the scheduler, sends nothing twice: each email is sent once
per key (reminders/outbox.py).
"""

from __future__ import annotations

import argparse
from datetime import date

from django.core.management.base import BaseCommand

from reminders import tasks


def iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {text!r}") from None


class Command(BaseCommand):
    help = (
        "Queue the day's reminders (reminders.tasks.daily) for the task worker: today's, "
        "or those of --date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=iso_date,
            help="The day to schedule, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, date=None, **options):
        result = tasks.daily.enqueue(*([date] if date else []))
        day = date or "today"
        self.stdout.write(f"Reminders of {day} queued for the worker (task {result.id}).")
