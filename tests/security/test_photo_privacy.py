"""Posture photos are health data (issue 17, item 2): no metadata kept, served only through
the client's scoped door and never stored by a browser, exported with the record, and gone
from the disk after erasure."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client as Browser
from django.urls import reverse
from PIL import ExifTags, Image

from assessments import photos
from assessments.models import PosturePhoto, TechNeck
from tests.assessments.test_photo_intake import camera_exif

# Every photo URL, with the method that reaches it.
PHOTO_URLS = [
    ("assessments:photo", "GET"),
    ("assessments:photo", "POST"),
    ("assessments:photo_use_cva", "POST"),
    ("assessments:photo_suggest", "POST"),
    ("assessments:photo_image", "GET"),
    ("assessments:photo_thumbnail", "GET"),
    ("assessments:photo_delete", "POST"),
]
ASSESSMENT_URLS = [("assessments:photos", "GET"), ("assessments:photos", "POST")]
CAMERA = b"PocketCam"  # the camera make camera_exif writes


def camera_jpeg(seed: int = 17) -> bytes:
    """A noisy photo (its re-encoded bytes are its own) with camera, time and GPS metadata."""
    rng = random.Random(seed)
    image = Image.new("RGB", (240, 320))
    image.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(240 * 320)])
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=camera_exif(), quality=95)
    return buffer.getvalue()


@pytest.fixture
def assessment(assessment_of_today):
    return assessment_of_today


@pytest.fixture
def photo(assessment, specialist_user):
    upload = SimpleUploadedFile("side.jpg", camera_jpeg(), content_type="image/jpeg")
    photo = photos.add_photo(assessment, view="left", upload=upload, by=specialist_user)
    photos.save_landmarks(photo, {"tragus": [100, 100], "c7": [150, 150]}, by=specialist_user)
    return photo


def stored(name: str) -> bytes:
    with PosturePhoto._meta.get_field("image").storage.open(name) as file:
        return file.read()


def test_an_uploaded_photo_is_stored_without_exif_or_gps(as_user, specialist_user, assessment):
    original = camera_jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    response = as_user(specialist_user).post(
        reverse("assessments:photos", args=[assessment.pk]),
        {"view": "left", "image": SimpleUploadedFile("IMG_0001.jpg", original, "image/jpeg")},
    )
    assert response.status_code == 302
    photo = PosturePhoto.objects.get(assessment=assessment)
    for name in (photo.image.name, photo.thumbnail.name):
        data = stored(name)
        assert not Image.open(io.BytesIO(data)).getexif()
        assert b"Exif" not in data
        assert CAMERA not in data
    # Nothing of the upload's own name reaches the disk.
    assert "IMG_0001" not in photo.image.name


def test_photos_are_kept_outside_every_public_folder():
    location = str(PosturePhoto._meta.get_field("image").storage.location)
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        if public:
            assert not location.startswith(str(public))


def test_the_media_url_does_not_serve_a_photo(as_user, specialist_user, photo):
    browser = as_user(specialist_user)
    assert browser.get(f"{settings.MEDIA_URL}{photo.image.name}").status_code == 404


def request(browser, name, method, pk):
    url = reverse(name, args=[pk])
    return browser.get(url) if method == "GET" else browser.post(url)


@pytest.mark.parametrize(("name", "method"), PHOTO_URLS + ASSESSMENT_URLS)
@pytest.mark.parametrize("persona", ["anonymous", "colleague", "outsider"])
def test_no_photo_url_answers_outside_the_clients_scope(
    request_as, name, method, persona, photo, django_capture_on_commit_callbacks
):
    pk = photo.assessment_id if name == "assessments:photos" else photo.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = request(request_as(persona), name, method, pk)
    if persona == "anonymous":
        # The sign-in comes first (LoginRequiredMiddleware): nothing of the photo is served.
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    else:
        assert response.status_code == 404
    assert not response.streaming
    assert b"JFIF" not in response.content
    kept = PosturePhoto.objects.get(pk=photo.pk)
    assert kept.landmarks == photo.landmarks
    assert stored(kept.image.name)
    assert stored(kept.thumbnail.name)
    assert not TechNeck.objects.filter(assessment_id=photo.assessment_id).exists()


@pytest.fixture
def request_as(colleague, outsider):
    def browser(persona):
        http = Browser()
        if persona != "anonymous":
            http.force_login({"colleague": colleague, "outsider": outsider}[persona])
        return http

    return browser


@pytest.mark.parametrize("name", ["assessments:photo_image", "assessments:photo_thumbnail"])
def test_a_photo_is_served_inline_never_stored_or_sniffed(as_user, specialist_user, photo, name):
    response = as_user(specialist_user).get(reverse(name, args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    field = photo.image if name.endswith("image") else photo.thumbnail
    assert b"".join(response.streaming_content) == stored(field.name)


def test_the_owner_of_the_practice_sees_the_photo(as_user, owner, photo):
    response = as_user(owner).get(reverse("assessments:photo_image", args=[photo.pk]))
    assert response.status_code == 200


def test_a_lost_file_is_a_404_not_an_error(as_user, specialist_user, photo):
    PosturePhoto._meta.get_field("image").storage.delete(photo.image.name)
    response = as_user(specialist_user).get(reverse("assessments:photo_image", args=[photo.pk]))
    assert response.status_code == 404


def test_the_export_contains_the_photos(as_user, specialist_user, photo):
    response = as_user(specialist_user).get(
        reverse("clients:export", args=[photo.assessment.client_id])
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    contents = {name: archive.read(name) for name in archive.namelist()}
    image = stored(photo.image.name)
    assert [name for name, data in contents.items() if data == image] == [
        f"files/assessments.posturephoto-{photo.pk}-image.jpg"
    ]
    thumbnail = stored(photo.thumbnail.name)
    assert contents[f"files/assessments.posturephoto-{photo.pk}-thumbnail.jpg"] == thumbnail
    # The landmarks, and who placed them, travel in the rows.
    assert b'"tragus": [' in contents["records/assessments.posturephoto.json"]


def test_erasure_leaves_no_photo_bytes_on_disk(
    as_user, specialist_user, assessment, photo_folder, django_capture_on_commit_callbacks
):
    client = assessment.client
    # Photos of their own (no other test stores these bytes), so any copy left is theirs.
    photo, front = (
        photos.add_photo(
            assessment,
            view=view,
            upload=SimpleUploadedFile(f"{view}.jpg", camera_jpeg(seed=seed), "image/jpeg"),
            by=specialist_user,
        )
        for view, seed in (("left", 1701), ("front", 1702))
    )
    names = {photo.image.name, photo.thumbnail.name, front.image.name, front.thumbnail.name}
    sentinels = {stored(name) for name in names}
    assert names <= {path.name for path in photo_folder.iterdir()}
    with django_capture_on_commit_callbacks() as after_commit:
        response = as_user(specialist_user).post(
            reverse("clients:erase", args=[client.pk]), {"confirm_name": client.full_name}
        )
    assert response.status_code == 302
    # What runs once the erasure commits: the photos' files go (the SQLite checkpoint that
    # also runs then cannot inside the test's transaction).
    removals = [task for task in after_commit if task.__module__ == "assessments.photos"]
    assert len(removals) == 2
    for task in removals:
        task()
    assert not PosturePhoto.objects.exists()
    assert not PosturePhoto.history.exists()
    left = [path for path in photo_folder.rglob("*") if path.is_file()]
    assert not names & {path.name for path in left}
    assert not [path for path in left if path.read_bytes() in sentinels]
