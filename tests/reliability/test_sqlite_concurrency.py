"""Concurrent writers (security target 2): 8 processes x 40 read-then-write transactions.

Each worker is a real process with the project's settings (DJANGO_SETTINGS_MODULE and a
DATABASE_URL pointing at a migrated file database) that runs 40 times
``with transaction.atomic(): count the practices; insert one``. With the project's
SQLite options (transaction_mode IMMEDIATE) there must be no "database is locked" and
exactly 320 rows. The negative control runs the same workload with transaction_mode
DEFERRED and must see "database is locked": it proves the test can detect the problem.

The workers start together (each waits for a "go" file after connecting) so that they
really overlap. This module is also the worker: ``python -m
tests.reliability.test_sqlite_concurrency worker ...``.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 8
TRANSACTIONS = 40
TIMEOUT_SECONDS = 120
WORKER_MODULE = "tests.reliability.test_sqlite_concurrency"
ENGINE = settings.DATABASES["default"]["ENGINE"]

sqlite_only = pytest.mark.skipif(
    ENGINE != "django.db.backends.sqlite3", reason="the configured database is not SQLite"
)
postgresql_only = pytest.mark.skipif(
    ENGINE != "django.db.backends.postgresql", reason="the configured database is not PostgreSQL"
)


def project_env(database_url: str) -> dict[str, str]:
    """The environment of a process that uses the project's settings on another database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "1",
    }


def migrate(database_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=project_env(database_url),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def run_workload(database_url: str, workdir: Path, transaction_mode: str = "") -> dict:
    """Start 8 workers together; return their summed results and the wall time."""
    workdir.mkdir(parents=True, exist_ok=True)
    go = workdir / "go"
    command = [sys.executable, "-m", WORKER_MODULE, "worker", str(workdir)]
    if transaction_mode:
        command += ["--transaction-mode", transaction_mode]
    processes = [
        subprocess.Popen(
            [*command, "--worker", str(number)],
            cwd=ROOT,
            env=project_env(database_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(WORKERS)
    ]
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while len(list(workdir.glob("ready-*"))) < WORKERS:
            crashed = [p for p in processes if p.poll() is not None]
            assert not crashed, crashed[0].stderr.read()[-2000:]
            assert time.monotonic() < deadline, "workers did not get ready in time"
            time.sleep(0.02)
        started = time.monotonic()
        go.touch()
        outputs = [p.communicate(timeout=max(1.0, deadline - time.monotonic())) for p in processes]
        wall = time.monotonic() - started
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    totals = {"committed": 0, "locked": 0, "errors": [], "wall": wall}
    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr[-2000:]
        result = json.loads(stdout.strip().splitlines()[-1])
        totals["committed"] += result["committed"]
        totals["locked"] += result["locked"]
        totals["errors"] += result["errors"]
    return totals


def practice_rows_sqlite(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM clients_practice").fetchone()[0]
    finally:
        connection.close()


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A migrated file database; each test works on its own copy of it."""
    path = tmp_path_factory.mktemp("concurrency") / "migrated.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


def fresh_copy(migrated: Path, target: Path) -> Path:
    """A copy of the migrated database, in WAL mode like a deployed one."""
    from core.backups import backup_sqlite

    backup_sqlite(migrated, target)
    connection = sqlite3.connect(target)
    try:
        assert connection.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    finally:
        connection.close()
    return target


@sqlite_only
def test_project_settings_queue_concurrent_writers(migrated_sqlite, tmp_path):
    database = fresh_copy(migrated_sqlite, tmp_path / "db.sqlite3")
    result = run_workload(f"sqlite:///{database}", tmp_path / "run")
    assert result["errors"] == []
    assert result["locked"] == 0, result
    assert result["committed"] == WORKERS * TRANSACTIONS
    assert practice_rows_sqlite(database) == WORKERS * TRANSACTIONS


@sqlite_only
def test_negative_control_deferred_transactions_hit_database_is_locked(migrated_sqlite, tmp_path):
    """The same workload with transaction_mode DEFERRED must fail, or the test proves nothing."""
    database = fresh_copy(migrated_sqlite, tmp_path / "db.sqlite3")
    result = run_workload(f"sqlite:///{database}", tmp_path / "run", transaction_mode="DEFERRED")
    assert result["errors"] == []
    assert result["locked"] >= 1, result
    assert result["committed"] + result["locked"] == WORKERS * TRANSACTIONS
    assert practice_rows_sqlite(database) == result["committed"] < WORKERS * TRANSACTIONS


@pytest.fixture
def throwaway_postgresql_url():
    """A new database on the configured PostgreSQL server, dropped at the end."""
    psycopg = pytest.importorskip("psycopg")
    from urllib.parse import quote

    config = settings.DATABASES["default"]
    server = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or "postgres",
        "password": config.get("PASSWORD") or None,
    }
    try:
        admin = psycopg.connect(dbname="postgres", connect_timeout=3, autocommit=True, **server)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable: {error}")
    name = f"realign_concurrency_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(server["user"], safe="")
    if server["password"]:
        credentials += ":" + quote(server["password"], safe="")
    try:
        yield f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@postgresql_only
def test_postgresql_runs_the_same_workload_without_errors(throwaway_postgresql_url, tmp_path):
    psycopg = pytest.importorskip("psycopg")
    migrate(throwaway_postgresql_url)
    result = run_workload(throwaway_postgresql_url, tmp_path / "run")
    assert result["errors"] == []
    assert result["locked"] == 0
    assert result["committed"] == WORKERS * TRANSACTIONS
    with psycopg.connect(throwaway_postgresql_url) as connection:
        rows = connection.execute("SELECT count(*) FROM clients_practice").fetchone()[0]
    assert rows == WORKERS * TRANSACTIONS


def worker(argv: list[str]) -> int:
    """One writer: 40 read-then-write transactions, then one JSON line on stdout."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--worker", type=int, required=True)
    parser.add_argument("--transaction-mode", default="")
    args = parser.parse_args(argv)

    import django

    if args.transaction_mode:
        # The negative control: the project's settings with one option changed.
        settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] = args.transaction_mode
    django.setup()
    from django.db import OperationalError, connection, transaction

    from clients.models import Practice

    connection.ensure_connection()
    (args.workdir / f"ready-{args.worker}").touch()
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not (args.workdir / "go").exists():
        if time.monotonic() > deadline:
            return 3
        time.sleep(0.002)

    committed, locked, errors = 0, 0, []
    for iteration in range(TRANSACTIONS):
        try:
            with transaction.atomic():
                seen = Practice.objects.count()  # the read...
                time.sleep(0.002)  # ...some work...
                Practice.objects.create(  # ...then the write
                    name=f"worker {args.worker} iteration {iteration} saw {seen}"
                )
            committed += 1
        except OperationalError as error:
            if "database is locked" in str(error):
                locked += 1
            else:
                errors.append(f"{type(error).__name__}: {error}")
    connection.close()
    result = {"committed": committed, "locked": locked, "errors": errors}
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    sys.exit(worker(sys.argv[2:]))
