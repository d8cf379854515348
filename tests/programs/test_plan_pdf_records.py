"""The plan PDF built from real records, for a client of each population."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from assessments.models import TechNeck
from programs import services, sharing
from programs.client_plans import client_plan_for
from tests.factories import (
    AssessmentFactory,
    ClientFactory,
    ConsentFactory,
    published_program,
)
from tests.pdf_reading import flat_pdf_text, pdf_reader, pdf_text
from tests.programs.drafts import published_plan

TODAY = timezone.localdate()


def test_publishing_freezes_the_plan_pdf(published):
    assert sharing.frozen_pdf(published)
    assert len(published.pdf_sha256) == 64


@pytest.mark.parametrize("population", ["youth", "adult", "senior", "postpartum"])
def test_plan_pdf_has_every_section_for_each_population(specialist_user, population):
    client, version = published_plan(population, specialist_user)
    text = pdf_text(sharing.frozen_pdf(version))
    plan = client_plan_for(version)
    assert f"A plan for {client.first_name}" in text
    assert specialist_user.display_name() in text
    assert version.retest_on.strftime("%-d %B %Y") in text
    assert "What we found" in text
    assert plan.stages[0].steps[0].title in text
    assert plan.exercises[0].name.split(" ")[0] in text
    assert "Your weekly checklist" in text
    assert "Stay safe" in text
    pages = len(pdf_reader(sharing.frozen_pdf(version)).pages)
    assert f"page {pages} of {pages}" in text


def test_postpartum_plan_warns_about_leakage_and_heaviness(specialist_user):
    _, version = published_plan("postpartum", specialist_user)
    assert "leakage, heaviness" in pdf_text(sharing.frozen_pdf(version))


def test_the_plan_of_a_client_assessed_twice_embeds_every_font_it_uses(
    specialist_user, client_record
):
    ConsentFactory(client=client_record)
    first = AssessmentFactory(client=client_record, assessed_on=TODAY - timedelta(days=40))
    TechNeck.objects.create(assessment=first, cva_deg=44)
    second = AssessmentFactory(client=client_record, assessed_on=TODAY)
    TechNeck.objects.create(assessment=second, cva_deg=47.5)
    version = services.publish(
        services.generate_program(second, by=specialist_user), by=specialist_user
    )
    reader = pdf_reader(sharing.frozen_pdf(version))

    fonts = {
        str(font.get_object()["/BaseFont"]): font.get_object()
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
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

    text = flat_pdf_text(sharing.frozen_pdf(version))

    assert f"https://realign.example.com/my-plans/{version.pk}/" in text


def test_hostile_client_name_prints_literally(specialist_user):
    client = ClientFactory(specialist=specialist_user, first_name='<b>Ana</b> & "Zoë"')
    version = published_program(client, specialist_user, cva=46)
    assert '<b>Ana</b> & "Zoë"' in pdf_text(sharing.frozen_pdf(version))


def test_practice_logo_appears_in_the_plan(specialist_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "teal").save(buffer, format="PNG")
    practice = specialist_user.practice
    practice.logo.save("logo.png", ContentFile(buffer.getvalue()))
    _, version = published_plan("adult", specialist_user)
    reader = pdf_reader(sharing.frozen_pdf(version))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 1


def test_gathering_the_plan_data_takes_a_fixed_number_of_queries(
    specialist_user, django_assert_max_num_queries
):
    _, version = published_plan("senior", specialist_user)
    with django_assert_max_num_queries(10):
        client_plan_for(version)


def test_frozen_pdf_is_what_every_channel_serves(specialist_user):
    _, version = published_plan("adult", specialist_user)
    assert sharing.plan_pdf(version) == sharing.frozen_pdf(version)


def test_no_binary_column_shares_a_row_with_other_columns():
    """A file of tens of KB inside a row makes SQLite walk it to read the columns after it."""
    from django.apps import apps
    from django.db.models import BinaryField

    for model in apps.get_models():
        fields = model._meta.concrete_fields
        if any(isinstance(field, BinaryField) for field in fields):
            others = [
                f.name for f in fields if not isinstance(f, BinaryField) and not f.primary_key
            ]
            assert others == [], f"{model._meta.label} keeps a binary column beside {others}"


def test_a_draft_has_no_frozen_pdf(specialist_user):
    client, version = published_plan("adult", specialist_user)
    draft = services.new_version(version, by=specialist_user)
    assert sharing.frozen_pdf(draft) is None
