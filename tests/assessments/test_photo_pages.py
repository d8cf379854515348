"""The posture photo pages (issue 17): upload at the field, landmarks, the photo's CVA in the
tech-neck measure, replacing and deleting a view's photo, and the photos page's queries."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from assessments import photo_intake, photos
from assessments.forms import CVA_FROM_PHOTO, LANDMARKS_UNREADABLE
from assessments.models import Assessment, PosturePhoto, TechNeck
from assessments.views import CVA_CONFLICT
from programs import services
from programs.documents import build_specialist_report
from programs.pdf.report import render_report
from tests.pdf_reading import flat_pdf_text

PROVENANCE = "from the left side photo, landmarks placed by hand"
# Facing left (a left side photo): atan2(60 - 40, -(40 - 60)) = 45 degrees.
CVA_45 = {"tragus": [40, 40], "c7": [60, 60]}


def jpeg(size=(120, 160), colour=(200, 180, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture
def assessment(assessment_of_today):
    return assessment_of_today


@pytest.fixture
def specialist(as_user, specialist_user):
    return as_user(specialist_user)


@pytest.fixture
def side_photo(assessment, specialist_user):
    return photos.add_photo(assessment, view="left", upload=upload(jpeg()), by=specialist_user)


def photos_url(assessment) -> str:
    return reverse("assessments:photos", args=[assessment.pk])


def post_photo(browser, assessment, view, data, name="photo.jpg"):
    return browser.post(photos_url(assessment), {"view": view, "image": upload(data, name)})


def stored_files(folder) -> set[str]:
    return {path.name for path in folder.iterdir() if path.is_file()}


# --- The photos page and the upload ------------------------------------------------------------


def test_the_photos_page_lists_the_four_views_and_offers_the_camera(specialist, assessment):
    page = specialist.get(photos_url(assessment))
    assert page.status_code == 200
    assert [slot["label"] for slot in page.context["views"]] == [
        "Left side",
        "Right side",
        "Front",
        "Back",
    ]
    assert page.text.count("Not taken") == 4
    assert 'enctype="multipart/form-data"' in page.text
    assert 'accept="image/jpeg,image/png,image/heic"' in page.text
    assert 'capture="environment"' in page.text


def test_an_upload_is_stored_and_opens_its_landmark_page(
    specialist, assessment, specialist_user, photo_folder
):
    response = post_photo(specialist, assessment, "front", jpeg((300, 400)))
    photo = PosturePhoto.objects.get(assessment=assessment)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:photo", args=[photo.pk])
    assert (photo.view, photo.width, photo.height) == ("front", 300, 400)
    assert photo.uploaded_by == specialist_user
    assert {photo.image.name, photo.thumbnail.name} <= stored_files(photo_folder)
    page = specialist.get(photos_url(assessment))
    assert page.text.count("Not taken") == 3
    assert reverse("assessments:photo_thumbnail", args=[photo.pk]) in page.text


def test_the_form_offers_the_first_view_not_taken(specialist, assessment, side_photo):
    page = specialist.get(photos_url(assessment))
    assert page.context["form"]["view"].value() == "right"


def test_an_oversized_photo_is_refused_at_the_field_and_the_view_stays_chosen(
    specialist, assessment, monkeypatch, photo_folder
):
    monkeypatch.setattr(photo_intake, "MAX_PHOTO_BYTES", 100)
    before = stored_files(photo_folder)
    response = post_photo(specialist, assessment, "back", jpeg())
    assert response.status_code == 400
    [error] = response.context["form"].errors["image"]
    assert error.startswith("This file is ")
    assert "larger than the" in error
    assert response.context["form"]["view"].value() == "back"
    assert '<option value="back" selected>' in response.text
    assert 'href="#id_image"' in response.text  # the error summary leads to the field
    assert not PosturePhoto.objects.exists()
    assert stored_files(photo_folder) == before


def test_a_text_file_named_jpg_is_refused_at_the_field(specialist, assessment, photo_folder):
    before = stored_files(photo_folder)
    response = post_photo(specialist, assessment, "left", b"not a photo at all\n" * 20)
    assert response.status_code == 400
    assert response.context["form"].errors["image"] == [photo_intake.NOT_A_PHOTO]
    assert photo_intake.NOT_A_PHOTO in response.text
    assert not PosturePhoto.objects.exists()
    assert stored_files(photo_folder) == before


def test_an_upload_without_a_file_is_refused_at_the_field(specialist, assessment):
    response = specialist.post(photos_url(assessment), {"view": "left"})
    assert response.status_code == 400
    assert response.context["form"].errors["image"]


def test_replacing_a_views_photo_removes_the_old_files(
    specialist, assessment, photo_folder, django_capture_on_commit_callbacks
):
    post_photo(specialist, assessment, "left", jpeg(colour=(10, 20, 30)))
    old = PosturePhoto.objects.get(assessment=assessment)
    old_names = {old.image.name, old.thumbnail.name}
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photo(specialist, assessment, "left", jpeg(colour=(90, 80, 70)))
    new = PosturePhoto.objects.get(assessment=assessment)
    assert response.status_code == 302
    assert new.pk != old.pk
    assert not old_names & stored_files(photo_folder)
    assert {new.image.name, new.thumbnail.name} <= stored_files(photo_folder)


def test_a_photo_saved_at_the_same_moment_for_the_view_is_a_message_not_an_error(
    specialist, assessment, side_photo, photo_folder, monkeypatch
):
    # The other upload's row lands between this one's removal of the old row and its insert.
    monkeypatch.setattr(PosturePhoto, "delete", lambda self, *args, **kwargs: None)
    before = stored_files(photo_folder)

    response = post_photo(specialist, assessment, "left", jpeg(colour=(90, 80, 70)))

    assert response.status_code == 400
    assert response.context["form"].errors["image"] == [photos.SAVED_AT_ONCE]
    assert PosturePhoto.objects.get(assessment=assessment).pk == side_photo.pk
    assert stored_files(photo_folder) == before  # the refused upload left no file


def test_deleting_a_photo_removes_it_and_its_files(
    specialist, assessment, side_photo, photo_folder, django_capture_on_commit_callbacks
):
    names = {side_photo.image.name, side_photo.thumbnail.name}
    with django_capture_on_commit_callbacks(execute=True):
        response = specialist.post(reverse("assessments:photo_delete", args=[side_photo.pk]))
    assert response.status_code == 302
    assert response["Location"] == photos_url(assessment)
    assert not PosturePhoto.objects.exists()
    assert not names & stored_files(photo_folder)


def test_the_record_page_links_to_the_photos_with_their_count(specialist, assessment, side_photo):
    page = specialist.get(reverse("assessments:record", args=[assessment.pk]))
    assert f'href="{photos_url(assessment)}"' in page.text
    assert "Posture photos (1)" in page.text


def test_the_photos_page_makes_as_many_queries_at_one_photo_as_at_four(
    specialist, assessment, specialist_user
):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert specialist.get(photos_url(assessment)).status_code == 200
        return len(captured)

    photos.add_photo(assessment, view="left", upload=upload(jpeg()), by=specialist_user)
    count()  # the first request of a session fills caches of its own
    one = count()
    for view in ("right", "front", "back"):
        photos.add_photo(assessment, view=view, upload=upload(jpeg()), by=specialist_user)
    assert count() == one


# --- Landmarks -------------------------------------------------------------------------------


def photo_url(photo) -> str:
    return reverse("assessments:photo", args=[photo.pk])


def post_landmarks(browser, photo, landmarks):
    text = landmarks if isinstance(landmarks, str) else json.dumps(landmarks)
    return browser.post(photo_url(photo), {"landmarks": text})


def test_the_landmark_page_has_what_the_tool_needs(specialist, side_photo):
    page = specialist.get(photo_url(side_photo))
    assert page.status_code == 200
    context = page.context
    assert context["photo"] == side_photo
    assert context["landmark_names"][:2] == ("tragus", "c7")
    assert json.loads(context["landmarks_json"]) == {}
    assert context["angles"]["view"] == "side"
    assert context["form"]["lock_version"].value() == side_photo.assessment.lock_version
    assert context["tech_neck_cva"] is None


def test_landmarks_are_saved_with_who_placed_them_and_give_the_cva(
    specialist, side_photo, specialist_user
):
    response = post_landmarks(specialist, side_photo, CVA_45)
    assert response.status_code == 302
    assert response["Location"] == photo_url(side_photo) + "#angles"
    side_photo.refresh_from_db()
    assert side_photo.landmarks == {"tragus": [40.0, 40.0], "c7": [60.0, 60.0]}
    assert side_photo.landmarks_placed_by == specialist_user
    assert side_photo.landmarks_placed_at is not None
    page = specialist.get(response["Location"])
    assert "Landmarks saved." in page.text
    [cva] = [a for a in page.context["angles"]["angles"] if a["code"] == "cva"]
    assert cva["value_deg"] == 45.0
    assert json.loads(page.context["landmarks_json"]) == side_photo.landmarks


def test_a_landmark_outside_the_image_is_refused_at_the_field_and_the_entry_kept(
    specialist, side_photo
):
    photos.save_landmarks(side_photo, CVA_45, by=None)
    placed = {"tragus": [500, 40], "c7": [61, 60]}
    response = post_landmarks(specialist, side_photo, placed)
    assert response.status_code == 400
    [error] = response.context["form"].errors["landmarks"]
    assert "landmarks.tragus" in error
    assert json.loads(response.context["landmarks_json"]) == {
        "tragus": [500.0, 40.0],
        "c7": [61.0, 60.0],
    }
    assert json.loads(response.context["form"]["landmarks"].value()) == placed
    side_photo.refresh_from_db()
    assert side_photo.landmarks == {"tragus": [40.0, 40.0], "c7": [60.0, 60.0]}


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "", "[" * 3000])
def test_unreadable_landmarks_are_refused_at_the_field(specialist, side_photo, text):
    response = post_landmarks(specialist, side_photo, text)
    assert response.status_code == 400
    assert response.context["form"].errors["landmarks"] == [LANDMARKS_UNREADABLE]
    side_photo.refresh_from_db()
    assert side_photo.landmarks == {}


# --- The photo's CVA in the tech-neck measure -----------------------------------------------


def use_cva(browser, photo, version):
    return browser.post(
        reverse("assessments:photo_use_cva", args=[photo.pk]), {"lock_version": version}
    )


def save_tech_neck(browser, assessment, cva):
    assessment.refresh_from_db()
    return browser.post(
        reverse("assessments:section", args=[assessment.pk, "tech_neck"]),
        {"lock_version": assessment.lock_version, "tech_neck-cva_deg": cva},
    )


def test_the_photos_cva_fills_tech_neck_with_its_provenance(specialist, side_photo, assessment):
    photos.save_landmarks(side_photo, CVA_45, by=None)
    response = use_cva(specialist, side_photo, assessment.lock_version)
    assert response.status_code == 302
    assert response["Location"] == photo_url(side_photo) + "#angles"
    section = TechNeck.objects.get(assessment=assessment)
    assert (section.cva_deg, section.cva_provenance) == (45.0, PROVENANCE)
    page = specialist.get(response["Location"])
    assert "CVA 45° from the photo saved in Tech neck." in page.text
    assert page.context["tech_neck_cva"] == {"value": 45.0, "provenance": PROVENANCE}
    record = specialist.get(reverse("assessments:record", args=[assessment.pk]))
    assert CVA_FROM_PHOTO.format(provenance=PROVENANCE) in record.text


def test_the_findings_page_says_the_cva_came_from_the_photo(specialist, side_photo, assessment):
    photos.save_landmarks(side_photo, CVA_45, by=None)
    use_cva(specialist, side_photo, assessment.lock_version)

    page = specialist.get(reverse("assessments:detail", args=[assessment.pk]))

    [finding] = [f for f in page.context["findings"] if f.measure == "cva_deg"]
    assert finding.provenance == PROVENANCE
    assert PROVENANCE in page.text
    [row] = [m for m in page.context["measure_rows"] if m.key == "cva_deg"]
    assert row.provenance == PROVENANCE


def test_the_draft_and_the_specialists_report_say_the_cva_came_from_the_photo(
    specialist, specialist_user, side_photo, assessment
):
    photos.save_landmarks(side_photo, CVA_45, by=None)
    use_cva(specialist, side_photo, assessment.lock_version)

    version = services.generate_program(assessment, by=specialist_user)
    report = build_specialist_report(version, today=assessment.assessed_on)

    [cva] = [f for f in version.draft["findings"] if f["measure"] == "cva_deg"]
    assert cva["provenance"] == PROVENANCE
    [row] = [f for f in report.findings if f.value.startswith("45")]
    assert row.value.endswith(f"({PROVENANCE})")
    assert PROVENANCE in flat_pdf_text(render_report(report))


def test_a_cva_typed_by_hand_afterwards_clears_the_provenance(specialist, side_photo, assessment):
    photos.save_landmarks(side_photo, CVA_45, by=None)
    use_cva(specialist, side_photo, assessment.lock_version)
    # Saving the section with the photo's value kept keeps where it came from.
    assert save_tech_neck(specialist, assessment, "45").status_code == 302
    assert TechNeck.objects.get(assessment=assessment).cva_provenance == PROVENANCE
    assert save_tech_neck(specialist, assessment, "47.5").status_code == 302
    section = TechNeck.objects.get(assessment=assessment)
    assert (section.cva_deg, section.cva_provenance) == (47.5, "")


def test_a_stale_page_does_not_overwrite_the_cva(specialist, side_photo, assessment):
    photos.save_landmarks(side_photo, CVA_45, by=None)
    loaded_at = assessment.lock_version
    assert save_tech_neck(specialist, assessment, "50").status_code == 302  # elsewhere
    response = use_cva(specialist, side_photo, loaded_at)
    assert response.status_code == 302
    section = TechNeck.objects.get(assessment=assessment)
    assert (section.cva_deg, section.cva_provenance) == (50.0, "")
    assert escape(CVA_CONFLICT) in specialist.get(response["Location"]).text


def test_no_cva_without_the_tragus_and_c7(specialist, side_photo, assessment):
    response = use_cva(specialist, side_photo, assessment.lock_version)
    assert photos.NO_CVA_YET in specialist.get(response["Location"]).text
    assert not TechNeck.objects.filter(assessment=assessment).exists()
    assert Assessment.objects.get(pk=assessment.pk).lock_version == assessment.lock_version


def test_an_implausible_photo_cva_is_not_saved(specialist, side_photo, assessment):
    # Tragus nearly level with C7: about 6 degrees, below the measure's 20.
    photos.save_landmarks(side_photo, {"tragus": [10, 58], "c7": [60, 63]}, by=None)
    response = use_cva(specialist, side_photo, assessment.lock_version)
    page = specialist.get(response["Location"]).text
    assert "outside the 20 to 80 degrees" in page
    assert not TechNeck.objects.filter(assessment=assessment).exists()


def test_a_front_photo_gives_no_cva(specialist, assessment, specialist_user):
    front = photos.add_photo(assessment, view="front", upload=upload(jpeg()), by=specialist_user)
    response = use_cva(specialist, front, assessment.lock_version)
    assert photos.NOT_A_SIDE_PHOTO in specialist.get(response["Location"]).text


def test_the_assessments_history_lists_its_photos(specialist, side_photo, assessment):
    photos.save_landmarks(side_photo, CVA_45, by=None)
    page = specialist.get(reverse("assessments:history", args=[assessment.pk]))
    assert page.status_code == 200
    assert "Posture photo" in page.text
