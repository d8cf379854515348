"""A pain post cannot ask the server for a thousand forms (issue 12, finding 6)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.findings import BODY_REGIONS
from assessments.forms import MAX_PAIN_REPORTS
from tests.factories import AssessmentFactory, ConsentFactory


@pytest.fixture
def assessment(client_record):
    ConsentFactory(client=client_record)
    return AssessmentFactory(client=client_record, assessed_on=timezone.localdate())


def post_pain(user, assessment, total: int, reports: dict[str, str]):
    return user.post(
        reverse("assessments:section", args=[assessment.pk, "pain"]),
        {
            "pain-TOTAL_FORMS": str(total),
            "pain-INITIAL_FORMS": "0",
            "pain-MIN_NUM_FORMS": "0",
            "pain-MAX_NUM_FORMS": "1000",  # the browser's copy is never trusted
            **reports,
        },
    )


def pain_formset(response):
    return next(form for spec, form in response.context["forms"] if spec.key == "pain")


def test_a_post_asking_for_1012_pain_forms_gets_a_form_error_and_builds_no_more_than_the_cap(
    as_user, specialist_user, assessment
):
    response = post_pain(as_user(specialist_user), assessment, 1012, {})

    assert response.status_code == 200
    formset = pain_formset(response)
    assert len(formset.forms) == MAX_PAIN_REPORTS
    assert formset.non_form_errors() == [
        f"An assessment records at most {MAX_PAIN_REPORTS} pain reports (one per body region, "
        "a practice default). Remove one, or describe several tests in one report."
    ]
    assert not assessment.pain_reports.exists()


def test_one_pain_report_per_body_region_is_saved(as_user, specialist_user, assessment):
    reports = {}
    for index, region in enumerate(BODY_REGIONS):
        reports |= {f"pain-{index}-region": region, f"pain-{index}-score": "3"}

    response = post_pain(as_user(specialist_user), assessment, MAX_PAIN_REPORTS, reports)

    assert response.status_code == 302
    assert assessment.pain_reports.count() == len(BODY_REGIONS)
