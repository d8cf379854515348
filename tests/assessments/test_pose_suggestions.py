"""Landmark suggestions from the offline pose model (issue 18): pinned on stored images, and
the mapping from the model's keypoints to the photo's landmarks, without the model.

The stored images (pose_images/) are figures of bench/pose_testset.py drawn without sensor
grain at 450 x 600; expected.json pins what the model suggests on each today, to 0.1 px. After
a deliberate change (another model, another crop), regenerate them with
``DJANGO_SETTINGS_MODULE=tests.settings python -m tests.assessments.test_pose_suggestions``
and review the differences.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from assessments import pose_model
from assessments.pose_model import MIN_VISIBILITY, NEVER_SUGGESTED, Keypoint, suggest

IMAGES = Path(__file__).resolve().parent / "pose_images"
EXPECTED = IMAGES / "expected.json"
TOLERANCE_PX = 2.0
# The stored images: a test-set case each, drawn at this size without grain.
STORED = ("side_left_upright", "side_right_sway_back", "front_level", "back_pelvis_left_up")
STORED_SIZE = (450, 600)
W, H = 600, 800


def _model_path() -> Path:
    return Path(settings.POSE_MODEL_DIR) / pose_model.MODEL_FILE


def _expected() -> dict:
    return json.loads(EXPECTED.read_text())


# --- The model on stored images ---------------------------------------------------------------


@pytest.mark.skipif(
    not _model_path().is_file(),
    reason="the pose model is not installed (manage.py fetch_pose_model)",
)
@pytest.mark.parametrize("name", STORED)
def test_the_suggestions_on_a_stored_photo_stay_where_they_were_pinned(name):
    expected = _expected()[name]
    image = Image.open(IMAGES / f"{name}.png")
    model = pose_model.load(_model_path())
    found = suggest(
        model.keypoints(image), view=expected["view"], width=image.width, height=image.height
    ).as_dict()
    for kind in ("landmarks", "guides"):
        assert set(found[kind]) == set(expected[kind]), kind
        for landmark, (x, y) in expected[kind].items():
            fx, fy = found[kind][landmark]
            assert abs(fx - x) <= TOLERANCE_PX, (landmark, (fx, fy), (x, y))
            assert abs(fy - y) <= TOLERANCE_PX, (landmark, (fx, fy), (x, y))


def test_each_stored_photo_is_small_and_pinned():
    expected = _expected()
    assert set(expected) == set(STORED)
    for name in STORED:
        path = IMAGES / f"{name}.png"
        assert path.stat().st_size < 60_000
        assert Image.open(path).size == STORED_SIZE
        assert expected[name]["landmarks"], name


# --- suggest() alone, with hand-made keypoints ------------------------------------------------


def _seen(x, y, visibility=0.9):
    return Keypoint(float(x), float(y), visibility)


def _standing(**overrides):
    """A person's keypoints, the model's labels as if facing the camera (its left on the
    image's right)."""
    points = {
        "left_eye": _seen(320, 100),
        "right_eye": _seen(280, 100),
        "left_ear": _seen(340, 105),
        "right_ear": _seen(260, 105),
        "left_shoulder": _seen(360, 200),
        "right_shoulder": _seen(240, 205),
        "left_hip": _seen(330, 400),
        "right_hip": _seen(270, 400),
        "left_knee": _seen(335, 550),
        "right_knee": _seen(265, 552),
        "left_ankle": _seen(338, 700),
        "right_ankle": _seen(262, 700),
    }
    points.update(overrides)
    return {k: v for k, v in points.items() if v is not None}


def test_in_a_front_view_the_clients_left_shoulder_is_the_one_on_the_images_right():
    found = suggest(_standing(), view="front", width=W, height=H)
    assert found.landmarks["left_acromion"] == (360, 200)
    assert found.landmarks["right_acromion"] == (240, 205)


def test_in_a_front_view_the_models_own_labels_do_not_decide_the_side():
    # The model thinks the person turned away: its "left" points are on the image's left.
    swapped = _standing(
        left_shoulder=_seen(240, 205),
        right_shoulder=_seen(360, 200),
        left_knee=_seen(265, 552),
        right_knee=_seen(335, 550),
    )
    found = suggest(swapped, view="front", width=W, height=H)
    assert found.landmarks["left_acromion"] == (360, 200)
    assert found.landmarks["right_acromion"] == (240, 205)
    assert found.landmarks["left_knee"] == (335, 550)
    assert found.landmarks["right_knee"] == (265, 552)


def test_in_a_back_view_the_clients_left_is_on_the_images_left():
    found = suggest(_standing(), view="back", width=W, height=H)
    assert found.landmarks["left_acromion"] == (240, 205)
    assert found.landmarks["right_acromion"] == (360, 200)
    assert found.landmarks["left_ankle"] == (262, 700)
    assert found.landmarks["right_ankle"] == (338, 700)


def test_a_back_view_suggests_no_eyes():
    found = suggest(_standing(), view="back", width=W, height=H)
    assert not {"left_eye", "right_eye"} & set(found.landmarks)
    assert {"left_ear", "right_ear"} <= set(found.landmarks)


def test_a_front_view_suggests_each_pair_it_can_level():
    found = suggest(_standing(), view="front", width=W, height=H)
    assert set(found.landmarks) == {
        f"{side}_{name}"
        for side in ("left", "right")
        for name in ("eye", "ear", "acromion", "knee", "ankle")
    }
    assert found.guides == {}


def test_a_keypoint_the_model_rates_below_the_visibility_threshold_is_not_suggested():
    faint = _standing(right_knee=_seen(265, 552, MIN_VISIBILITY - 0.01))
    found = suggest(faint, view="front", width=W, height=H)
    assert "left_knee" not in found.landmarks
    assert "right_knee" not in found.landmarks
    at_threshold = _standing(right_knee=_seen(265, 552, MIN_VISIBILITY))
    assert "right_knee" in suggest(at_threshold, view="front", width=W, height=H).landmarks


@pytest.mark.parametrize("point", [(-1, 550), (W, 550), (300, -0.5), (300, H)])
def test_a_keypoint_outside_the_image_is_not_suggested(point):
    found = suggest(_standing(left_knee=_seen(*point)), view="front", width=W, height=H)
    assert "left_knee" not in found.landmarks
    assert "right_knee" not in found.landmarks
    assert "left_acromion" in found.landmarks


def test_with_one_side_of_a_pair_missing_neither_is_suggested():
    for view in ("front", "back"):
        found = suggest(_standing(left_shoulder=None), view=view, width=W, height=H)
        assert "left_acromion" not in found.landmarks, view
        assert "right_acromion" not in found.landmarks, view
        assert "left_knee" in found.landmarks, view


def test_in_a_side_view_the_more_visible_of_the_pair_is_suggested():
    keypoints = _standing(
        left_shoulder=_seen(300, 200, 0.95),
        right_shoulder=_seen(310, 204, 0.6),
        left_knee=_seen(305, 550, 0.55),
        right_knee=_seen(298, 548, 0.9),
    )
    for view in ("left", "right"):
        found = suggest(keypoints, view=view, width=W, height=H)
        assert found.landmarks["acromion"] == (300, 200), view
        assert found.landmarks["knee"] == (298, 548), view


def test_in_a_side_view_a_hidden_far_side_still_gives_the_near_one():
    keypoints = _standing(right_hip=_seen(290, 400, 0.2), left_hip=_seen(300, 402, 0.7))
    found = suggest(keypoints, view="left", width=W, height=H)
    assert found.landmarks["greater_trochanter"] == (300, 402)


def test_in_a_side_view_no_landmark_is_suggested_when_both_sides_are_hidden():
    keypoints = _standing(left_ankle=_seen(300, 700, 0.3), right_ankle=_seen(305, 700, 0.4))
    found = suggest(keypoints, view="right", width=W, height=H)
    assert "lateral_malleolus" not in found.landmarks


def test_the_side_views_ear_is_a_guide_for_the_tragus_never_the_tragus():
    keypoints = _standing(left_ear=_seen(300, 105, 0.95), right_ear=_seen(305, 106, 0.4))
    found = suggest(keypoints, view="left", width=W, height=H)
    assert found.guides == {"tragus": (300, 105)}
    assert "tragus" not in found.landmarks
    assert set(found.landmarks) == {"acromion", "greater_trochanter", "knee", "lateral_malleolus"}


@pytest.mark.parametrize("view", ["left", "right", "front", "back"])
def test_c7_asis_iliac_crest_and_psis_are_never_suggested(view):
    found = suggest(_standing(), view=view, width=W, height=H)
    for landmark in found.landmarks:
        name = landmark.removeprefix("left_").removeprefix("right_")
        assert name not in NEVER_SUGGESTED, landmark
        assert name not in ("c7", "asis", "iliac_crest", "psis"), landmark


def test_suggestions_round_to_a_tenth_of_a_pixel_as_json():
    keypoints = _standing(left_ear=_seen(300.04, 105.06), right_ear=_seen(301, 106, 0.1))
    found = suggest(keypoints, view="right", width=W, height=H).as_dict()
    assert found["guides"] == {"tragus": [300.0, 105.1]}
    json.dumps(found)


# --- Regenerating the stored images -----------------------------------------------------------


def _regenerate() -> None:
    """Draw the stored images again and pin what the model suggests on them now."""
    import dataclasses

    from bench import pose_testset

    model = pose_model.load(_model_path())
    cases = {case.name: case for case in pose_testset.cases()}
    pinned = {}
    for name in STORED:
        sample = pose_testset.render(
            dataclasses.replace(cases[name], size=STORED_SIZE), grain=False
        )
        sample.image.save(IMAGES / f"{name}.png", optimize=True)
        image = Image.open(IMAGES / f"{name}.png")  # pinned on the file as stored
        found = suggest(model.keypoints(image), view=sample.view, width=image.width,
                        height=image.height).as_dict()  # fmt: skip
        pinned[name] = {
            "view": sample.view,
            **found,
            "truth": {k: [round(x, 1), round(y, 1)] for k, (x, y) in sample.truth.items()},
        }
    text = json.dumps(pinned, indent=1)
    text = re.sub(r"\[\s+(\S+),\s+(\S+)\s+\]", r"[\1, \2]", text)  # a point on one line
    EXPECTED.write_text(text + "\n")


if __name__ == "__main__":
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    django.setup()
    IMAGES.mkdir(exist_ok=True)
    _regenerate()
