"""Recording assessments through the web forms, and reading what they mean."""

import base64
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, TechNeck
from clients.population import add_years
from tests.factories import (
    AssessmentFactory,
    ClearanceFactory,
    ClientFactory,
    ConsentFactory,
    ScreeningFactory,
)


@pytest.fixture
def consented(client_record):
    ConsentFactory(client=client_record)
    return client_record


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


def chart_svg(response, title: str) -> str:
    """The SVG document of the page's chart with that title, decoded from its data URI."""
    match = re.search(
        r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="' + re.escape(title),
        response.text,
    )
    assert match, f"no chart titled {title!r}"
    return base64.b64decode(match.group(1)).decode()


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


def test_adult_sees_adult_sections_by_default(as_user, specialist_user, assessment):
    response = as_user(specialist_user).get(reverse("assessments:record", args=[assessment.pk]))
    shown = [spec.key for spec, _ in response.context["forms"]]
    assert "tech_neck" in shown
    assert "senior_tests" not in shown
    assert "senior_tests" in [spec.key for spec in response.context["others"]]


def test_any_other_section_can_be_added(as_user, specialist_user, assessment):
    response = as_user(specialist_user).get(
        reverse("assessments:record", args=[assessment.pk]), {"add": "senior_tests"}
    )
    assert "senior_tests" in [spec.key for spec, _ in response.context["forms"]]


def test_the_cva_field_shows_how_to_measure_it(as_user, specialist_user, assessment):
    text = as_user(specialist_user).get(reverse("assessments:record", args=[assessment.pk])).text
    assert "tragus" in text
    assert "degrees" in text


def test_cva_of_44_degrees_is_shown_as_forward_head_posture(as_user, specialist_user, assessment):
    user = as_user(specialist_user)
    assert save(user, assessment, "tech_neck", {"cva_deg": "44"}).status_code == 302
    response = user.get(reverse("assessments:detail", args=[assessment.pk]))
    finding = next(f for f in response.context["findings"] if f.code == "forward_head_posture")
    assert finding.severity == "moderate"
    assert finding.value == 44
    assert "Forward head posture" in response.text
    assert finding.source in response.text


def test_out_of_range_cva_is_refused_at_its_field_and_other_values_are_kept(
    as_user, specialist_user, assessment
):
    response = save(
        as_user(specialist_user),
        assessment,
        "tech_neck",
        {"cva_deg": "120", "wall_distance_cm": "12.5", "screen_hours_per_day": "6"},
    )
    assert response.status_code == 200
    errors = next(f for s, f in response.context["forms"] if s.key == "tech_neck").errors
    assert errors == {"cva_deg": ["Enter a value between 20 and 80 degrees."]}
    assert 'value="12.5"' in response.text
    assert not TechNeck.objects.exists()


@pytest.mark.parametrize("junk", ["abc", "4,5,6", "1e999", "nan", "-inf", "44°"])
def test_malformed_numbers_are_field_errors_not_crashes(as_user, specialist_user, assessment, junk):
    response = save(as_user(specialist_user), assessment, "tech_neck", {"cva_deg": junk})
    assert response.status_code == 200
    errors = next(f for s, f in response.context["forms"] if s.key == "tech_neck").errors
    assert "cva_deg" in errors


def test_a_saved_section_keeps_other_sections(as_user, specialist_user, assessment):
    user = as_user(specialist_user)
    save(user, assessment, "tech_neck", {"cva_deg": "47"})
    save(
        user,
        assessment,
        "pelvic_tilt",
        {"pelvic_tilt_left_deg": "12", "pelvic_tilt_right_deg": "11"},
    )
    assessment.refresh_from_db()
    assert assessment.tech_neck.cva_deg == 47
    assert assessment.pelvic_tilt.pelvic_tilt_left_deg == 12


def test_a_failed_section_save_keeps_the_saved_sections(as_user, specialist_user, assessment):
    user = as_user(specialist_user)
    save(user, assessment, "tech_neck", {"cva_deg": "47"})
    save(user, assessment, "pelvic_tilt", {"pelvic_tilt_left_deg": "400"})
    assessment.refresh_from_db()
    assert assessment.tech_neck.cva_deg == 47


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


def test_unanswered_postpartum_symptom_stays_unknown(as_user, specialist_user, assessment):
    save(as_user(specialist_user), assessment, "postpartum", {"ird_umbilicus_cm": "1.5"})
    assessment.refresh_from_db()
    assert assessment.postpartum.leakage is None


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


def test_sitting_height_must_be_below_standing_height(as_user, specialist_user, assessment):
    response = save(
        as_user(specialist_user),
        assessment,
        "youth",
        {"height_cm": "110", "sitting_height_cm": "111"},
    )
    errors = next(f for s, f in response.context["forms"] if s.key == "youth").errors
    assert errors == {"sitting_height_cm": ["Sitting height must be less than standing height."]}


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


def test_pain_score_above_10_is_refused(as_user, specialist_user, assessment):
    response = as_user(specialist_user).post(
        reverse("assessments:section", args=[assessment.pk, "pain"]),
        {
            "pain-TOTAL_FORMS": "1",
            "pain-INITIAL_FORMS": "0",
            "pain-MIN_NUM_FORMS": "0",
            "pain-MAX_NUM_FORMS": "12",
            "pain-0-region": "knee",
            "pain-0-score": "11",
        },
    )
    assert response.status_code == 200
    assert "between 0 and 10" in response.text
    assert not assessment.pain_reports.exists()


def test_colleague_gets_404_on_the_assessment(as_user, colleague, assessment):
    user = as_user(colleague)
    assert user.get(reverse("assessments:detail", args=[assessment.pk])).status_code == 404
    assert user.get(reverse("assessments:record", args=[assessment.pk])).status_code == 404
    assert save(user, assessment, "tech_neck", {"cva_deg": "44"}).status_code == 404
    assert not TechNeck.objects.exists()


def test_comparison_shows_the_change_and_a_chart(as_user, specialist_user, consented):
    before = AssessmentFactory(client=consented, assessed_on=date(2026, 9, 1))
    after = AssessmentFactory(client=consented, assessed_on=date(2026, 11, 1))
    TechNeck.objects.create(assessment=before, cva_deg=44)
    TechNeck.objects.create(assessment=after, cva_deg=48.5)
    response = as_user(specialist_user).get(reverse("assessments:compare", args=[consented.pk]))
    row = next(r for r in response.context["rows"] if r.key == "cva_deg")
    assert (row.before, row.after, row.change, row.direction) == (44, 48.5, 4.5, "better")
    assert "48.5" in chart_svg(response, "Craniovertebral angle")


def test_client_page_lists_assessments_with_a_progress_chart(as_user, specialist_user, consented):
    for day, cva in ((date(2026, 9, 1), 44), (date(2026, 11, 1), 47)):
        TechNeck.objects.create(
            assessment=AssessmentFactory(client=consented, assessed_on=day), cva_deg=cva
        )
    response = as_user(specialist_user).get(reverse("clients:detail", args=[consented.pk]))
    assert "1 Sep 2026" in response.text
    svg = chart_svg(response, "Craniovertebral angle")
    assert "<svg" in svg
    assert "47" in svg


def test_assessment_page_query_count_does_not_grow_with_sections(
    as_user, specialist_user, assessment, django_assert_max_num_queries
):
    user = as_user(specialist_user)
    save(user, assessment, "tech_neck", {"cva_deg": "44"})
    save(user, assessment, "overhead_squat", {"obs_knees_in": "left"})
    with django_assert_max_num_queries(12):
        user.get(reverse("assessments:detail", args=[assessment.pk]))


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
