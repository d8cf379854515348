"""The plan PDF built from real records, for a client of each population."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from assessments.labels import referral_label
from assessments.models import Postpartum, SeniorTests, TechNeck, Youth
from clients.population import add_years
from programs import services, sharing
from programs.bibliography import draft_sources
from programs.client_plans import client_plan_for
from programs.documents import build_plan_document
from programs.pdf import render_plan
from programs.plan import NOT_MEASURED
from tests.factories import (
    AssessmentFactory,
    ClearanceFactory,
    ClientFactory,
    ConsentFactory,
    ScreeningFactory,
)

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


def specialist_document(version) -> bytes:
    """The specialist's full document (findings, phases, charts), not the client's plan."""
    return render_plan(build_plan_document(version))


@pytest.mark.parametrize("population", ["youth", "adult", "senior", "postpartum"])
def test_plan_pdf_has_every_section_for_each_population(specialist_user, population):
    client, version = published_plan(population, specialist_user)
    text = text_of(bytes(version.pdf))
    plan = client_plan_for(version)
    assert f"A plan for {client.first_name}" in text
    assert specialist_user.display_name() in text
    assert version.retest_on.strftime("%-d %B %Y") in text
    assert "What we found" in text
    assert plan.stages[0].steps[0].title in text
    assert plan.exercises[0].name.split(" ")[0] in text
    assert "Your weekly checklist" in text
    assert "Stay safe" in text
    pages = len(PdfReader(io.BytesIO(bytes(version.pdf))).pages)
    assert f"page {pages} of {pages}" in text


def test_an_empty_phase_prints_its_note_instead_of_exercises(specialist_user):
    _, version = published_plan("postpartum", specialist_user)
    empty = next(p for p in version.draft["phases"] if not p["exercises"])
    text = " ".join(text_of(specialist_document(version)).split())
    assert f"No exercises in this phase. {empty['note']}" in text


def test_senior_plan_says_not_measured_for_tests_not_taken(specialist_user):
    _, version = published_plan("senior", specialist_user)
    text = text_of(specialist_document(version))
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
    text = text_of(specialist_document(version))
    assert "Craniovertebral angle" in text
    assert "47.5" in text


def test_a_plan_with_progress_charts_embeds_every_font_it_uses(specialist_user, client_record):
    ConsentFactory(client=client_record)
    first = AssessmentFactory(client=client_record, assessed_on=TODAY - timedelta(days=40))
    TechNeck.objects.create(assessment=first, cva_deg=44)
    second = AssessmentFactory(client=client_record, assessed_on=TODAY)
    TechNeck.objects.create(assessment=second, cva_deg=47.5)
    version = services.publish(
        services.generate_program(second, by=specialist_user), by=specialist_user
    )
    reader = PdfReader(io.BytesIO(bytes(version.pdf)))

    fonts = {
        str(font.get_object()["/BaseFont"]): font.get_object()
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert build_plan_document(version).charts
    assert not any("Helvetica" in name for name in fonts)
    for font in fonts.values():
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile" in descriptor


def test_the_plan_gives_the_address_of_its_accessible_portal_page(specialist_user, settings):
    settings.SITE_URL = "https://realign.example.com"
    _, version = published_plan("adult", specialist_user)

    text = " ".join(text_of(bytes(version.pdf)).split())

    assert f"https://realign.example.com/my-plans/{version.pk}/" in text


def test_hostile_client_name_prints_literally(specialist_user):
    client = ClientFactory(specialist=specialist_user, first_name='<b>Ana</b> & "Zoë"')
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


def referred_draft(specialist, client=None):
    """A draft whose client answered yes on the PAR-Q+ with no clearance: a referral is due."""
    client = client or ClientFactory(specialist=specialist, birth_date=add_years(TODAY, -35))
    ConsentFactory(client=client)
    ScreeningFactory(client=client, q1=True, screened_on=TODAY)
    assessment = AssessmentFactory(client=client, assessed_on=TODAY)
    TechNeck.objects.create(assessment=assessment, cva_deg=44.0)
    return services.generate_program(assessment, by=specialist)


def test_the_specialists_report_downloads_with_citations_and_is_never_stored(
    specialist_user, as_user
):
    _, version = published_plan("adult", specialist_user)
    cited = draft_sources(version.draft)

    response = as_user(specialist_user).get(reverse("programs:report", args=[version.pk]))
    pdf = b"".join(response.streaming_content)
    text = " ".join(text_of(pdf).split())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "realign-report-" in response["Content-Disposition"]
    assert cited
    assert all(" ".join(source.lines[0].split())[:50] in text for source in cited)


def test_the_referral_letter_gives_the_reasons_and_the_specialists_contact(
    specialist_user, as_user
):
    specialist_user.email = "maria@northside.example"
    specialist_user.save()
    draft = referred_draft(specialist_user)

    response = as_user(specialist_user).get(reverse("programs:referral_letter", args=[draft.pk]))
    pdf = b"".join(response.streaming_content)
    text = " ".join(text_of(pdf).split())

    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert referral_label("parq_positive") in text
    assert "maria@northside.example" in text
    assert specialist_user.practice.name in text


def test_the_report_of_a_referred_client_gives_the_referral_reasons(specialist_user, as_user):
    draft = referred_draft(specialist_user)

    response = as_user(specialist_user).get(reverse("programs:report", args=[draft.pk]))
    text = " ".join(text_of(b"".join(response.streaming_content)).split())

    assert referral_label("parq_positive") in text
    assert "No clearance recorded yet." in text


def test_there_is_no_referral_letter_when_no_referral_is_required(specialist_user, as_user):
    _, version = published_plan("adult", specialist_user)

    response = as_user(specialist_user).get(reverse("programs:referral_letter", args=[version.pk]))

    assert response.status_code == 404


def test_a_colleague_gets_neither_report_nor_letter_of_a_client_not_theirs(
    specialist_user, colleague, as_user
):
    draft = referred_draft(specialist_user)
    browser = as_user(colleague)

    assert browser.get(reverse("programs:report", args=[draft.pk])).status_code == 404
    assert browser.get(reverse("programs:referral_letter", args=[draft.pk])).status_code == 404


def test_the_program_page_links_the_report_and_the_letter_only_when_referred(
    specialist_user, as_user
):
    browser = as_user(specialist_user)
    referred = referred_draft(specialist_user)
    _, plain = published_plan("adult", specialist_user)

    referred_page = browser.get(reverse("programs:version", args=[referred.pk])).content.decode()
    plain_page = browser.get(reverse("programs:version", args=[plain.pk])).content.decode()

    assert reverse("programs:report", args=[referred.pk]) in referred_page
    assert reverse("programs:referral_letter", args=[referred.pk]) in referred_page
    assert reverse("programs:report", args=[plain.pk]) in plain_page
    assert reverse("programs:referral_letter", args=[plain.pk]) not in plain_page
