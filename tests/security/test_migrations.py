"""Every migration applies forward and backward on an empty database (SQLite and PostgreSQL)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
APPS = ["programs", "assessments", "clients"]  # unapplied in reverse dependency order


def manage(*args, database_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args, "--no-input", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def forward_backward_forward(database_url: str) -> None:
    manage("migrate", database_url=database_url)
    for app in APPS:
        manage("migrate", app, "zero", database_url=database_url)
    manage("migrate", database_url=database_url)


def test_migrations_apply_forward_and_backward_on_sqlite(tmp_path):
    forward_backward_forward(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")


def test_migrations_apply_forward_and_backward_on_postgresql():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("runs in the PostgreSQL pass of CI")
    name = f"realign_migrations_{uuid.uuid4().hex[:8]}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        forward_backward_forward(f"postgres://postgres@127.0.0.1:5432/{name}")
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
