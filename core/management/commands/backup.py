"""Copy the live SQLite database to a file, safely while the app keeps writing.

The copy goes through SQLite's online backup API (never a plain file copy, which can miss
what is still in the ``-wal`` file), is checked with ``PRAGMA integrity_check`` and
``PRAGMA foreign_key_check``, and is written with mode 0600. PostgreSQL deployments use
pg_dump instead (README, Backups). The files the rows name (posture photos, logos) are
copied beside the backup (core/stored_files.py).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import stored_files
from core.backups import BackupError, backup_sqlite

PG_DUMP_HINT = (
    "this deployment uses PostgreSQL: back it up with "
    'pg_dump --format=custom --file=realign.dump "$DATABASE_URL" (README, Backups)'
)


def sqlite_database_path(hint: str) -> Path:
    """The file of the default database, or a CommandError saying what to use instead."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        raise CommandError(hint, returncode=2)
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file::memory:") or "mode=memory" in name:
        raise CommandError("the database is in memory: there is no file to copy", returncode=2)
    return Path(name)


def size_text(size: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1000 or unit == "MB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


class Command(BaseCommand):
    help = "Back up the SQLite database to --out FILE (online backup API, verified copy)."
    # The system checks open Django's connection (a JSONField check asks SQLite for JSON
    # support); the backup reads the file through sqlite3 alone.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the backup file to write")
        parser.add_argument(
            "--force", action="store_true", help="replace --out if it already exists"
        )

    def handle(self, *args, out, force=False, **options):
        source = sqlite_database_path(PG_DUMP_HINT)
        target = Path(out)
        if target.exists() and not force:
            raise CommandError(
                f"--out: {target} already exists; pass --force to replace it", returncode=2
            )
        if not target.parent.is_dir():
            raise CommandError(f"--out: no directory {target.parent}", returncode=2)
        try:
            report = backup_sqlite(source, target, overwrite=force)
        except BackupError as error:
            details = "".join(f"\n  {problem}" for problem in error.problems)
            raise CommandError(f"{error}{details}") from None
        self.stdout.write(
            f"Backup written: {report.path} ({size_text(report.size_bytes)}, "
            f"{report.tables} tables, {report.rows} rows in total); "
            f"integrity_check ok, foreign_key_check clean, {report.seconds:.2f} s."
        )
        copied, missing = stored_files.copy_out(target)
        self.stdout.write(
            f"Files it refers to (posture photos, logos): {copied} copied to "
            f"{stored_files.files_folder(target)}."
        )
        for name in missing:
            self.stderr.write(f"  missing from storage, not copied: {name}")
