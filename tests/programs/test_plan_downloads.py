"""The specialist's downloads: the plan (programs:download), the report and the referral letter."""

import re

from django.urls import reverse

from assessments.labels import referral_label
from programs.bibliography import draft_sources
from programs.models import Download
from tests.factories import (
    ClientFactory,
    published_program,
)
from tests.pdf_reading import flat_pdf_text, pdf_reader, pdf_text
from tests.programs.drafts import published_plan, referred_draft


def test_specialist_downloads_the_plan(as_user, specialist_user, published):
    response = as_user(specialist_user).get(reverse("programs:download", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "A plan for Ana" in pdf_text(response)
    assert Download.objects.get().channel == "specialist"


def test_download_headers_name_the_client_safely_and_forbid_caching(as_user, specialist_user):
    hostile = ClientFactory(
        specialist=specialist_user, first_name='Zoë "x"\r\n;', last_name="../../etc/passwd"
    )
    version = published_program(hostile, specialist_user)
    response = as_user(specialist_user).get(reverse("programs:download", args=[version.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.fullmatch(r'attachment; filename="realign-plan-[a-z0-9-]+-v1\.pdf"', disposition)
    assert "zoe" in disposition
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_specialists_report_downloads_with_citations_and_is_never_stored(
    specialist_user, as_user
):
    _, version = published_plan("adult", specialist_user)
    cited = draft_sources(version.draft)

    response = as_user(specialist_user).get(reverse("programs:report", args=[version.pk]))
    pdf = b"".join(response.streaming_content)
    text = flat_pdf_text(pdf)

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
    text = flat_pdf_text(pdf)

    assert response.status_code == 200
    assert len(pdf_reader(pdf).pages) == 1
    assert referral_label("parq_positive") in text
    assert "maria@northside.example" in text
    assert specialist_user.practice.name in text


def test_the_report_of_a_referred_client_gives_the_referral_reasons(specialist_user, as_user):
    draft = referred_draft(specialist_user)

    response = as_user(specialist_user).get(reverse("programs:report", args=[draft.pk]))
    text = flat_pdf_text(response)

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
