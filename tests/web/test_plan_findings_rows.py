"""The plan's findings table never claims a typical range for a measure that has no norm."""

from django.utils import timezone

from assessments.models import Youth
from clients.population import add_years
from programs import services
from programs.documents import build_plan_document
from tests.factories import AssessmentFactory, ClientFactory, ConsentFactory

TODAY = timezone.localdate()


def _rows(specialist_user, **youth):
    client = ClientFactory(specialist=specialist_user, birth_date=add_years(TODAY, -13))
    ConsentFactory(client=client)
    assessment = AssessmentFactory(client=client, assessed_on=TODAY)
    Youth.objects.create(assessment=assessment, **youth)
    version = services.generate_program(assessment, by=specialist_user)
    return {row.measure: row for row in build_plan_document(version).findings}


def test_body_mass_alone_is_not_said_to_be_within_a_typical_range(specialist_user):
    row = _rows(specialist_user, weight_kg=44.0)["Body mass"]
    assert row.value == "44 kg"
    assert "typical range" not in row.meaning
    assert row.meaning == "Recorded; no norm applies to this measure."


def test_heights_and_mass_that_give_the_maturity_offset_point_to_it(specialist_user):
    rows = _rows(specialist_user, height_cm=156.0, sitting_height_cm=80.0, weight_kg=44.0)
    for label in ("Standing height", "Sitting height", "Body mass"):
        assert rows[label].meaning == "Counted in the finding above."
