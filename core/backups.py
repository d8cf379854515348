"""SQLite backup and restore with the online backup API, shared by the commands and the tests.

Pure sqlite3: nothing here goes through Django's connection, so a backup can run next to
a live app. A WAL database keeps recent commits in its ``-wal`` file, which a plain file
copy can miss; ``sqlite3.Connection.backup`` reads through SQLite and sees them.

- ``backup_sqlite`` copies a live database in steps under one read snapshot (in WAL mode
  writers keep working meanwhile), verifies the copy and only then moves it into place,
  readable by its owner only.
- ``verify_sqlite`` is ``PRAGMA integrity_check`` plus ``PRAGMA foreign_key_check``.
- ``restore_sqlite`` verifies a backup, then writes it over the target database in one
  write transaction of the backup API, so the target's WAL and shared memory stay
  consistent for any connection still open, and checkpoints the result.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

# Pages copied per backup step (4 MiB with SQLite's default 4096-byte pages).
BACKUP_STEP_PAGES = 1024
# How long to wait for a lock held by another connection, as the app does.
LOCK_TIMEOUT_SECONDS = 20


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size_bytes: int
    row_counts: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    steps: int = 0
    seconds: float = 0.0

    @property
    def tables(self) -> int:
        return len(self.row_counts)

    @property
    def rows(self) -> int:
        return sum(self.row_counts.values())


def _connect_existing(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """Open a database file that must already exist (sqlite3.connect would create it)."""
    if not path.is_file():
        raise BackupError(f"{path}: no such database file")
    mode = "ro" if read_only else "rw"
    uri = f"file:{quote(str(path.resolve()))}?mode={mode}"
    return sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT_SECONDS)


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _row_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        name: connection.execute(f"SELECT count(*) FROM {_quote_identifier(name)}").fetchone()[0]
        for name in names
    }


def row_counts(path: str | os.PathLike) -> dict[str, int]:
    """Rows per table (SQLite's own tables left out), read in one snapshot."""
    connection = _connect_existing(Path(path), read_only=True)
    try:
        with connection:
            connection.execute("BEGIN")
            return _row_counts(connection)
    finally:
        connection.close()


def verify_sqlite(path: str | os.PathLike) -> list[str]:
    """What is wrong with the database file: an empty list means it is sound.

    ``PRAGMA integrity_check`` must answer exactly "ok" and ``PRAGMA foreign_key_check``
    must find no row pointing at a missing parent.
    """
    path = Path(path)
    try:
        connection = _connect_existing(path, read_only=True)
    except BackupError as error:
        return [str(error)]
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check(20)")]
        if integrity != ["ok"]:
            lines = [line for row in integrity for line in row.splitlines()]
            return [f"integrity_check: {line}" for line in lines if line.strip()][:20]
        return [
            f"foreign_key_check: {table} row {rowid} points at a missing {parent} "
            f"(foreign key #{fkid})"
            for table, rowid, parent, fkid in connection.execute(
                "PRAGMA foreign_key_check"
            ).fetchmany(20)
        ]
    except sqlite3.DatabaseError as error:
        # "file is not a database", "database disk image is malformed", ...
        return [f"{path.name}: {error}"]
    finally:
        connection.close()


def _remove_quietly(path: Path) -> None:
    for name in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError):
            name.unlink()


def backup_sqlite(
    source_path: str | os.PathLike,
    target_path: str | os.PathLike,
    *,
    overwrite: bool = False,
    step_pages: int = BACKUP_STEP_PAGES,
) -> BackupReport:
    """Copy a live SQLite database to ``target_path`` and verify the copy.

    The copy is one consistent snapshot: the source connection holds a read transaction
    for the whole copy, so the steps never restart when other processes commit. In WAL
    mode (the app's setting) writers go on meanwhile; a rollback-journal database makes
    them wait for the copy. The copy is written next to the target with mode 0600, turned
    into a self-contained file (journal mode DELETE, no ``-wal``), verified, and only then
    renamed to ``target_path``. Raises ``BackupError`` when the target exists (unless
    ``overwrite``) or the copy fails verification.
    """
    source = Path(source_path)
    target = Path(target_path)
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists")
    if source.resolve() == target.resolve():
        raise BackupError("the backup cannot overwrite the database it copies")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    _remove_quietly(partial)
    started = time.monotonic()
    steps = 0
    pages = 0

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal steps, pages
        steps += 1
        pages = total

    src = _connect_existing(source, read_only=False)
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        dst = sqlite3.connect(partial)
        try:
            # A read transaction on the source pins one snapshot across all the steps.
            src.execute("BEGIN")
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()
            src.backup(dst, pages=step_pages, progress=progress)
            src.rollback()
            # The copy inherits the source's WAL flag; a backup should be one plain file.
            dst.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            dst.close()
    except (sqlite3.Error, OSError) as error:
        _remove_quietly(partial)
        raise BackupError(f"backup of {source} failed: {error}") from error
    finally:
        src.close()

    problems = verify_sqlite(partial)
    if problems:
        _remove_quietly(partial)
        raise BackupError(f"the copy of {source} failed verification", problems)
    counts = row_counts(partial)
    _remove_quietly(Path(f"{partial}-wal"))
    os.replace(partial, target)
    return BackupReport(
        path=target,
        size_bytes=target.stat().st_size,
        row_counts=counts,
        pages=pages,
        steps=steps,
        seconds=time.monotonic() - started,
    )


def unknown_migrations(path: str | os.PathLike, known: set[tuple[str, str]]) -> list[str]:
    """Migrations recorded in the database file that this code does not have."""
    connection = _connect_existing(Path(path), read_only=True)
    try:
        applied = connection.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: not a Realign database ({error})") from error
    finally:
        connection.close()
    return sorted(f"{app}.{name}" for app, name in applied if (app, name) not in known)


def restore_sqlite(backup_path: str | os.PathLike, target_path: str | os.PathLike) -> dict:
    """Replace the database at ``target_path`` with the backup; returns rows per table.

    The backup is verified first and refused (``BackupError``) if damaged. The copy runs
    through the backup API in one step, i.e. one write transaction on the target: another
    connection sees either the old database or the restored one, and a WAL target keeps
    its mode, its ``-wal`` and ``-shm`` consistent. A checkpoint then folds the WAL into
    the main file. The target is created if it does not exist.
    """
    backup = Path(backup_path)
    target = Path(target_path)
    problems = verify_sqlite(backup)
    if problems:
        raise BackupError(f"{backup} is damaged; nothing was restored", problems)
    if target.exists() and backup.resolve() == target.resolve():
        raise BackupError("the backup file is the database itself")
    src = _connect_existing(backup, read_only=True)
    try:
        dst = sqlite3.connect(target, timeout=LOCK_TIMEOUT_SECONDS)
        try:
            src.backup(dst, pages=-1)
            if dst.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                dst.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            dst.close()
    except sqlite3.Error as error:
        raise BackupError(f"restore into {target} failed: {error}") from error
    finally:
        src.close()
    problems = verify_sqlite(target)
    if problems:
        raise BackupError(f"{target} failed verification after the restore", problems)
    return row_counts(target)
