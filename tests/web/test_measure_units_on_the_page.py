"""Measures entered in the units specialists use: the unit selector beside the value, the
range error in the unit entered, the value stored once in the measure's own unit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Postpartum, TechNeck, Youth
from tests.factories import AssessmentFactory, ConsentFactory


@pytest.fixture
def assessment(client_record):
    ConsentFactory(client=client_record)
    return AssessmentFactory(client=client_record, assessed_on=timezone.localdate())


def save(browser, assessment, key, data):
    return browser.post(
        reverse("assessments:section", args=[assessment.pk, key]),
        {"lock_version": assessment.lock_version}
        | {f"{key}-{name}": value for name, value in data.items()},
    )


def errors_of(response, key):
    return next(form for spec, form in response.context["forms"] if spec.key == key).errors


def test_two_finger_widths_of_diastasis_are_stored_as_two_centimetres(
    as_user, specialist_user, assessment
):
    response = save(
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
    response = save(
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
    response = save(
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
    save(
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
    save(as_user(specialist_user), assessment, "tech_neck", {"wall_distance_cm": "12"})
    assert TechNeck.objects.get(assessment=assessment).wall_distance_cm == 12


def test_a_unit_that_is_not_offered_is_refused_at_its_field(as_user, specialist_user, assessment):
    response = save(
        as_user(specialist_user),
        assessment,
        "tech_neck",
        {"wall_distance_cm": "12", "wall_distance_cm_unit": "parsec"},
    )
    assert errors_of(response, "tech_neck") == {
        "wall_distance_cm": ["Choose one of the units offered."]
    }


@pytest.fixture
def us_practice(specialist_user):
    practice = specialist_user.membership.practice
    practice.unit_system = "us"
    practice.save()
    return practice


def unit_selector(text, name):
    start = text.index(f'name="{name}_unit"')
    return text[start : text.index("</select>", start)]


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
