"""The plan PDF built from real records, for a client of each population."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from assessments.models import Postpartum, SeniorTests, TechNeck, Youth
from clients.population import add_years
from programs import services, sharing
from programs.documents import build_plan_document
from programs.models import ProgramExercise
from programs.plan import NOT_MEASURED
from tests.factories import AssessmentFactory, ClearanceFactory, ClientFactory, ConsentFactory

TODAY = timezone.localdate()


def client_of(population, specialist):
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
    client = client_of(population, specialist)
    ConsentFactory(client=client)
    ClearanceFactory(client=client, cleared_on=TODAY)
    assessment = AssessmentFactory(client=client, assessed_on=TODAY)
    model, values = SECTIONS[population]
    model.objects.create(assessment=assessment, **values)
    version = services.publish(services.generate_program(assessment, by=specialist), by=specialist)
    return client, version


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("population", ["youth", "adult", "senior", "postpartum"])
def test_plan_pdf_has_every_section_for_each_population(specialist_user, population):
    client, version = published_plan(population, specialist_user)
    text = text_of(bytes(version.pdf))
    assert client.full_name in text
    assert specialist_user.display_name() in text
    assert version.retest_on.strftime("%-d %B %Y") in text
    assert "What your assessment showed" in text
    first_phase = version.phases.first()
    assert first_phase.title.split(":")[0] in text
    # A phase may be empty when no finding calls for it (it then prints its note).
    first_item = ProgramExercise.objects.filter(phase__version=version).order_by(
        "phase__position", "position"
    )[0]
    assert first_item.name.split(" ")[0] in text
    assert "Weekly checklist" in text
    assert "not medical advice" in text
    pages = len(PdfReader(io.BytesIO(bytes(version.pdf))).pages)
    assert f"page {pages} of {pages}" in text


def test_an_empty_phase_prints_its_note_instead_of_exercises(specialist_user):
    _, version = published_plan("postpartum", specialist_user)
    empty = next(p for p in version.draft["phases"] if not p["exercises"])
    text = " ".join(text_of(bytes(version.pdf)).split())
    assert f"No exercises in this phase. {empty['note']}" in text


def test_senior_plan_says_not_measured_for_tests_not_taken(specialist_user):
    _, version = published_plan("senior", specialist_user)
    text = text_of(bytes(version.pdf))
    assert "6-minute walk" in text
    assert NOT_MEASURED in text


def test_postpartum_plan_warns_about_leakage_and_heaviness(specialist_user):
    _, version = published_plan("postpartum", specialist_user)
    assert "leakage, heaviness" in text_of(bytes(version.pdf))


def test_plan_shows_progress_charts_from_two_assessments(specialist_user, client_record):
    ConsentFactory(client=client_record)
    first = AssessmentFactory(client=client_record, assessed_on=TODAY - timedelta(days=40))
    TechNeck.objects.create(assessment=first, cva_deg=44)
    second = AssessmentFactory(client=client_record, assessed_on=TODAY)
    TechNeck.objects.create(assessment=second, cva_deg=47.5)
    version = services.publish(
        services.generate_program(second, by=specialist_user), by=specialist_user
    )
    text = text_of(bytes(version.pdf))
    assert "Craniovertebral angle" in text
    assert "47.5" in text


def test_hostile_client_name_prints_literally(specialist_user):
    client = ClientFactory(specialist=specialist_user, first_name="<b>Ana</b> &", last_name='"Zoë"')
    ConsentFactory(client=client)
    assessment = AssessmentFactory(client=client, assessed_on=TODAY)
    TechNeck.objects.create(assessment=assessment, cva_deg=46)
    version = services.publish(
        services.generate_program(assessment, by=specialist_user), by=specialist_user
    )
    assert '<b>Ana</b> & "Zoë"' in text_of(bytes(version.pdf))


def test_practice_logo_appears_in_the_plan(specialist_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "teal").save(buffer, format="PNG")
    practice = specialist_user.practice
    practice.logo.save("logo.png", ContentFile(buffer.getvalue()))
    _, version = published_plan("adult", specialist_user)
    reader = PdfReader(io.BytesIO(bytes(version.pdf)))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 1


def test_gathering_the_plan_data_takes_a_fixed_number_of_queries(
    specialist_user, django_assert_max_num_queries
):
    _, version = published_plan("senior", specialist_user)
    with django_assert_max_num_queries(10):
        build_plan_document(version)


def test_frozen_pdf_is_what_every_channel_serves(specialist_user):
    _, version = published_plan("adult", specialist_user)
    assert sharing.plan_pdf(version) == bytes(version.pdf)
