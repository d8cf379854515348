"""Trigram indexes for the client name search on PostgreSQL (bench/EXPLAIN.md, section 4).

`icontains` is `UPPER(col::text) LIKE UPPER('%word%')`: no B-tree helps, pg_trgm's GIN does.
SQLite has no such index; there the search reads the names from client_list_idx.
"""

import sys

from django.db import DatabaseError, migrations, transaction

INDEXES = {
    "client_first_trgm": "first_name",
    "client_last_trgm": "last_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        # Without the right to create it, the search still works: by a scan, more slowly.
        sys.stderr.write(f"\n  pg_trgm unavailable ({error}); name search left unindexed.\n")
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "clients_client" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_user_has_totp_device")]

    operations = [migrations.RunPython(create, drop)]
