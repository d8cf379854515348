"""The files a database backup refers to (posture photos, practice logos), kept beside it.

A backup of the database alone would restore rows whose files are gone. ``backup`` copies
every file that a file field of the backup's rows names, through Django's storage API (so
an object-storage backend works too), into ``<backup>.files/<storage alias>/<name>``;
``restore`` puts back the ones the storage lacks. Stored names are random and files are
never rewritten in place, so copying them after the database snapshot is consistent: every
row of the snapshot finds its file. Audit-history rows are left out: they may name files
of records deleted (or erased) since.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.db import models


def files_folder(backup: Path) -> Path:
    """Where the files of ``backup`` are kept: beside it, named after it."""
    return backup.with_name(backup.name + ".files")


def file_columns() -> list[tuple[str, str, str]]:
    """(table, column, storage alias) of each file field of the app's current models."""
    aliases = {id(storages[alias]): alias for alias in settings.STORAGES}
    aliases[id(default_storage)] = "default"  # fields without a storage of their own
    columns = []
    for model in apps.get_models():
        if any(field.name == "history_id" for field in model._meta.get_fields()):
            continue  # an audit-history table (django-simple-history)
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and id(field.storage) in aliases:
                columns.append((model._meta.db_table, field.column, aliases[id(field.storage)]))
    return columns


def referenced_files(backup: Path) -> list[tuple[str, str]]:
    """(storage alias, name) of every file the backup's rows name, in a stable order."""
    found = set()
    connection = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        for table, column, alias in file_columns():
            if table not in tables:
                continue
            query = f'SELECT "{column}" FROM "{table}" WHERE "{column}" != \'\''  # noqa: S608
            found.update((alias, name) for (name,) in connection.execute(query))
    finally:
        connection.close()
    return sorted(found)


def copy_out(backup: Path) -> tuple[int, list[str]]:
    """Copy the files ``backup`` names next to it; (files copied, names missing)."""
    folder = files_folder(backup)
    if folder.exists():
        shutil.rmtree(folder)
    copied, missing = 0, []
    for alias, name in referenced_files(backup):
        storage = storages[alias]
        if not storage.exists(name):
            missing.append(f"{alias}/{name}")
            continue
        target = folder / alias / name
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with storage.open(name, "rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        os.chmod(target, 0o600)
        copied += 1
    return copied, missing


def copy_in(backup: Path) -> int:
    """Put back the files kept beside ``backup`` that the storages lack; how many."""
    folder = files_folder(backup)
    restored = 0
    for alias, name in referenced_files(backup):
        source = folder / alias / name
        storage = storages[alias]
        if source.is_file() and not storage.exists(name):
            with open(source, "rb") as handle:
                saved = storage.save(name, File(handle))
            if saved != name:
                raise RuntimeError(f"{alias}/{name} was stored as {saved}")
            restored += 1
    return restored
