"""Replace the SQLite database with a backup made by ``manage.py backup``.

The backup is checked first (integrity, foreign keys, and no migration this code does not
know); a damaged or foreign file is refused with exit status 2 and nothing is touched.
The copy goes through SQLite's backup API in one write transaction, so the database's
``-wal`` and ``-shm`` files stay consistent. Stop the app first: a restore discards every
change made since the backup. PostgreSQL deployments use pg_restore (README, Backups).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from core import stored_files
from core.backups import BackupError, restore_sqlite, unknown_migrations, verify_sqlite

from .backup import sqlite_database_path

PG_RESTORE_HINT = (
    "this deployment uses PostgreSQL: restore a pg_dump file with "
    'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" realign.dump '
    "(README, Backups)"
)


class Command(BaseCommand):
    help = "Restore the SQLite database from a backup file (--from FILE; --yes skips asking)."
    # The system checks would open (or create) the database before the backup is verified;
    # a refused restore must leave it untouched.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="source", required=True, help="a file written by manage.py backup"
        )
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation (scripts, CI)"
        )

    def handle(self, *args, source, yes=False, **options):
        target = sqlite_database_path(PG_RESTORE_HINT)
        backup = Path(source)
        problems = verify_sqlite(backup)
        if problems:
            details = "".join(f"\n  {problem}" for problem in problems[:10])
            raise CommandError(
                f"--from: {backup} is not a sound backup; nothing was restored.{details}",
                returncode=2,
            )
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        try:
            unknown = unknown_migrations(backup, known)
        except BackupError as error:
            raise CommandError(f"--from: {error}; nothing was restored.", returncode=2) from None
        if unknown:
            raise CommandError(
                f"--from: {backup} comes from a newer version of Realign (migrations this "
                f"code does not have: {', '.join(unknown[:5])}); nothing was restored.",
                returncode=2,
            )
        if not yes:
            self._confirm(backup, target)
        # Django's own connections must not hold the database open during the copy.
        connections.close_all()
        try:
            counts = restore_sqlite(backup, target)
        except BackupError as error:
            details = "".join(f"\n  {problem}" for problem in error.problems[:10])
            raise CommandError(f"{error}{details}") from None
        self.stdout.write(
            f"Restored {target} from {backup}: {len(counts)} tables, "
            f"{sum(counts.values())} rows in total."
        )
        files = stored_files.copy_in(backup)
        self.stdout.write(f"Files put back from {stored_files.files_folder(backup)}: {files}.")
        width = max((len(name) for name in counts), default=0)
        for name, rows in counts.items():
            self.stdout.write(f"  {name:<{width}}  {rows}")

    def _confirm(self, backup: Path, target: Path) -> None:
        if not sys.stdin.isatty():
            raise CommandError(
                "standard input is not a terminal, so the restore cannot ask for "
                "confirmation; pass --yes to restore without asking.",
                returncode=2,
            )
        self.stdout.write(
            f"This replaces every row of {target} with the contents of {backup}; "
            "changes made since the backup are lost. Stop the app first."
        )
        answer = input("Type 'yes' to restore: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.", returncode=2)
