"""The recording page (assessments:record) and its section saves (assessments:section)."""

import re

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from assessments.findings import BODY_REGIONS
from assessments.models import Assessment, Postpartum, TechNeck, Youth
from assessments.sections import CONFLICT, HAS_ERRORS, NOT_RECORDED, SAVED
from tests.factories import AssessmentFactory


@pytest.fixture
def assessment(consented):
    return AssessmentFactory(client=consented, assessed_on=timezone.localdate())


def save(user_client, assessment, key, data):
    """Save a section without the version it was loaded at (no conflict check)."""
    return user_client.post(
        reverse("assessments:section", args=[assessment.pk, key]),
        {f"{key}-{name}": value for name, value in data.items()},
    )


def save_loaded(browser, assessment, key, data, version=None):
    """Save a section as the page does: with the version loaded (the assessment's unless given)."""
    return browser.post(
        reverse("assessments:section", args=[assessment.pk, key]),
        {"lock_version": assessment.lock_version if version is None else version}
        | {f"{key}-{name}": value for name, value in data.items()},
    )


def errors_of(response, key):
    return next(form for spec, form in response.context["forms"] if spec.key == key).errors


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


def badge(response, key: str) -> str:
    """The text of a section's badge on the page."""
    section = re.search(
        rf'<section[^>]*id="section-{key}".*?<span class="badge[^"]*"[^>]*>([^<]*)</span>',
        response.content.decode(),
        re.S,
    )
    assert section, f"no badge for {key}"
    return section.group(1)


@pytest.fixture
def us_practice(specialist_user):
    practice = specialist_user.membership.practice
    practice.unit_system = "us"
    practice.save()
    return practice


def unit_selector(text, name):
    start = text.index(f'name="{name}_unit"')
    return text[start : text.index("</select>", start)]


# --- The page: its sections and how each field is measured ----------------------------------------


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


def test_pain_region_is_a_select_of_the_body_region_vocabulary(
    as_user, specialist_user, assessment
):
    response = as_user(specialist_user).get(reverse("assessments:record", args=[assessment.pk]))
    for region in BODY_REGIONS:
        assert f'<option value="{region}"' in response.text


def test_a_us_practice_is_offered_inches_first_for_an_empty_measure(
    as_user, specialist_user, assessment, us_practice
):
    page = as_user(specialist_user).get(
        reverse("assessments:record", args=[assessment.pk]), {"add": "youth"}
    )
    assert '<option value="in" selected>' in unit_selector(page.text, "youth-height_cm")
    assert '<option value="lb" selected>' in unit_selector(page.text, "youth-weight_kg")


def test_a_saved_measure_shows_in_the_unit_it_is_kept_in(
    as_user, specialist_user, assessment, us_practice
):
    TechNeck.objects.create(assessment=assessment, wall_distance_cm=45.72)
    page = as_user(specialist_user).get(reverse("assessments:record", args=[assessment.pk]))
    # Never converted back and forth: saving it again unchanged stores the same value.
    assert 'name="tech_neck-wall_distance_cm" value="45.72"' in page.text
    assert '<option value="cm" selected>' in unit_selector(page.text, "tech_neck-wall_distance_cm")


def test_the_unit_selector_is_labelled_for_its_measure(as_user, specialist_user, assessment):
    page = as_user(specialist_user).get(reverse("assessments:record", args=[assessment.pk]))
    assert 'aria-label="Unit of tragus-to-wall distance"' in page.content.decode()


# --- Saving a section: values kept, errors at their fields ----------------------------------------


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


def test_unanswered_postpartum_symptom_stays_unknown(as_user, specialist_user, assessment):
    save(as_user(specialist_user), assessment, "postpartum", {"ird_umbilicus_cm": "1.5"})
    assessment.refresh_from_db()
    assert assessment.postpartum.leakage is None


def test_sitting_height_must_be_below_standing_height(as_user, specialist_user, assessment):
    response = save(
        as_user(specialist_user),
        assessment,
        "youth",
        {"height_cm": "110", "sitting_height_cm": "111"},
    )
    errors = next(f for s, f in response.context["forms"] if s.key == "youth").errors
    assert errors == {"sitting_height_cm": ["Sitting height must be less than standing height."]}


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


# --- Body regions from the case format's closed vocabulary ----------------------------------------


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
    assert list(errors_of(response, "youth")) == ["growth_pain"]


def test_growth_pain_in_the_heel_is_saved(as_user, specialist_user, assessment):
    post_growth_pain(as_user(specialist_user), assessment, "heel")
    assert Assessment.objects.get(pk=assessment.pk).youth.growth_pain == ["heel"]


# --- Units: entered as the specialist measures, stored once in the measure's own ------------------


def test_two_finger_widths_of_diastasis_are_stored_as_two_centimetres(
    as_user, specialist_user, assessment
):
    response = save_loaded(
        as_user(specialist_user),
        assessment,
        "postpartum",
        {"ird_umbilicus_cm": "2", "ird_umbilicus_cm_unit": "fw"},
    )
    assert response.status_code == 302
    assert Postpartum.objects.get(assessment=assessment).ird_umbilicus_cm == 2.0


def test_the_upper_limit_in_inches_is_accepted_and_stored_in_centimetres(
    as_user, specialist_user, assessment
):
    response = save_loaded(
        as_user(specialist_user),
        assessment,
        "tech_neck",
        {"wall_distance_cm": "19.6", "wall_distance_cm_unit": "in"},
    )
    assert response.status_code == 302
    assert TechNeck.objects.get(assessment=assessment).wall_distance_cm == 49.78


def test_one_inch_above_the_limit_is_refused_in_inches_and_kept_in_inches(
    as_user, specialist_user, assessment
):
    response = save_loaded(
        as_user(specialist_user),
        assessment,
        "tech_neck",
        {"wall_distance_cm": "20.6", "wall_distance_cm_unit": "in"},
    )
    assert errors_of(response, "tech_neck") == {
        "wall_distance_cm": ["Enter a value between 2 and 19.6 in."]
    }
    assert 'value="20.6"' in response.text
    assert '<option value="in" selected>' in response.text
    assert not TechNeck.objects.exists()


def test_pounds_and_inches_of_a_young_athlete_are_stored_metric(
    as_user, specialist_user, assessment
):
    save_loaded(
        as_user(specialist_user),
        assessment,
        "youth",
        {
            "height_cm": "60",
            "height_cm_unit": "in",
            "sitting_height_cm": "31",
            "sitting_height_cm_unit": "in",
            "weight_kg": "110",
            "weight_kg_unit": "lb",
        },
    )
    youth = Youth.objects.get(assessment=assessment)
    assert (youth.height_cm, youth.sitting_height_cm, youth.weight_kg) == (152.4, 78.74, 49.9)


def test_a_value_sent_without_a_unit_is_in_the_stored_unit(as_user, specialist_user, assessment):
    save_loaded(as_user(specialist_user), assessment, "tech_neck", {"wall_distance_cm": "12"})
    assert TechNeck.objects.get(assessment=assessment).wall_distance_cm == 12


def test_a_unit_that_is_not_offered_is_refused_at_its_field(as_user, specialist_user, assessment):
    response = save_loaded(
        as_user(specialist_user),
        assessment,
        "tech_neck",
        {"wall_distance_cm": "12", "wall_distance_cm_unit": "parsec"},
    )
    assert errors_of(response, "tech_neck") == {
        "wall_distance_cm": ["Choose one of the units offered."]
    }


# --- Each section's badge says what is true; a refused save is never "Saved" ----------------------


def test_a_saved_section_with_a_refused_change_is_badged_not_saved(
    as_user, specialist_user, assessment
):
    TechNeck.objects.create(assessment=assessment, cva_deg=46)
    response = save_loaded(as_user(specialist_user), assessment, "tech_neck", {"cva_deg": "400"})
    assert response.status_code == 200
    assert badge(response, "tech_neck") == HAS_ERRORS.label


def test_a_new_section_with_errors_is_badged_not_saved(as_user, specialist_user, assessment):
    response = save_loaded(as_user(specialist_user), assessment, "tech_neck", {"cva_deg": "400"})
    assert badge(response, "tech_neck") == HAS_ERRORS.label


def test_a_stale_save_is_badged_as_a_conflict_not_saved(
    as_user, owner, specialist_user, assessment
):
    loaded_at = assessment.lock_version
    first = Browser()
    first.force_login(owner)
    save_loaded(first, assessment, "tech_neck", {"cva_deg": "46"}, version=loaded_at)
    response = save_loaded(
        as_user(specialist_user), assessment, "tech_neck", {"cva_deg": "44"}, version=loaded_at
    )
    assert response.status_code == 409
    assert badge(response, "tech_neck") == CONFLICT.label


def test_the_other_sections_keep_their_own_badges_beside_a_refused_one(
    as_user, specialist_user, assessment
):
    TechNeck.objects.create(assessment=assessment, cva_deg=46)
    response = save_loaded(
        as_user(specialist_user), assessment, "pelvic_tilt", {"pelvic_tilt_left_deg": "90"}
    )
    assert badge(response, "pelvic_tilt") == HAS_ERRORS.label
    assert badge(response, "tech_neck") == SAVED.label
    assert badge(response, "static_posture") == NOT_RECORDED.label


def test_a_saved_section_is_badged_saved(as_user, specialist_user, assessment):
    browser = as_user(specialist_user)
    save_loaded(browser, assessment, "tech_neck", {"cva_deg": "46"})
    page = browser.get(reverse("assessments:record", args=[assessment.pk]))
    assert badge(page, "tech_neck") == SAVED.label
