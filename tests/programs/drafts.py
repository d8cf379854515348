"""Drafts and plans built through the real services, and a version's items in page order."""

from datetime import timedelta

from django.utils import timezone

from assessments.models import Postpartum, SeniorTests, TechNeck, Youth
from clients.population import add_years
from programs import services
from programs.models import ProgramExercise
from tests.factories import (
    AssessmentFactory,
    ClearanceFactory,
    ClientFactory,
    ConsentFactory,
    ScreeningFactory,
    draft_program,
    forward_head_assessment,
)

TODAY = timezone.localdate()


def items(version) -> list[ProgramExercise]:
    """The version's exercises in page order: phase by phase, each in its place."""
    return list(
        ProgramExercise.objects.filter(phase__version=version).order_by(
            "phase__position", "position"
        )
    )


def postpartum_draft(specialist_user, *, weeks: int):
    """The draft of a cleared mother assessed `weeks` after a vaginal delivery."""
    today = timezone.localdate()
    mother = ClientFactory(
        specialist=specialist_user,
        delivery_date=today - timedelta(weeks=weeks),
        delivery_type="vaginal",
    )
    ConsentFactory(client=mother)
    ClearanceFactory(client=mother, cleared_on=today)
    assessment = AssessmentFactory(client=mother, assessed_on=today)
    Postpartum.objects.create(assessment=assessment, ird_umbilicus_cm=1.0)
    return services.generate_program(assessment, by=specialist_user)


def waiting_for_clearance(client, specialist):
    """A draft held by a referral (neck pain during the assessment)."""
    assessment = forward_head_assessment(client)
    assessment.pain_reports.create(region="neck", score=5)
    return services.generate_program(assessment, by=specialist)


def client_of(population, specialist):
    """A client of that population (youth, senior, postpartum or adult)."""
    if population == "youth":
        return ClientFactory(specialist=specialist, birth_date=add_years(TODAY, -13))
    if population == "senior":
        return ClientFactory(specialist=specialist, birth_date=add_years(TODAY, -72))
    if population == "postpartum":
        return ClientFactory(
            specialist=specialist,
            birth_date=add_years(TODAY, -31),
            delivery_date=TODAY - timedelta(weeks=16),
            delivery_type="caesarean",
        )
    return ClientFactory(specialist=specialist, birth_date=add_years(TODAY, -35))


SECTIONS = {
    "youth": (Youth, {"height_cm": 156.0, "sitting_height_cm": 80.0, "weight_kg": 44.0}),
    "senior": (SeniorTests, {"chair_stand_30s": 8, "tug_s": 11.0}),
    "postpartum": (Postpartum, {"ird_umbilicus_cm": 2.6, "doming": False}),
    "adult": (TechNeck, {"cva_deg": 46.0}),
}


def published_plan(population, specialist):
    """(client, published plan): a consented, cleared client of the population, assessed today."""
    client = client_of(population, specialist)
    ConsentFactory(client=client)
    ClearanceFactory(client=client, cleared_on=TODAY)
    assessment = AssessmentFactory(client=client, assessed_on=TODAY)
    model, values = SECTIONS[population]
    model.objects.create(assessment=assessment, **values)
    version = services.publish(services.generate_program(assessment, by=specialist), by=specialist)
    return client, version


def referred_draft(specialist, client=None):
    """A draft whose client answered yes on the PAR-Q+ with no clearance: a referral is due."""
    client = client or ClientFactory(specialist=specialist, birth_date=add_years(TODAY, -35))
    ScreeningFactory(client=client, q1=True, screened_on=TODAY)
    return draft_program(client, specialist)
