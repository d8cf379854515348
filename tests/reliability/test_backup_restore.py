"""Backup and restore (security target 13), through the real commands in subprocesses.

A file database is migrated and seeded once per module. While a writer process keeps
committing (practices, users and memberships, so foreign keys are involved), 10 runs in a
row each take ``manage.py backup``, check the copy with SQLite's own pragmas, restore it
into a new database with ``manage.py restore --yes`` and compare the row counts of every
table. Damaged backups, overwrites and missing confirmation are refused.

The checks here open the files with plain sqlite3 rather than the functions under test.
This module is also the writer: ``python -m tests.reliability.test_backup_restore writer``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 120
RUNS = 10
WRITER_MAX_SECONDS = 600  # a safety net: the tests stop (or kill) the writer long before
WRITER_MODULE = "tests.reliability.test_backup_restore"

sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the configured database is not SQLite",
)


def project_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "1",
    }


def manage(*args: str, database: Path | str) -> subprocess.CompletedProcess:
    """Run manage.py with no terminal on standard input, as in CI."""
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=project_env(url),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def pragma(path: Path, statement: str) -> list[tuple]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(statement).fetchall()
    finally:
        connection.close()


def table_rows(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names
        }
    finally:
        connection.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Path:
    """A migrated database with the demo practice in it."""
    path = tmp_path_factory.mktemp("backup") / "live.sqlite3"
    for command in (["migrate", "--no-input", "--verbosity", "0"], ["seed_demo"]):
        result = manage(*command, database=path)
        assert result.returncode == 0, result.stderr[-2000:]
    return path


@pytest.fixture(scope="module")
def good_backup(live) -> Path:
    path = live.with_name("good-backup.sqlite3")
    result = manage("backup", "--out", str(path), database=live)
    assert result.returncode == 0, result.stderr[-2000:]
    return path


class Writer:
    """A process committing practices, users and memberships until told to stop."""

    def __init__(self, database: Path, workdir: Path, label: str):
        workdir.mkdir(parents=True, exist_ok=True)
        self.stop_file = workdir / "stop"
        self.ready_file = workdir / "ready"
        self.process = subprocess.Popen(
            [sys.executable, "-m", WRITER_MODULE, "writer", str(workdir), label],
            cwd=ROOT,
            env=project_env(f"sqlite:///{database}"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_until_writing(self) -> None:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while not self.ready_file.exists():
            assert self.process.poll() is None, self.process.stderr.read()[-2000:]
            assert time.monotonic() < deadline, "the writer did not start"
            time.sleep(0.02)

    def stop(self) -> dict:
        self.stop_file.touch()
        stdout, stderr = self.process.communicate(timeout=TIMEOUT_SECONDS)
        assert self.process.returncode == 0, stderr[-2000:]
        return json.loads(stdout.strip().splitlines()[-1])

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="class")
def busy_writer(live):
    """One writer that keeps committing through the whole class, then must stop cleanly."""
    writer = Writer(live, live.parent / "writer", label="busy")
    try:
        writer.wait_until_writing()
        yield writer
        written = writer.stop()
        assert written["errors"] == []
    finally:
        writer.kill()


@sqlite_only
class TestBackupWhileWriting:
    """Ten backups in a row while the writer keeps committing, each restored and compared."""

    @pytest.mark.parametrize("run", range(RUNS))
    def test_backup_verifies_and_restores_exactly(self, live, busy_writer, run):
        workdir = live.parent / f"run-{run}"
        workdir.mkdir()
        backup = workdir / "backup.sqlite3"
        restored = workdir / "restored.sqlite3"
        memberships = "SELECT count(*) FROM clients_membership"
        before = pragma(live, memberships)[0][0]

        result = manage("backup", "--out", str(backup), database=live)

        assert busy_writer.process.poll() is None, "the writer must still be writing"
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.startswith(f"Backup written: {backup} ("), result.stdout
        assert pragma(backup, "PRAGMA integrity_check") == [("ok",)]
        assert pragma(backup, "PRAGMA foreign_key_check") == []
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        assert not Path(f"{backup}-wal").exists()
        counts = table_rows(backup)
        assert counts["clients_membership"] >= before, "what was committed is in the copy"
        assert pragma(live, memberships)[0][0] > before, "the writer committed meanwhile"

        result = manage("restore", "--from", str(backup), "--yes", database=restored)

        assert result.returncode == 0, result.stderr[-2000:]
        assert pragma(restored, "PRAGMA integrity_check") == [("ok",)]
        assert pragma(restored, "PRAGMA foreign_key_check") == []
        assert table_rows(restored) == counts
        assert f"{len(counts)} tables, {sum(counts.values())} rows in total" in result.stdout


@sqlite_only
def test_restore_replaces_a_database_whose_recent_writes_sit_in_its_wal(live, good_backup):
    """An app connection still open sees the restored database, and nothing of its WAL."""
    target = live.with_name("wal-target.sqlite3")
    shutil.copy(good_backup, target)
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA wal_autocheckpoint=0")
        connection.execute("CREATE TABLE written_after_the_backup (note TEXT)")
        connection.executemany(
            "INSERT INTO written_after_the_backup VALUES (?)", [(f"row {n}",) for n in range(50)]
        )
        assert Path(f"{target}-wal").stat().st_size > 0

        result = manage("restore", "--from", str(good_backup), "--yes", database=target)
        assert result.returncode == 0, result.stderr[-2000:]

        tables = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'written_after_the_backup'"
        ).fetchone()[0]
        assert tables == 0
    finally:
        connection.close()
    assert table_rows(target) == table_rows(good_backup)
    assert pragma(target, "PRAGMA integrity_check") == [("ok",)]
    assert pragma(target, "PRAGMA journal_mode") == [("wal",)]


def as_live(path: Path) -> Path:
    """Put a copied file in WAL mode, as the app leaves its database."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()
    return path


def damage(backup: Path, target: Path, how: str) -> Path:
    shutil.copy(backup, target)
    size = target.stat().st_size
    if how == "truncated":
        os.truncate(target, size // 2)
        return target
    # Flip the first bytes (page header, cell pointers) of the table page nearest the middle.
    page_size = pragma(target, "PRAGMA page_size")[0][0]
    roots = [
        root for (root,) in pragma(target, "SELECT rootpage FROM sqlite_master WHERE rootpage > 1")
    ]
    middle = min(roots, key=lambda root: abs(root - size // page_size // 2))
    with target.open("r+b") as file:
        file.seek((middle - 1) * page_size)
        chunk = file.read(64)
        file.seek((middle - 1) * page_size)
        file.write(bytes(byte ^ 0xFF for byte in chunk))
    return target


@sqlite_only
@pytest.mark.parametrize("how", ["truncated", "flipped"])
def test_a_damaged_backup_is_refused_and_nothing_changes(live, good_backup, how):
    damaged = damage(good_backup, live.with_name(f"damaged-{how}.sqlite3"), how)
    target = live.with_name(f"target-{how}.sqlite3")
    as_live(Path(shutil.copy(good_backup, target)))
    before = digest(target)

    result = manage("restore", "--from", str(damaged), "--yes", database=target)

    assert result.returncode == 2, result.stderr
    assert "is not a sound backup; nothing was restored" in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(target) == before


@sqlite_only
def test_a_file_that_is_not_a_database_is_refused(live, good_backup, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n" * 500)
    result = manage("restore", "--from", str(junk), "--yes", database=tmp_path / "db.sqlite3")
    assert result.returncode == 2
    assert "file is not a database" in result.stderr


@sqlite_only
def test_a_backup_from_a_newer_version_is_refused(live, good_backup, tmp_path):
    newer = tmp_path / "newer.sqlite3"
    shutil.copy(good_backup, newer)
    connection = sqlite3.connect(newer)
    with connection:
        connection.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('clients', '9999_from_the_future', '2030-01-01')"
        )
    connection.close()
    result = manage("restore", "--from", str(newer), "--yes", database=tmp_path / "db.sqlite3")
    assert result.returncode == 2
    assert "clients.9999_from_the_future" in result.stderr


@sqlite_only
def test_restore_without_yes_and_without_a_terminal_refuses(live, good_backup, tmp_path):
    target = as_live(Path(shutil.copy(good_backup, tmp_path / "db.sqlite3")))
    before = digest(target)
    result = manage("restore", "--from", str(good_backup), database=target)
    assert result.returncode == 2
    assert "pass --yes" in result.stderr
    assert digest(target) == before


@sqlite_only
def test_backup_refuses_to_overwrite_without_force(live, tmp_path):
    out = tmp_path / "existing.sqlite3"
    out.write_bytes(b"an older backup")
    result = manage("backup", "--out", str(out), database=live)
    assert result.returncode == 2
    assert "already exists; pass --force" in result.stderr
    assert out.read_bytes() == b"an older backup"

    result = manage("backup", "--out", str(out), "--force", database=live)
    assert result.returncode == 0, result.stderr
    assert pragma(out, "PRAGMA integrity_check") == [("ok",)]


def test_on_postgresql_backup_and_restore_point_to_pg_dump_and_pg_restore(tmp_path):
    # The commands refuse before connecting, so no server is needed.
    url = "postgres://realign@127.0.0.1:9/realign"
    result = manage("backup", "--out", str(tmp_path / "x.sqlite3"), database=url)
    assert result.returncode == 2
    assert "pg_dump --format=custom" in result.stderr
    result = manage("restore", "--from", str(tmp_path / "x.sqlite3"), database=url)
    assert result.returncode == 2
    assert "pg_restore --clean --if-exists" in result.stderr
    assert not (tmp_path / "x.sqlite3").exists()


def writer(argv: list[str]) -> int:
    """Commit a practice, a user and their membership per transaction until told to stop."""
    workdir, label = Path(argv[0]), argv[1]
    import django

    django.setup()
    from django.db import connection, transaction

    from clients.models import Membership, Practice, User

    committed, errors = 0, []
    deadline = time.monotonic() + WRITER_MAX_SECONDS
    while not (workdir / "stop").exists() and time.monotonic() < deadline:
        try:
            with transaction.atomic():
                practice = Practice.objects.create(name=f"writer {label} {committed}")
                user = User.objects.create(username=f"writer-{label}-{committed}")
                Membership.objects.create(user=user, practice=practice)
            committed += 1
        except Exception as error:  # reported to the test, which then fails
            errors.append(f"{type(error).__name__}: {error}")
            break
        if committed == 1:
            (workdir / "ready").touch()
        time.sleep(0.005)  # a busy practice, not a benchmark: leave the CPU to the others
    connection.close()
    sys.stdout.write(json.dumps({"committed": committed, "errors": errors}) + "\n")
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["writer"]:
    sys.exit(writer(sys.argv[2:]))
