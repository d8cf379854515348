"""The export_plan command: one program's published plan, or all of them, written as PDFs."""

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from programs.sharing import frozen_pdf
from tests.factories import ClientFactory, published_program


def test_export_plan_writes_one_programs_pdf(tmp_path, client_record, specialist_user):
    version = published_program(client_record, specialist_user)
    out = tmp_path / "plan.pdf"
    call_command("export_plan", str(version.program_id), "--out", str(out))
    assert out.read_bytes() == frozen_pdf(version)
    assert "A plan for Ana" in PdfReader(out).pages[0].extract_text()


def test_export_plan_all_writes_one_file_per_published_plan(tmp_path, specialist_user):
    for _ in range(3):
        published_program(ClientFactory(specialist=specialist_user), specialist_user)
    call_command("export_plan", "--all", "--out", str(tmp_path / "plans"))
    assert len(list((tmp_path / "plans").glob("*.pdf"))) == 3


def test_export_plan_refuses_a_program_without_a_published_version(tmp_path, db):
    with pytest.raises(CommandError) as error:
        call_command("export_plan", "999", "--out", str(tmp_path / "x.pdf"))
    assert error.value.returncode == 2
    assert "program_id" in str(error.value)
    assert not (tmp_path / "x.pdf").exists()


def test_export_plan_needs_an_id_or_all(tmp_path, db):
    with pytest.raises(CommandError):
        call_command("export_plan", "--out", str(tmp_path))


def test_export_plan_all_reads_the_plans_in_the_same_queries_whatever_their_number(
    tmp_path, specialist_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def export(folder):
        with CaptureQueriesContext(connection) as queries:
            call_command("export_plan", "--all", "--out", str(tmp_path / folder))
        return len(queries)

    published_program(ClientFactory(specialist=specialist_user), specialist_user)
    one = export("one")
    for _ in range(2):
        published_program(ClientFactory(specialist=specialist_user), specialist_user)
    assert export("three") == one
