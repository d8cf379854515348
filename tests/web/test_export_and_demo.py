"""export_plan writes the published plans; seed_demo gives a new user real plans at once."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import TechNeck
from programs import services
from programs.models import ProgramVersion
from tests.factories import AssessmentFactory, ClientFactory, ConsentFactory


def publish_for(client, by):
    ConsentFactory(client=client)
    assessment = AssessmentFactory(client=client, assessed_on=timezone.localdate())
    TechNeck.objects.create(assessment=assessment, cva_deg=47)
    return services.publish(services.generate_program(assessment, by=by), by=by)


def test_export_plan_writes_one_programs_pdf(tmp_path, client_record, specialist_user):
    version = publish_for(client_record, specialist_user)
    out = tmp_path / "plan.pdf"
    call_command("export_plan", str(version.program_id), "--out", str(out))
    assert out.read_bytes() == bytes(version.pdf)
    assert "A plan for Ana" in PdfReader(out).pages[0].extract_text()


def test_export_plan_all_writes_one_file_per_published_plan(tmp_path, specialist_user):
    for _ in range(3):
        publish_for(ClientFactory(specialist=specialist_user), specialist_user)
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


@pytest.mark.django_db
def test_seed_demo_publishes_a_plan_for_each_client_with_an_assessment():
    call_command("seed_demo")
    published = ProgramVersion.objects.filter(status="published")
    assert published.count() == 4
    assert all(v.pdf for v in published)
    call_command("seed_demo")
    assert ProgramVersion.objects.filter(status="published").count() == 4
