"""Make sure the benchmark's database exists: ``python -m bench.prepare`` (reads DATABASE_URL).

SQLite creates its file on first use; a PostgreSQL database is created when it is missing
(through the server's ``postgres`` maintenance database), so `make bench` runs on a fresh
server. Nothing is dropped.
"""

from __future__ import annotations

import os
import sys

import dj_database_url


def main() -> int:
    config = dj_database_url.config(default="sqlite:///bench/db.sqlite3")
    if "postgresql" not in config["ENGINE"]:
        return 0
    import psycopg
    from psycopg import sql

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    params = {k: v for k, v in params.items() if v}
    name = config["NAME"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            sys.stdout.write(f"Created the PostgreSQL database {name!r} for the benchmark.\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.exit(main())
