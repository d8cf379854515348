"""/api/v1/assessments/: start an assessment, record its sections through the pages' forms
(their ranges and messages), the lock_version's 409, and the findings."""

from django.urls import reverse
from django.utils import timezone

from assessments.forms import MAX_PAIN_REPORTS
from assessments.measures import range_error
from assessments.models import Assessment, TechNeck
from tests.factories import ClientFactory, TechNeckFactory

JSON = "application/json"


def section_url(assessment, key):
    return reverse(f"api:assessment-section-{key}", args=[assessment.pk])


def test_an_assessment_starts_once_consent_is_recorded(api, consented, specialist_user):
    response = api.post(
        reverse("api:client-assessments", args=[consented.pk]),
        {"assessed_on": str(timezone.localdate()), "notes": "First visit"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    created = Assessment.objects.get(pk=response.json()["id"])
    assert (created.client, created.specialist) == (consented, specialist_user)
    assert created.history.first().history_user == specialist_user


def test_without_consent_an_assessment_is_refused_saying_why(api, client_record):
    response = api.post(
        reverse("api:client-assessments", args=[client_record.pk]),
        {"assessed_on": str(timezone.localdate())},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "informed consent" in response.json()["non_field_errors"][0]
    assert not Assessment.objects.exists()


def test_an_assessment_date_in_the_future_is_refused_at_the_date(api, consented):
    response = api.post(
        reverse("api:client-assessments", args=[consented.pk]),
        {"assessed_on": "2999-01-01"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert list(response.json()) == ["assessed_on"]


def test_the_clients_assessments_are_listed_newest_first(api, assessment_of_today):
    body = api.get(reverse("api:client-assessments", args=[assessment_of_today.client_id])).json()
    assert [row["id"] for row in body["results"]] == [assessment_of_today.pk]
    assert body["results"][0]["recorded_sections"] == []


def test_a_section_is_recorded_in_its_stored_unit(api, assessment_of_today, specialist_user):
    response = api.put(
        section_url(assessment_of_today, "tech_neck"),
        {"cva_deg": 44, "wall_distance_cm": 12.5},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    saved = TechNeck.objects.get(assessment=assessment_of_today)
    assert (saved.cva_deg, saved.wall_distance_cm, saved.screen_hours_per_day) == (44, 12.5, None)
    assert response.json()["recorded"] is True
    assert saved.history.first().history_user == specialist_user


def test_a_value_out_of_range_is_refused_with_the_pages_message(api, assessment_of_today):
    response = api.put(
        section_url(assessment_of_today, "tech_neck"), {"cva_deg": 5}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json() == {"cva_deg": [range_error("cva_deg", 5)]}
    assert not TechNeck.objects.exists()


def test_a_patch_keeps_the_sections_other_values(api, assessment_of_today):
    TechNeckFactory(assessment=assessment_of_today, cva_deg=44, wall_distance_cm=12)
    response = api.patch(
        section_url(assessment_of_today, "tech_neck"),
        {"screen_hours_per_day": 6},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["cva_deg"], body["wall_distance_cm"], body["screen_hours_per_day"]) == (44, 12, 6)


def test_a_stale_lock_version_is_409_and_saves_nothing(api, assessment_of_today):
    read = api.get(section_url(assessment_of_today, "pelvic_tilt")).json()
    first = api.put(
        section_url(assessment_of_today, "pelvic_tilt"),
        {"pelvic_tilt_left_deg": 12, "lock_version": read["lock_version"]},
        content_type=JSON,
    )
    assert first.status_code == 200
    second = api.put(
        section_url(assessment_of_today, "pelvic_tilt"),
        {"pelvic_tilt_left_deg": 20, "lock_version": read["lock_version"]},
        content_type=JSON,
    )
    assert second.status_code == 409
    assert "detail" in second.json()
    assert (
        api.get(section_url(assessment_of_today, "pelvic_tilt")).json()["pelvic_tilt_left_deg"]
        == 12
    )


def test_observations_are_saved_with_their_side(api, assessment_of_today):
    response = api.put(
        section_url(assessment_of_today, "overhead_squat"),
        {"observations": [{"code": "knees_in", "side": "left"}], "notes": "tired"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["observations"] == [{"code": "knees_in", "side": "left"}]


def test_an_observation_seen_on_a_side_needs_the_side(api, assessment_of_today):
    response = api.put(
        section_url(assessment_of_today, "overhead_squat"),
        {"observations": [{"code": "knees_in", "side": None}]},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json() == {
        "observations": ["knees_in: give the side it was seen on: left, right or both."]
    }


def test_an_unknown_observation_code_is_refused_at_its_place(api, assessment_of_today):
    response = api.put(
        section_url(assessment_of_today, "static_posture"),
        {"observations": [{"code": "no_such_thing"}]},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "observations" in response.json()


def test_postpartum_questions_keep_not_asked_apart_from_no(api, assessment_of_today):
    response = api.put(
        section_url(assessment_of_today, "postpartum"),
        {"ird_umbilicus_cm": 2.5, "doming": True, "leakage": False},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["doming"], body["leakage"], body["heaviness"]) == (True, False, None)


def test_pain_reports_replace_the_list(api, assessment_of_today):
    url = section_url(assessment_of_today, "pain")
    two = [{"region": "knee", "score": 3, "during": "squat"}, {"region": "neck", "score": 2}]
    assert api.put(url, {"reports": two}, content_type=JSON).status_code == 200
    one = [{"region": "hip", "score": 6, "during": "gait"}]
    response = api.put(url, {"reports": one}, content_type=JSON)
    assert response.status_code == 200, response.json()
    assert response.json()["reports"] == one
    assert assessment_of_today.pain_reports.count() == 1


def test_a_pain_score_out_of_range_is_refused_at_its_row(api, assessment_of_today):
    reports = [{"region": "knee", "score": 3}, {"region": "neck", "score": 11}]
    response = api.put(
        section_url(assessment_of_today, "pain"), {"reports": reports}, content_type=JSON
    )
    assert response.status_code == 400
    assert list(response.json()["reports"]) == ["1"]
    assert list(response.json()["reports"]["1"]) == ["score"]


def test_too_many_pain_reports_are_refused_with_the_pages_message(api, assessment_of_today):
    reports = [{"region": "knee", "score": 1}] * (MAX_PAIN_REPORTS + 1)
    response = api.put(
        section_url(assessment_of_today, "pain"), {"reports": reports}, content_type=JSON
    )
    assert response.status_code == 400
    assert "at most" in response.json()["reports"][0]


def test_youth_sitting_height_above_standing_height_is_refused_at_it(api, assessment_of_today):
    response = api.put(
        section_url(assessment_of_today, "youth"),
        {"height_cm": 150, "sitting_height_cm": 160, "growth_pain": ["knee"]},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert list(response.json()) == ["sitting_height_cm"]


def test_findings_read_the_saved_sections(api, assessment_of_today):
    TechNeckFactory(assessment=assessment_of_today, cva_deg=44)
    body = api.get(reverse("api:assessment-findings", args=[assessment_of_today.pk])).json()
    codes = [finding["code"] for finding in body["findings"]]
    assert "forward_head_posture" in codes
    assert body["referral"]["required"] is False


def test_another_specialists_assessment_is_404(api, colleague):
    other = ClientFactory(specialist=colleague, practice=colleague.practice)
    assessment = Assessment.objects.create(
        client=other, specialist=colleague, assessed_on=timezone.localdate()
    )
    assert api.get(section_url(assessment, "tech_neck")).status_code == 404
    assert api.put(section_url(assessment, "tech_neck"), {}, content_type=JSON).status_code == 404
    assert not TechNeck.objects.exists()


def test_the_schema_documents_the_errors_a_section_write_may_answer(client, db):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    put = schema["paths"]["/api/v1/assessments/{id}/sections/tech_neck/"]["put"]
    assert {"200", "400", "401", "403", "404", "409", "429"} <= set(put["responses"])
    read = schema["paths"]["/api/v1/assessments/{id}/findings/"]["get"]
    assert "409" not in read["responses"]
    assert "400" not in read["responses"]
