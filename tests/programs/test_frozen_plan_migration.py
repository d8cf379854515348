"""Migration 0010 moves every frozen plan PDF out of the version's row, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from programs.models import ProgramVersion
from programs.sharing import frozen_pdf
from tests.factories import published_program

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("programs", "0009_session_warning_sign")]
AFTER = [("programs", "0010_frozen_plan_table")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_stored_plan_pdfs_survive_the_move_to_their_own_table(client_record, specialist_user):
    version = published_program(client_record, specialist_user)
    pdf = frozen_pdf(version)
    _migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pdf FROM programs_programversion WHERE id = %s", [version.pk])
        assert bytes(cursor.fetchone()[0]) == pdf
    _migrate(AFTER)
    assert frozen_pdf(ProgramVersion.objects.get(pk=version.pk)) == pdf
