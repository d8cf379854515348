"""Each section's badge says what is true: saved, not recorded, or not saved (errors or a
conflict); a section shown again after a refused save is never badged "Saved"."""

import re

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from assessments.models import TechNeck
from assessments.sections import CONFLICT, HAS_ERRORS, NOT_RECORDED, SAVED
from tests.factories import AssessmentFactory, ConsentFactory


@pytest.fixture
def assessment(client_record):
    ConsentFactory(client=client_record)
    return AssessmentFactory(client=client_record, assessed_on=timezone.localdate())


def badge(response, key: str) -> str:
    """The text of a section's badge on the page."""
    section = re.search(
        rf'<section[^>]*id="section-{key}".*?<span class="badge[^"]*"[^>]*>([^<]*)</span>',
        response.content.decode(),
        re.S,
    )
    assert section, f"no badge for {key}"
    return section.group(1)


def post(browser, assessment, key, data, version=None):
    return browser.post(
        reverse("assessments:section", args=[assessment.pk, key]),
        {"lock_version": assessment.lock_version if version is None else version}
        | {f"{key}-{name}": value for name, value in data.items()},
    )


def test_a_saved_section_with_a_refused_change_is_badged_not_saved(
    as_user, specialist_user, assessment
):
    TechNeck.objects.create(assessment=assessment, cva_deg=46)
    response = post(as_user(specialist_user), assessment, "tech_neck", {"cva_deg": "400"})
    assert response.status_code == 200
    assert badge(response, "tech_neck") == HAS_ERRORS.label


def test_a_new_section_with_errors_is_badged_not_saved(as_user, specialist_user, assessment):
    response = post(as_user(specialist_user), assessment, "tech_neck", {"cva_deg": "400"})
    assert badge(response, "tech_neck") == HAS_ERRORS.label


def test_a_stale_save_is_badged_as_a_conflict_not_saved(
    as_user, owner, specialist_user, assessment
):
    loaded_at = assessment.lock_version
    first = Browser()
    first.force_login(owner)
    post(first, assessment, "tech_neck", {"cva_deg": "46"}, version=loaded_at)
    response = post(
        as_user(specialist_user), assessment, "tech_neck", {"cva_deg": "44"}, version=loaded_at
    )
    assert response.status_code == 409
    assert badge(response, "tech_neck") == CONFLICT.label


def test_the_other_sections_keep_their_own_badges_beside_a_refused_one(
    as_user, specialist_user, assessment
):
    TechNeck.objects.create(assessment=assessment, cva_deg=46)
    response = post(
        as_user(specialist_user), assessment, "pelvic_tilt", {"pelvic_tilt_left_deg": "90"}
    )
    assert badge(response, "pelvic_tilt") == HAS_ERRORS.label
    assert badge(response, "tech_neck") == SAVED.label
    assert badge(response, "static_posture") == NOT_RECORDED.label


def test_a_saved_section_is_badged_saved(as_user, specialist_user, assessment):
    browser = as_user(specialist_user)
    post(browser, assessment, "tech_neck", {"cva_deg": "46"})
    page = browser.get(reverse("assessments:record", args=[assessment.pk]))
    assert badge(page, "tech_neck") == SAVED.label
