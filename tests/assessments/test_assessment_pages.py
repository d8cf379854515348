"""Starting an assessment (assessments:create), its findings (detail) and the comparison."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.forms import DATE_IN_FUTURE
from assessments.models import Assessment, TechNeck
from clients.population import add_years
from programs import services
from programs.client_plan import Readiness
from programs.client_plans import client_plan_for
from programs.documents import build_specialist_report
from tests.factories import (
    AssessmentFactory,
    ClearanceFactory,
    ClientFactory,
    ConsentFactory,
    ScreeningFactory,
)
from tests.page_charts import chart_svg


@pytest.fixture
def assessment(consented):
    return AssessmentFactory(client=consented, assessed_on=timezone.localdate())


def save(user_client, assessment, key, data):
    return user_client.post(
        reverse("assessments:section", args=[assessment.pk, key]),
        {f"{key}-{name}": value for name, value in data.items()},
    )


def codes(user_client, assessment) -> list[str]:
    response = user_client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.status_code == 200
    return [f.code for f in response.context["findings"]]


# --- Starting an assessment -----------------------------------------------------------------------


def test_an_assessment_needs_consent_first(as_user, specialist_user, client_record):
    response = as_user(specialist_user).post(
        reverse("assessments:create", args=[client_record.pk]), {"assessed_on": "2026-11-20"}
    )
    assert response.status_code == 200
    assert "informed consent" in response.text
    assert not Assessment.objects.exists()


def test_starting_an_assessment_opens_the_recording_page(as_user, specialist_user, consented):
    response = as_user(specialist_user).post(
        reverse("assessments:create", args=[consented.pk]), {"assessed_on": "2026-11-20"}
    )
    created = Assessment.objects.get()
    assert response["Location"] == reverse("assessments:record", args=[created.pk])
    assert created.specialist == specialist_user


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


# --- Its findings ---------------------------------------------------------------------------------


def test_cva_of_44_degrees_is_shown_as_forward_head_posture(as_user, specialist_user, assessment):
    user = as_user(specialist_user)
    assert save(user, assessment, "tech_neck", {"cva_deg": "44"}).status_code == 302
    response = user.get(reverse("assessments:detail", args=[assessment.pk]))
    finding = next(f for f in response.context["findings"] if f.code == "forward_head_posture")
    assert finding.severity == "moderate"
    assert finding.value == 44
    assert "Forward head posture" in response.text
    assert finding.source in response.text


def test_adult_typical_assessment_shows_its_findings(as_user, specialist_user, assessment):
    user = as_user(specialist_user)
    save(
        user,
        assessment,
        "static_posture",
        {"obs_forward_head": "seen", "obs_rounded_shoulders": "seen"},
    )
    save(user, assessment, "tech_neck", {"cva_deg": "46"})
    save(
        user,
        assessment,
        "overhead_squat",
        {"obs_knees_in": "left", "obs_low_back_arches": "seen", "obs_arms_fall_forward": "seen"},
    )
    found = codes(user, assessment)
    assert "forward_head_posture" in found
    assert "upper_crossed_pattern" in found
    assert "ohs_knees_in" in found
    assert "ohs_low_back_arches" in found
    assert "ohs_arms_fall_forward" in found


def test_overhead_squat_finding_lists_probable_muscles(as_user, specialist_user, assessment):
    user = as_user(specialist_user)
    save(user, assessment, "overhead_squat", {"obs_knees_in": "both"})
    text = user.get(reverse("assessments:detail", args=[assessment.pk])).text
    assert "Probably overactive" in text
    assert "Gluteus medius" in text


def test_senior_typical_assessment_shows_norm_bands_and_fall_risk(as_user, specialist_user):
    today = timezone.localdate()
    senior = ClientFactory(
        specialist=specialist_user,
        sex="female",
        birth_date=add_years(today, -72) - timedelta(days=30),
    )
    ConsentFactory(client=senior)
    assessment = AssessmentFactory(client=senior, assessed_on=today)
    user = as_user(specialist_user)
    page = user.get(reverse("assessments:record", args=[assessment.pk]))
    assert "senior_tests" in [spec.key for spec, _ in page.context["forms"]]
    save(
        user,
        assessment,
        "senior_tests",
        {"chair_stand_30s": "8", "arm_curl_30s": "14", "tug_s": "13.5", "tandem_stance_s": "6"},
    )
    save(user, assessment, "gait", {"deviations": ["shuffling"]})
    response = user.get(reverse("assessments:detail", args=[assessment.pk]))
    found = [f.code for f in response.context["findings"]]
    assert "senior_below_norm_chair_stand_30s" in found
    assert "fall_risk" in found
    assert "senior_below_norm_arm_curl_30s" not in found
    assert "within" in response.text  # the arm curl is shown against its band too


def test_postpartum_typical_assessment_refers_pelvic_floor_symptoms(as_user, specialist_user):
    today = timezone.localdate()
    mother = ClientFactory(
        specialist=specialist_user,
        birth_date=date(1993, 4, 2),
        delivery_date=today - timedelta(weeks=14),
        delivery_type="vaginal",
    )
    ConsentFactory(client=mother)
    assessment = AssessmentFactory(client=mother, assessed_on=today)
    user = as_user(specialist_user)
    save(
        user,
        assessment,
        "postpartum",
        {"ird_umbilicus_cm": "3", "doming": "true", "leakage": "true", "heaviness": "false"},
    )
    response = user.get(reverse("assessments:detail", args=[assessment.pk]))
    found = [f.code for f in response.context["findings"]]
    assert "diastasis_recti" in found
    assert "pelvic_floor_symptoms" in found
    assert "pelvic_floor_symptoms" in response.context["referral"].reasons
    assert "Refer before corrective exercise" in response.text


def test_youth_typical_assessment_computes_maturity_and_refers_growth_pain(
    as_user, specialist_user
):
    today = timezone.localdate()
    youth = ClientFactory(
        specialist=specialist_user,
        sex="female",
        birth_date=add_years(today, -12) - timedelta(days=180),
    )
    ConsentFactory(client=youth)
    assessment = AssessmentFactory(client=youth, assessed_on=today)
    user = as_user(specialist_user)
    save(
        user,
        assessment,
        "youth",
        {"height_cm": "152", "sitting_height_cm": "79", "weight_kg": "42", "growth_pain": ["knee"]},
    )
    response = user.get(reverse("assessments:detail", args=[assessment.pk]))
    found = [f.code for f in response.context["findings"]]
    assert {"youth_pre_phv", "youth_circa_phv", "youth_post_phv"} & set(found)
    assert "growth_related_pain" in found
    assert "growth_related_pain" in response.context["referral"].reasons


def test_pain_during_a_test_is_a_referral_reason(as_user, specialist_user, assessment):
    user = as_user(specialist_user)
    response = user.post(
        reverse("assessments:section", args=[assessment.pk, "pain"]),
        {
            "pain-TOTAL_FORMS": "2",
            "pain-INITIAL_FORMS": "0",
            "pain-MIN_NUM_FORMS": "0",
            "pain-MAX_NUM_FORMS": "12",
            "pain-0-region": "low_back",
            "pain-0-score": "6",
            "pain-0-during": "overhead squat",
        },
    )
    assert response.status_code == 302
    detail = user.get(reverse("assessments:detail", args=[assessment.pk]))
    assert "pain" in [f.code for f in detail.context["findings"]]
    assert "pain" in detail.context["referral"].reasons


def test_colleague_gets_404_on_the_assessment(as_user, colleague, assessment):
    user = as_user(colleague)
    assert user.get(reverse("assessments:detail", args=[assessment.pk])).status_code == 404
    assert user.get(reverse("assessments:record", args=[assessment.pk])).status_code == 404
    assert save(user, assessment, "tech_neck", {"cva_deg": "44"}).status_code == 404
    assert not TechNeck.objects.exists()


def test_assessment_page_query_count_does_not_grow_with_sections(
    as_user, specialist_user, assessment, django_assert_max_num_queries
):
    user = as_user(specialist_user)
    save(user, assessment, "tech_neck", {"cva_deg": "44"})
    save(user, assessment, "overhead_squat", {"obs_knees_in": "left"})
    with django_assert_max_num_queries(12):
        user.get(reverse("assessments:detail", args=[assessment.pk]))


# --- Referral reasons, listed whether or not a clearance covers them ------------------------------


def test_uncleared_parq_yes_is_a_referral_reason_on_the_findings(
    as_user, specialist_user, assessment
):
    ScreeningFactory(client=assessment.client, q1=True, screened_on=date(2026, 11, 1))
    response = as_user(specialist_user).get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.context["referral"].reasons == ("parq_positive",)
    assert "Refer before corrective exercise" in response.text


def test_cleared_parq_yes_is_no_longer_a_referral_reason(as_user, specialist_user, assessment):
    ScreeningFactory(client=assessment.client, q1=True, screened_on=date(2026, 11, 1))
    ClearanceFactory(client=assessment.client, cleared_on=date(2026, 11, 2))
    response = as_user(specialist_user).get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.context["referral"].reasons == ()


def test_clearance_before_the_assessment_does_not_cover_pain_found_in_it(
    as_user, specialist_user, consented
):
    ClearanceFactory(client=consented, cleared_on=date(2026, 10, 1))
    assessment = AssessmentFactory(client=consented, assessed_on=date(2026, 11, 20))
    assessment.pain_reports.create(region="knee", score=4)
    response = as_user(specialist_user).get(reverse("assessments:detail", args=[assessment.pk]))
    assert "pain" in response.context["referral"].reasons


@pytest.fixture
def assessed_in_november(consented):
    """An assessment of 20 November 2026, for clearances dated before and after it."""
    return AssessmentFactory(client=consented, assessed_on=date(2026, 11, 20))


def test_parq_yes_cleared_after_the_assessment_is_listed_as_covered(
    as_user, specialist_user, assessed_in_november
):
    ScreeningFactory(client=assessed_in_november.client, q1=True, screened_on=date(2026, 11, 1))
    ClearanceFactory(client=assessed_in_november.client, cleared_on=date(2026, 11, 25))
    response = as_user(specialist_user).get(
        reverse("assessments:detail", args=[assessed_in_november.pk])
    )
    assert response.context["referral"].reasons == ("parq_positive",)
    assert "covered by a clearance" in response.text
    assert "Refer before corrective exercise" not in response.text


def test_cleared_pain_is_shown_the_same_way_as_a_cleared_parq_yes(
    as_user, specialist_user, assessed_in_november
):
    assessed_in_november.pain_reports.create(region="knee", score=4)
    ClearanceFactory(client=assessed_in_november.client, cleared_on=date(2026, 11, 25))
    response = as_user(specialist_user).get(
        reverse("assessments:detail", args=[assessed_in_november.pk])
    )
    assert response.context["referral"].reasons == ("pain",)
    assert "covered by a clearance" in response.text


def test_uncleared_pain_asks_for_a_referral(as_user, specialist_user, assessed_in_november):
    assessed_in_november.pain_reports.create(region="knee", score=4)
    response = as_user(specialist_user).get(
        reverse("assessments:detail", args=[assessed_in_november.pk])
    )
    assert "Refer before corrective exercise" in response.text


def test_plan_of_a_parq_yes_cleared_on_the_assessment_day_names_it_as_discussed(
    specialist_user, assessed_in_november
):
    ScreeningFactory(client=assessed_in_november.client, q1=True, screened_on=date(2026, 11, 1))
    ClearanceFactory(
        client=assessed_in_november.client, cleared_on=assessed_in_november.assessed_on
    )
    version = services.generate_program(assessed_in_november, by=specialist_user)
    assert version.draft["referral"]["reasons"] == ["parq_positive"]
    assert version.draft["publishable"] is True
    referral = build_specialist_report(version, today=assessed_in_november.assessed_on).referral
    assert referral.cleared.startswith("Cleared by ")
    assert referral.reasons == ("PAR-Q+ answered yes",)
    assert client_plan_for(version).before.state == Readiness.CLEARED


def test_parq_yes_settled_before_the_assessment_is_not_a_reason_of_it(
    specialist_user, assessed_in_november
):
    ScreeningFactory(client=assessed_in_november.client, q1=True, screened_on=date(2026, 11, 1))
    ClearanceFactory(client=assessed_in_november.client, cleared_on=date(2026, 11, 19))
    version = services.generate_program(assessed_in_november, by=specialist_user)
    assert version.draft["referral"]["reasons"] == []


# --- The comparison -------------------------------------------------------------------------------


def test_comparison_shows_the_change_and_a_chart(as_user, specialist_user, consented):
    before = AssessmentFactory(client=consented, assessed_on=date(2026, 9, 1))
    after = AssessmentFactory(client=consented, assessed_on=date(2026, 11, 1))
    TechNeck.objects.create(assessment=before, cva_deg=44)
    TechNeck.objects.create(assessment=after, cva_deg=48.5)
    response = as_user(specialist_user).get(reverse("assessments:compare", args=[consented.pk]))
    row = next(r for r in response.context["rows"] if r.key == "cva_deg")
    assert (row.before, row.after, row.change, row.direction) == (44, 48.5, 4.5, "better")
    assert "48.5" in chart_svg(response, "Craniovertebral angle")
