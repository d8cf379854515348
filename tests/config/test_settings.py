"""Settings from the environment: production refuses weak secrets; SQLite is set for concurrency."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "-production-secret-key-for-tests-only-0123456789"


def load_settings(**env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with the given environment."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), "
        "'session': settings.SESSION_COOKIE_NAME, 'csrf': settings.CSRF_COOKIE_NAME, "
        "'secure': settings.SESSION_COOKIE_SECURE, 'hsts': settings.SECURE_HSTS_SECONDS, "
        "'options': db.get('OPTIONS', {}), 'debug': settings.DEBUG, "
        "'conn_max_age': db['CONN_MAX_AGE'], "
        "'key_digest': __import__('hashlib').sha256(settings.SECRET_KEY.encode()).hexdigest()}))"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = load_settings(DEBUG="0", SECRET_KEY="short")
    assert "SECRET_KEY must be set" in result.stderr


def test_production_uses_host_prefixed_secure_cookies_and_hsts():
    result = load_settings(DEBUG="0", SECRET_KEY=STRONG_KEY)
    values = json.loads(result.stdout)
    assert values["session"] == "__Host-sessionid"
    assert values["csrf"] == "__Host-csrftoken"
    assert values["secure"] is True
    assert values["hsts"] >= 31536000


def test_with_no_environment_at_all_the_app_is_production_and_wants_a_key():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_secret_key_alone_gives_production_with_debug_off():
    # DEBUG off is also what keeps Django's technical 404 (the list of every URL) hidden.
    values = json.loads(load_settings(SECRET_KEY=STRONG_KEY).stdout)
    assert values["debug"] is False
    assert values["session"] == "__Host-sessionid"


def test_production_refuses_a_django_insecure_key():
    result = load_settings(DEBUG="0", SECRET_KEY="django-insecure-" + "x" * 60)
    assert "SECRET_KEY must be set" in result.stderr


def test_development_without_a_key_gets_a_random_one_never_a_known_one():
    first = json.loads(load_settings(DEBUG="1").stdout)
    second = json.loads(load_settings(DEBUG="1").stdout)
    assert first["debug"] is True
    assert first["key_digest"] != second["key_digest"]


def test_database_url_switches_to_postgresql_with_nothing_else():
    result = load_settings(DEBUG="1", DATABASE_URL="postgres://realign:pw@db.internal:5432/realign")
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "realign"
    assert "transaction_mode" not in values["options"]


def test_postgresql_prepares_statements_that_run_again():
    result = load_settings(DEBUG="1", DATABASE_URL="postgres://realign:pw@db.internal:5432/realign")
    options = json.loads(result.stdout)["options"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    result = load_settings(
        DEBUG="1",
        DATABASE_URL="postgres://realign:pw@db.internal:5432/realign",
        PG_PREPARED_STATEMENTS="0",
    )
    options = json.loads(result.stdout)["options"]
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_sqlite_keeps_connections_open_between_requests():
    values = json.loads(load_settings(DEBUG="1").stdout)
    assert values["conn_max_age"] == 60


def test_sqlite_default_is_configured_for_concurrent_writes():
    values = json.loads(load_settings(DEBUG="1").stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["options"]["transaction_mode"] == "IMMEDIATE"
    assert values["options"]["timeout"] >= 5
    assert "journal_mode=WAL" in values["options"]["init_command"]


@pytest.mark.django_db
def test_sqlite_connection_runs_in_wal_mode_and_syncs_every_commit(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.db import connection; "
            "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
            "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0]); "
            "c.execute('PRAGMA synchronous'); print(c.fetchone()[0])",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    mode, busy, synchronous = result.stdout.split()
    assert mode == "wal"
    assert int(busy) >= 5000
    # 2 is FULL: every commit is on disk before it is acknowledged (a power loss keeps it).
    assert int(synchronous) == 2


@pytest.mark.parametrize("raw", ["maybe", "2", "tru"])
def test_odd_boolean_values_are_rejected(monkeypatch, raw):
    monkeypatch.setenv("REALIGN_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured):
        env_bool("REALIGN_TEST_FLAG", default=False)


def test_deploy_checks_pass_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "realign.example.com",
            "SITE_URL": "https://realign.example.com",  # without it, realign.W001 warns
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _no_realign_environment() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }


def test_the_served_app_with_no_environment_refuses_to_start_without_a_key():
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=_no_realign_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_command_line_with_no_environment_runs_in_development_mode(tmp_path):
    # The engine's contract is scripted as `manage.py suggest_program`: it must work on a
    # fresh clone with no variables, while the served app stays production by default.
    case = ROOT / "programs" / "data" / "examples" / "adult_tech_neck.json"
    env = {**_no_realign_environment(), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    run = [sys.executable, "manage.py"]
    migrate = subprocess.run(
        [*run, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [*run, "suggest_program", "--input", str(case)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert '"phases"' in result.stdout


def test_an_api_token_rate_that_is_not_a_rate_is_refused_at_start():
    result = load_settings(DEBUG="1", API_TOKEN_RATE="fast")
    assert result.returncode != 0
    assert "API_TOKEN_RATE" in result.stderr


def test_the_api_token_rate_comes_from_the_environment():
    result = load_settings(DEBUG="1", API_TOKEN_RATE="5/min")
    assert result.returncode == 0, result.stderr
