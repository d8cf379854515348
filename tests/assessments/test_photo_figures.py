"""The posture photos drawn on the findings page and side by side on the comparison page
(issue 17, item 5): thumbnails with their overlay, the angles in words, one query for all."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from assessments import photo_overlay
from assessments.photos import add_photo, save_landmarks
from tests.factories import AssessmentFactory, ConsentFactory

SIDE_MARKS = {"tragus": [640, 300], "c7": [560, 420], "lateral_malleolus": [600, 1750]}
FRONT_MARKS = {"left_acromion": [800, 500], "right_acromion": [400, 520]}
MARKS = {"left": {}, "right": SIDE_MARKS, "front": FRONT_MARKS, "back": {}}


def jpeg(width: int = 1200, height: int = 1800, shade: int = 200) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (shade, shade, 190)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def photo(assessment, view, by, *, landmarks=None, **size):
    stored = add_photo(assessment, view=view, upload=jpeg(**size), by=by)
    marks = MARKS[view] if landmarks is None else landmarks
    if marks:
        save_landmarks(stored, marks, by=by)
    return stored


@pytest.fixture
def assessment(consented, specialist_user):
    return AssessmentFactory(client=consented, specialist=specialist_user)


def detail(as_user, user, assessment):
    return as_user(user).get(reverse("assessments:detail", args=[assessment.pk]))


def test_the_findings_page_draws_each_photo_with_its_lines_and_angles(
    as_user, specialist_user, assessment, photo_folder
):
    side = photo(assessment, "right", specialist_user)
    front = photo(assessment, "front", specialist_user)

    response = detail(as_user, specialist_user, assessment)

    page = response.content.decode()
    assert "Posture photos" in page
    for shown in (side, front):
        assert reverse("assessments:photo_thumbnail", args=[shown.pk]) in page
        assert reverse("assessments:photo", args=[shown.pk]) in page
    assert f'viewBox="0 0 {side.width} {side.height}"' in page
    assert '<line class="cva"' in page
    assert '<line class="level"' in page
    assert "Craniovertebral angle (CVA):" in page
    assert "Shoulders: 2.9° from level, the client&#x27;s right side lower" in page
    # The thumbnail (sized for the screen), never the full photo, on this page.
    assert reverse("assessments:photo_image", args=[side.pk]) not in page


def test_a_photo_without_landmarks_shows_the_image_and_asks_for_them(
    as_user, specialist_user, assessment, photo_folder
):
    photo(assessment, "left", specialist_user)

    page = detail(as_user, specialist_user, assessment).content.decode()

    assert "No landmarks placed yet." in page
    assert "<line" not in page.split('id="photos-h"')[1]


def test_the_findings_page_without_photos_has_no_photo_section(
    as_user, specialist_user, assessment
):
    page = detail(as_user, specialist_user, assessment).content.decode()

    assert 'id="photos-h"' not in page


def queries_for(as_user, user, assessment) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = detail(as_user, user, assessment)
    assert response.status_code == 200
    return len(captured)


def test_the_findings_page_takes_as_many_queries_for_four_photos_as_for_one(
    as_user, specialist_user, consented, photo_folder
):
    one = AssessmentFactory(client=consented, specialist=specialist_user)
    four = AssessmentFactory(client=consented, specialist=specialist_user)
    photo(one, "right", specialist_user)
    for view in ("left", "right", "front", "back"):
        photo(four, view, specialist_user)
    queries_for(as_user, specialist_user, one)  # the session and caches warmed alike

    assert queries_for(as_user, specialist_user, one) == queries_for(as_user, specialist_user, four)


def compare(as_user, user, client, first, second):
    url = reverse("assessments:compare", args=[client.pk])
    return as_user(user).get(url, {"a": first.pk, "b": second.pk}).content.decode()


def heights(page: str) -> list[tuple[int, int]]:
    """(width, height) of each photo drawn on the comparison page, in the page's pixels."""
    section = page.split('id="photos-h"')[1]
    return [
        (int(w), int(h))
        for w, h in re.findall(
            r'<svg class="photo" x="\d+" y="0" width="(\d+)" height="(\d+)"', section
        )
    ]


def test_the_comparison_shows_both_photos_of_a_view_at_the_same_height(
    as_user, specialist_user, consented, photo_folder
):
    before = AssessmentFactory(client=consented, assessed_on=date(2026, 9, 1))
    after = AssessmentFactory(client=consented, assessed_on=date(2026, 11, 1))
    first = photo(before, "right", specialist_user, width=1200, height=1800)
    later = dict(SIDE_MARKS, tragus=[600, 300])  # the head further back: a larger CVA
    second = photo(after, "right", specialist_user, landmarks=later, width=1000, height=1800)
    photo(before, "front", specialist_user)  # a view of one assessment only: not compared

    page = compare(as_user, specialist_user, consented, before, after)

    drawn = heights(page)
    assert len(drawn) == 2
    assert drawn[0][1] == drawn[1][1]  # the same rendered height, whatever each photo's size
    assert drawn[0][0] == round(drawn[0][1] * 1200 / 1800)
    assert drawn[1][0] == round(drawn[1][1] * 1000 / 1800)
    assert page.count('<line class="cva"') == 2
    for shown in (first, second):  # the thumbnails, each under its own overlay
        assert f'<image href="{reverse("assessments:photo_thumbnail", args=[shown.pk])}"' in page
    assert "Right side" in page
    assert 'data-view="front"' not in page
    assert "CVA 56.3° → 71.6°: +15.3° (the head further back over the shoulders)" in page
    assert photo_overlay.NO_CLEAR_CHANGE not in page


def test_a_cva_change_under_two_degrees_is_shown_as_no_clear_change(
    as_user, specialist_user, consented, photo_folder
):
    before = AssessmentFactory(client=consented, assessed_on=date(2026, 9, 1))
    after = AssessmentFactory(client=consented, assessed_on=date(2026, 11, 1))
    photo(before, "right", specialist_user)
    photo(after, "right", specialist_user, landmarks=dict(SIDE_MARKS, tragus=[642, 300]))

    page = compare(as_user, specialist_user, consented, before, after)

    assert photo_overlay.NO_CLEAR_CHANGE in page
    assert "practice default" in page.split('id="photos-h"')[1]


def test_the_consent_form_offers_photos_in_the_plan(as_user, specialist_user, client_record):
    ConsentFactory(client=client_record, photos_in_plan=True)
    signed_in = as_user(specialist_user)

    form = signed_in.get(reverse("clients:consent", args=[client_record.pk])).content.decode()
    record = signed_in.get(reverse("clients:detail", args=[client_record.pk])).content.decode()

    assert 'name="photos_in_plan"' in form
    assert "may appear in their own plan" in form
    assert "Posture photos in their own plan: yes" in record
