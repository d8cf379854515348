"""Demo data for a first look: a practice, its owner, a second specialist, clients of every
population with screenings, and their assessments. Safe to run again: nothing is duplicated.

It lives in programs, the app at the top of the dependency chain, because it loads every
app's demo records. Refused when DEBUG is off (no default accounts in production) unless
--allow-production.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import seed_assessments
from clients.demo import DEMO_USERS, PRACTICE_NAME, seed_demo
from clients.models import Practice
from programs.demo import seed_programs


class Command(BaseCommand):
    help = "Load the demo practice, specialists and clients (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo accounts even with DEBUG off (never on a real deployment).",
        )

    def handle(self, *args, allow_production=False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off; pass --allow-production "
                "if this really is a throw-away instance.",
                returncode=2,
            )
        summary = seed_demo()
        practice = Practice.objects.get(name=PRACTICE_NAME)
        assessments = seed_assessments(practice)
        programs = seed_programs(practice)
        self.stdout.write(
            f"Demo practice ready: {summary['clients']} demo clients "
            f"({summary['created']} new this run), {assessments} new demo assessments, "
            f"{programs} new published plans."
        )
        for username, role in DEMO_USERS:
            password = settings.REALIGN_DEMO_PASSWORD
            self.stdout.write(f"  sign in as {username!r} ({role}) with password {password!r}")
