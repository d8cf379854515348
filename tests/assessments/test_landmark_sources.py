"""Landmark suggestions on a stored photo (issue 18): what the pose model proposes stays a
suggestion until saved; each saved landmark says whether it was suggested, moved or placed by
hand, and the angles, the CVA's provenance and the report say so."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import photo_overlay, photos, pose_model, suggestions
from assessments.models import PosturePhoto
from tests.assessments.test_photo_pages import jpeg, upload

MODEL = pytest.mark.skipif(
    not suggestions.available(), reason="the pose model is not installed (fetch_pose_model)"
)
SUGGESTED = {"acromion": [60.0, 50.0], "knee": [62.0, 120.0]}


@pytest.fixture
def photo(assessment_of_today, specialist_user):
    stored = photos.add_photo(
        assessment_of_today, view="left", upload=upload(jpeg()), by=specialist_user
    )
    stored.suggestions = {"landmarks": SUGGESTED, "guides": {"tragus": [40.0, 30.0]}}
    stored.suggested_at = timezone.now()
    stored.save()
    return stored


def test_a_suggestion_saved_where_it_was_is_suggested(photo, specialist_user):
    photos.save_landmarks(photo, {"acromion": [60.0, 50.0]}, by=specialist_user)
    assert photo.landmark_sources == {"acromion": "suggested"}


def test_a_suggestion_dragged_before_saving_is_moved(photo, specialist_user):
    photos.save_landmarks(photo, {"knee": [70.0, 118.0]}, by=specialist_user)
    assert photo.landmark_sources == {"knee": "moved"}


def test_a_landmark_the_model_did_not_suggest_is_placed_by_hand(photo, specialist_user):
    photos.save_landmarks(photo, {"c7": [55.0, 45.0]}, by=specialist_user)
    assert photo.landmark_sources == {"c7": "hand"}


def test_a_tragus_put_on_the_models_ear_guide_is_still_placed_by_hand(photo, specialist_user):
    photos.save_landmarks(photo, {"tragus": [40.0, 30.0]}, by=specialist_user)
    assert photo.landmark_sources == {"tragus": "hand"}


def test_a_landmark_saved_again_unchanged_keeps_its_source(photo, specialist_user):
    photos.save_landmarks(photo, {"c7": [60.0, 50.0]}, by=specialist_user)  # on acromion's
    photo.suggestions = {"landmarks": {"c7": [10.0, 10.0]}}  # a later look suggests C7
    photos.save_landmarks(photo, {"c7": [60.0, 50.0]}, by=specialist_user)
    assert photo.landmark_sources == {"c7": "hand"}


def test_the_cva_says_suggested_and_checked_only_when_its_landmarks_were_suggested(photo):
    photo.landmarks = {"tragus": [40, 30], "c7": [55, 45]}
    photo.landmark_sources = {"tragus": "hand", "c7": "hand"}
    assert photos.cva_provenance(photo).endswith("landmarks placed by hand")
    photo.landmark_sources = {"tragus": "moved", "c7": "hand"}
    assert photos.cva_provenance(photo).endswith("landmarks suggested, checked by hand")


def test_an_angle_resting_on_a_suggested_landmark_says_so(photo, specialist_user):
    photo.view = "front"
    photo.save()
    marks = {"left_knee": [80.0, 120.0], "right_knee": [40.0, 121.0]}
    photo.suggestions = {"landmarks": {"left_knee": [80.0, 120.0]}}
    angles = photos.save_landmarks(photo, marks, by=specialist_user)

    [line] = [line for line in photo_overlay.angle_lines(angles, photo.landmark_sources)
              if line.startswith("Knees")]  # fmt: skip
    assert line.endswith(photo_overlay.SUGGESTED_NOTE)
    assert photo_overlay.SUGGESTED_NOTE not in " ".join(photo_overlay.angle_lines(angles))


def test_who_checked_the_landmarks_counts_each_source(photo, specialist_user):
    marks = {"acromion": [60.0, 50.0], "knee": [70.0, 118.0], "c7": [55.0, 45.0]}
    photos.save_landmarks(photo, marks, by=specialist_user)
    words = photo_overlay.placed_words(photo)
    assert words.startswith(f"Landmarks checked by {specialist_user.display_name()} on ")
    assert words.endswith(
        ": 1 suggested by the pose model and kept, 1 suggested and moved, 1 placed by hand"
    )


def test_suggestions_wait_on_the_page_until_the_landmarks_are_saved(photo, specialist_user):
    assert suggestions.pending(photo) == SUGGESTED
    photos.save_landmarks(photo, {"acromion": [60.0, 50.0]}, by=specialist_user)
    assert suggestions.pending(photo) == {}


def test_suggestions_newer_than_the_save_offer_only_what_is_not_saved(photo, specialist_user):
    photos.save_landmarks(photo, {"acromion": [61.0, 50.0]}, by=specialist_user)
    photo.suggested_at = photo.landmarks_placed_at + timedelta(seconds=1)
    assert suggestions.pending(photo) == {"knee": [62.0, 120.0]}


def test_without_the_model_asking_for_suggestions_says_they_are_not_installed(
    photo, settings, tmp_path
):
    settings.POSE_MODEL_DIR = tmp_path
    with pytest.raises(ValidationError) as refused:
        photos.ask_for_suggestions(photo)
    assert refused.value.messages == [photos.SUGGESTIONS_OFF]


@MODEL
def test_a_saved_photo_gets_the_models_suggestions_once_the_upload_commits(
    assessment_of_today, specialist_user, photo_folder, django_capture_on_commit_callbacks
):
    data = (Path(__file__).parent / "pose_images" / "side_left_upright.png").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        stored = photos.add_photo(
            assessment_of_today, view="left", upload=upload(data, "side.png"), by=specialist_user
        )
    stored.refresh_from_db()
    assert stored.suggested_at is not None
    assert stored.suggestion_model
    assert set(stored.suggestions["landmarks"]) == {
        "acromion", "greater_trochanter", "knee", "lateral_malleolus"
    }  # fmt: skip
    assert set(stored.suggestions["guides"]) == {"tragus"}  # the ear: a guide, never the tragus
    assert stored.landmarks == {}  # suggestions are never the landmarks until saved


@MODEL
def test_asking_again_on_the_page_runs_the_model_and_says_what_it_found(
    as_user, specialist_user, photo, django_capture_on_commit_callbacks
):
    browser = as_user(specialist_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("assessments:photo_suggest", args=[photo.pk]))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.suggestion_model
    page = browser.get(response["Location"])
    assert "pose model" in page.text


@MODEL
@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare is not installed")
def test_suggestions_work_with_no_network_at_all(tmp_path):
    """The model runs in a process with no route out: its own network namespace, loopback
    down; the same process first proves that nothing outside can be reached."""
    script = tmp_path / "offline.py"
    script.write_text(
        "import socket, sys\n"
        "from pathlib import Path\n"
        "from PIL import Image\n"
        "try:\n"
        "    socket.create_connection(('pypi.org', 443), timeout=3)\n"
        "    sys.exit('the network was reachable')\n"
        "except OSError:\n"
        "    pass\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from assessments import pose_model\n"
        "model = pose_model.load(Path(sys.argv[2]))\n"
        "image = Image.new('RGB', (300, 400), (200, 190, 180))\n"
        "points = model.keypoints(image)\n"
        "print(len(points))\n"
    )
    root = Path(__file__).resolve().parents[2]
    command = ["unshare", "--net", sys.executable, str(script), str(root),
               str(suggestions.model_path())]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0 and "unshare failed" in result.stderr:
        pytest.skip(f"no network namespace here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == str(len(pose_model.KEYPOINTS))


@MODEL
def test_a_photo_deleted_while_the_model_looks_is_left_alone(photo, monkeypatch):
    def deleted_meanwhile(image):
        PosturePhoto.objects.filter(pk=photo.pk).delete()
        return {}

    monkeypatch.setattr(
        pose_model.PoseModel, "keypoints", lambda self, image: deleted_meanwhile(image)
    )
    assert suggestions.suggest_for(photo) == 0
    assert not PosturePhoto.objects.filter(pk=photo.pk).exists()


@MODEL
def test_a_photo_just_uploaded_says_its_suggestions_are_on_their_way(
    as_user, specialist_user, assessment_of_today
):
    stored = photos.add_photo(
        assessment_of_today, view="left", upload=upload(jpeg()), by=specialist_user
    )  # in the test's transaction: the task waits for a commit that never comes

    page = as_user(specialist_user).get(reverse("assessments:photo", args=[stored.pk]))

    assert "data-suggestions-coming" in page.text
