"""The shared builders make consistent records: one client, one practice, one specialist."""

from programs.models import ProgramVersion
from programs.sharing import frozen_pdf
from tests.factories import (
    DownloadFactory,
    InvitationFactory,
    PainAcknowledgementFactory,
    ProgramExerciseFactory,
    ShareLinkFactory,
    draft_program,
)
from tests.pdf_reading import flat_pdf_text, pdf_text


def test_row_factories_hang_off_one_client(db):
    item = ProgramExerciseFactory()
    version = item.phase.version
    assert version.assessment.client == version.program.client
    assert item.exercise.phase == item.phase.key
    ack = PainAcknowledgementFactory()
    assert ack.session.version.is_published
    assert ack.acknowledged_by == ack.session.version.program.client.specialist
    assert ShareLinkFactory().is_usable(ack.acknowledged_at)
    assert DownloadFactory().channel == "specialist"
    assert InvitationFactory().status == "sending"


def test_the_published_fixture_is_a_published_plan_with_its_pdf(published, client_record):
    assert published.status == ProgramVersion.Status.PUBLISHED
    assert published.program.client == client_record
    assert published.phases.filter(items__isnull=False).exists()
    assert "A plan for Ana" in pdf_text(frozen_pdf(published))
    assert "A plan for Ana" in flat_pdf_text(frozen_pdf(published))


def test_a_draft_program_is_the_engines_draft(client_record, specialist_user):
    version = draft_program(client_record, specialist_user)
    assert version.status == ProgramVersion.Status.DRAFT
    assert version.assessment.tech_neck.cva_deg == 44
