"""Scale data for the benchmark: a practice chain with many specialists and clients, in bulk.

    python -m bench.seed_scale --specialists 200 --clients 50000 --assessments-per-client 5

A benchmark tool, not part of the shipped app: it lives in bench/ so no application
module imports the benchmark. It runs as a Django command object from this script.

Idempotent per size: a size already in the database is left as it is. The data and how it
is written (bulk inserts with their audit history rows) are described in bench/seeding.py.
Refused when DEBUG is off (its accounts share the demo password) unless --allow-production.
"""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Seed a practice chain of the given size for the benchmark (idempotent per size)."

    def add_arguments(self, parser):
        parser.add_argument("--specialists", type=int, default=200)
        parser.add_argument("--clients", type=int, default=50_000)
        parser.add_argument("--assessments-per-client", type=int, default=5)
        parser.add_argument(
            "--published-share",
            type=float,
            default=0.1,
            help="Share of clients with a published program (0 to 1, default 0.1).",
        )
        parser.add_argument(
            "--showcase-assessments",
            type=int,
            default=20,
            help="Assessments of the showcase client (default 20).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (never on a real deployment).",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Refusing to seed scale data with DEBUG off; pass --allow-production if this "
                "really is a throw-away instance.",
                returncode=2,
            )
        if options["specialists"] < 2 or options["clients"] < 1:
            raise CommandError("At least 2 specialists and 1 client.", returncode=2)
        if not 0 <= options["published_share"] <= 1:
            raise CommandError("--published-share is a share between 0 and 1.", returncode=2)
        # The seeding module reads the models: imported once Django is set up (main()).
        from bench.seeding import Size, seed

        size = Size(
            specialists=options["specialists"],
            clients=options["clients"],
            assessments_per_client=options["assessments_per_client"],
            published_share=options["published_share"],
            showcase_assessments=max(2, options["showcase_assessments"]),
        )
        world, made = seed(
            size, log=self.stdout.write if options["verbosity"] > 1 else print_nothing
        )
        if not made:
            self.stdout.write(f"{size.practice_name} is already seeded: nothing to do.")
            return
        parts = ", ".join(
            f"{value} {name.replace('_', ' ')}" for name, value in world.summary.items()
        )
        self.stdout.write(f"{size.practice_name} seeded: {parts}.")
        self.stdout.write(f"  sign in as {world.owner.username!r} (owner of every client)")


def print_nothing(message: str) -> None:
    pass


def main(argv: list[str]) -> None:
    """Set Django up with the project's settings and run the command with ``argv``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    Command().run_from_argv(["bench.seed_scale", "seed_scale", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
