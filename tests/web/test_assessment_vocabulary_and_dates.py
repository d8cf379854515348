"""The web forms keep to the case format: body regions from its closed vocabulary, no future
assessment date, and referral reasons listed whether or not a clearance covers them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.findings import BODY_REGIONS
from assessments.forms import DATE_IN_FUTURE
from assessments.models import Assessment
from programs import services
from programs.documents import build_plan_document
from tests.factories import AssessmentFactory, ClearanceFactory, ConsentFactory, ScreeningFactory


@pytest.fixture
def consented(client_record):
    ConsentFactory(client=client_record)
    return client_record


@pytest.fixture
def assessment(consented):
    return AssessmentFactory(client=consented, assessed_on=date(2026, 11, 20))


def post_pain(user, assessment, region):
    return user.post(
        reverse("assessments:section", args=[assessment.pk, "pain"]),
        {
            "pain-TOTAL_FORMS": "1",
            "pain-INITIAL_FORMS": "0",
            "pain-MIN_NUM_FORMS": "0",
            "pain-MAX_NUM_FORMS": "12",
            "pain-0-region": region,
            "pain-0-score": "4",
            "pain-0-during": "overhead squat",
        },
    )


def post_growth_pain(user, assessment, *regions):
    return user.post(
        reverse("assessments:section", args=[assessment.pk, "youth"]),
        {"youth-height_cm": "150", "youth-growth_pain": list(regions)},
    )


def form_errors(response, key):
    return next(form for section, form in response.context["forms"] if section.key == key).errors


# --- Body regions ---------------------------------------------------------------------------------


def test_pain_region_is_a_select_of_the_body_region_vocabulary(
    as_user, specialist_user, assessment
):
    response = as_user(specialist_user).get(reverse("assessments:record", args=[assessment.pk]))
    for region in BODY_REGIONS:
        assert f'<option value="{region}"' in response.text


@pytest.mark.parametrize("region", ["cervical", "banana"])
def test_pain_region_outside_the_vocabulary_is_refused_at_its_field(
    as_user, specialist_user, assessment, region
):
    response = post_pain(as_user(specialist_user), assessment, region)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not assessment.pain_reports.exists()


def test_neck_pain_is_saved_with_its_region_id(as_user, specialist_user, assessment):
    assert post_pain(as_user(specialist_user), assessment, "neck").status_code == 302
    assert assessment.pain_reports.get().region == "neck"


def test_growth_pain_outside_the_vocabulary_is_refused_at_its_field(
    as_user, specialist_user, assessment
):
    response = post_growth_pain(as_user(specialist_user), assessment, "knee", "back")
    assert response.status_code == 200
    assert list(form_errors(response, "youth")) == ["growth_pain"]


def test_growth_pain_in_the_heel_is_saved(as_user, specialist_user, assessment):
    post_growth_pain(as_user(specialist_user), assessment, "heel")
    assert Assessment.objects.get(pk=assessment.pk).youth.growth_pain == ["heel"]


# --- The assessment date --------------------------------------------------------------------------


def test_an_assessment_dated_tomorrow_is_refused_at_its_field(as_user, specialist_user, consented):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = as_user(specialist_user).post(
        reverse("assessments:create", args=[consented.pk]), {"assessed_on": tomorrow.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"assessed_on": [DATE_IN_FUTURE]}
    assert not Assessment.objects.exists()


def test_an_assessment_dated_today_is_saved(as_user, specialist_user, consented):
    today = timezone.localdate()
    as_user(specialist_user).post(
        reverse("assessments:create", args=[consented.pk]), {"assessed_on": today.isoformat()}
    )
    assert Assessment.objects.get().assessed_on == today


# --- Referral reasons stay listed once cleared ----------------------------------------------------


def test_parq_yes_cleared_after_the_assessment_is_listed_as_covered(
    as_user, specialist_user, assessment
):
    ScreeningFactory(client=assessment.client, q1=True, screened_on=date(2026, 11, 1))
    ClearanceFactory(client=assessment.client, cleared_on=date(2026, 11, 25))
    response = as_user(specialist_user).get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.context["referral"].reasons == ("parq_positive",)
    assert "covered by a clearance" in response.text
    assert "Refer before corrective exercise" not in response.text


def test_cleared_pain_is_shown_the_same_way_as_a_cleared_parq_yes(
    as_user, specialist_user, assessment
):
    assessment.pain_reports.create(region="knee", score=4)
    ClearanceFactory(client=assessment.client, cleared_on=date(2026, 11, 25))
    response = as_user(specialist_user).get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.context["referral"].reasons == ("pain",)
    assert "covered by a clearance" in response.text


def test_uncleared_pain_asks_for_a_referral(as_user, specialist_user, assessment):
    assessment.pain_reports.create(region="knee", score=4)
    response = as_user(specialist_user).get(reverse("assessments:detail", args=[assessment.pk]))
    assert "Refer before corrective exercise" in response.text


def test_plan_of_a_parq_yes_cleared_on_the_assessment_day_names_it_as_discussed(
    specialist_user, assessment
):
    ScreeningFactory(client=assessment.client, q1=True, screened_on=date(2026, 11, 1))
    ClearanceFactory(client=assessment.client, cleared_on=assessment.assessed_on)
    version = services.generate_program(assessment, by=specialist_user)
    assert version.draft["referral"]["reasons"] == ["parq_positive"]
    assert version.draft["publishable"] is True
    screening = build_plan_document(version).screening
    assert screening.cleared
    assert "What was discussed: PAR-Q+ answered yes." in screening.lines


def test_parq_yes_settled_before_the_assessment_is_not_a_reason_of_it(specialist_user, assessment):
    ScreeningFactory(client=assessment.client, q1=True, screened_on=date(2026, 11, 1))
    ClearanceFactory(client=assessment.client, cleared_on=date(2026, 11, 19))
    version = services.generate_program(assessment, by=specialist_user)
    assert version.draft["referral"]["reasons"] == []
