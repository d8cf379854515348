"""The files a backup's rows name (posture photos, logos) are kept beside it and put back.

In-process, on a small SQLite file holding the photo table's file columns, through the
storage the app uses; the commands themselves run the same functions
(tests/reliability/test_backup_restore.py covers their database side).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from core import stored_files

PHOTO = b"\xff\xd8\xff\xe0 a posture photo's bytes \xff\xd9"


@pytest.fixture
def backup(tmp_path) -> Path:
    """A 'backup' whose photo row names one stored file (saved in the photo storage)."""
    name = storages["photos"].save("0123abcd.jpg", ContentFile(PHOTO))
    path = tmp_path / "realign.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE assessments_posturephoto (image TEXT, thumbnail TEXT)")
    connection.execute("INSERT INTO assessments_posturephoto VALUES (?, '')", (name,))
    connection.commit()
    connection.close()
    yield path
    storages["photos"].delete(name)


def test_the_photo_storage_is_one_of_the_backed_up_file_columns():
    assert ("assessments_posturephoto", "image", "photos") in stored_files.file_columns()


def test_a_backup_keeps_a_copy_of_each_photo_its_rows_name(backup):
    copied, missing = stored_files.copy_out(backup)

    kept = stored_files.files_folder(backup) / "photos" / "0123abcd.jpg"
    assert (copied, missing, kept.read_bytes()) == (1, [], PHOTO)


def test_a_restore_puts_back_a_photo_the_storage_lost(backup):
    stored_files.copy_out(backup)
    storages["photos"].delete("0123abcd.jpg")

    restored = stored_files.copy_in(backup)

    with storages["photos"].open("0123abcd.jpg", "rb") as handle:
        assert (restored, handle.read()) == (1, PHOTO)


def test_a_photo_missing_from_the_storage_is_named_not_copied(backup):
    storages["photos"].delete("0123abcd.jpg")

    assert stored_files.copy_out(backup) == (0, ["photos/0123abcd.jpg"])
