"""Angles from a photo's landmarks, pinned against hand-computed values (photo-landmarks.md)."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.photo_angles import (
    CVA_DEFINITION,
    LANDMARK_LABELS,
    LANDMARKS,
    LandmarksError,
    measure,
    parse,
    photo_angles,
    placing_order,
)
from assessments.sources import bibliography

ROOT = Path(__file__).resolve().parents[2]
W, H = 3000, 4000


def side(facing="right", width=W, height=H, **points):
    return {
        "view": "side",
        "facing": facing,
        "image": {"width": width, "height": height},
        "landmarks": points,
    }


def frontal(view="front", width=W, height=H, **points):
    return {"view": view, "image": {"width": width, "height": height}, "landmarks": points}


def cva(document) -> float | None:
    angles = photo_angles(document)["angles"]
    return angles[0]["value_deg"] if angles else None


def level(document, code) -> dict | None:
    return next((e for e in photo_angles(document)["levels"] if e["code"] == code), None)


def not_measured(document) -> dict[str, str]:
    return {e["code"]: e["reason"] for e in photo_angles(document)["not_measured"]}


def plumb(document) -> dict[str, float]:
    return {e["landmark"]: e["offset_pct"] for e in photo_angles(document)["plumb"]}


def field_of(document) -> str:
    with pytest.raises(LandmarksError) as caught:
        parse(document)
    return caught.value.field


# --- Craniovertebral angle ---------------------------------------------------------------------


def test_tragus_45_degrees_above_c7_is_a_cva_of_45():
    # Facing right: in front is to the right; the tragus 100 px forward and 100 px up.
    assert cva(side("right", tragus=[1100, 900], c7=[1000, 1000])) == 45.0


def test_facing_left_the_tragus_forward_of_c7_is_to_its_left():
    assert cva(side("left", tragus=[900, 900], c7=[1000, 1000])) == 45.0


def test_the_same_points_read_facing_the_other_way_put_the_tragus_behind_c7():
    assert cva(side("left", tragus=[1100, 900], c7=[1000, 1000])) == 135.0


def test_a_tragus_behind_c7_is_a_cva_above_90():
    # Facing right, the tragus 50 px behind and 200 px above C7: 180 - atan(200/50).
    assert cva(side("right", tragus=[950, 800], c7=[1000, 1000])) == 104.0


def test_a_tragus_straight_above_c7_is_a_cva_of_90():
    assert cva(side("left", tragus=[1000, 700], c7=[1000, 1000])) == 90.0


def test_a_tragus_level_with_c7_and_forward_is_a_cva_of_0():
    assert cva(side("right", tragus=[1200, 1000], c7=[1000, 1000])) == 0.0


def test_a_3_4_5_triangle_is_a_cva_of_36_9_rounded_to_one_decimal():
    # atan(3/4) = 36.8699 degrees.
    assert cva(side("right", tragus=[1400, 700], c7=[1000, 1000])) == 36.9


def test_the_contracts_example_is_a_cva_of_53_8():
    document = {
        "view": "side",
        "facing": "left",
        "image": {"width": 3024, "height": 4032},
        "landmarks": {"tragus": [1210.5, 860.0], "c7": [1390.0, 1105.0]},
    }
    assert photo_angles(document)["angles"] == [
        {
            "code": "cva",
            "value_deg": 53.8,
            "landmarks": ["tragus", "c7"],
            "definition": CVA_DEFINITION,
            "source": "Lau-2009",
        }
    ]


def test_the_cva_is_defined_as_the_contract_says_and_cites_a_known_source():
    entry = photo_angles(side(tragus=[1100, 900], c7=[1000, 1000]))["angles"][0]
    assert entry["definition"] == (
        "angle between the horizontal through C7 and the line from C7 to the tragus"
    )
    assert entry["source"] in bibliography()


def test_a_tragus_on_c7_is_not_measured_rather_than_an_error():
    assert not_measured(side(tragus=[1000, 1000], c7=[1000, 1000]))["cva"] == (
        "tragus and c7 coincide"
    )


def test_without_c7_the_cva_is_not_measured_and_says_what_it_needs():
    document = side(tragus=[1000, 1000])
    assert cva(document) is None
    assert not_measured(document)["cva"] == "needs tragus and c7"


# --- Sagittal plumb line -----------------------------------------------------------------------


def test_plumb_offsets_are_percent_of_the_malleolus_to_tragus_height():
    # Malleolus at y 3000, tragus at y 1000: the height is 2000 px.
    document = side(
        "right",
        lateral_malleolus=[1000, 3000],
        tragus=[1100, 1000],
        c7=[1060, 1200],
        knee=[960, 2200],
    )
    assert plumb(document) == {"tragus": 5.0, "c7": 3.0, "knee": -2.0}


def test_facing_left_in_front_of_the_plumb_line_is_to_its_left():
    document = side(
        "left", lateral_malleolus=[1000, 3000], tragus=[900, 1000], acromion=[1030, 1500]
    )
    assert plumb(document) == {"tragus": 5.0, "acromion": -1.5}


def test_plumb_entries_follow_the_contracts_landmark_order():
    document = side(
        knee=[1000, 2000],
        greater_trochanter=[1000, 1500],
        tragus=[1000, 500],
        lateral_malleolus=[1000, 3000],
        acromion=[1000, 900],
        c7=[1000, 700],
    )
    names = [e["landmark"] for e in photo_angles(document)["plumb"]]
    assert names == ["tragus", "c7", "acromion", "greater_trochanter", "knee"]


def test_a_tragus_level_with_the_malleolus_leaves_the_plumb_line_unmeasured():
    document = side(lateral_malleolus=[1000, 3000], tragus=[1200, 3000], knee=[1000, 2000])
    assert plumb(document) == {}
    assert not_measured(document)["plumb"] == "lateral_malleolus and tragus are at the same height"


def test_without_the_malleolus_the_plumb_line_is_not_measured():
    assert not_measured(side(tragus=[1000, 500]))["plumb"] == "needs lateral_malleolus and tragus"


# --- Frontal levels ------------------------------------------------------------------------------


def test_the_clients_right_shoulder_lower_on_the_images_left_in_a_front_view():
    # Front view: the client's right is on the image's left. 10 px drop over 200 px: 2.862.
    document = frontal("front", right_acromion=[1000, 1510], left_acromion=[1200, 1500])
    assert level(document, "shoulder_level") == {
        "code": "shoulder_level",
        "difference_deg": 2.9,
        "lower_side": "right",
        "landmarks": ["left_acromion", "right_acromion"],
        "definition": "angle between the horizontal and the line through the acromions",
        "source": "PostureScreen-params",
    }


def test_the_same_image_points_read_from_the_back_name_the_other_side_lower():
    # Back view: the client's left is on the image's left, so the low point is the left.
    document = frontal("back", left_acromion=[1000, 1510], right_acromion=[1200, 1500])
    entry = level(document, "shoulder_level")
    assert (entry["difference_deg"], entry["lower_side"]) == (2.9, "left")


def test_a_level_difference_under_005_degrees_has_no_lower_side():
    # 1 px over 2000 px: 0.0286 degrees.
    document = frontal(left_knee=[500, 3000], right_knee=[2500, 3001])
    entry = level(document, "knee_level")
    assert (entry["difference_deg"], entry["lower_side"]) == (0.0, None)


def test_a_level_difference_of_005_degrees_or_more_names_the_lower_side():
    # 2 px over 2000 px: 0.0573 degrees.
    document = frontal(left_knee=[500, 3002], right_knee=[2500, 3000])
    entry = level(document, "knee_level")
    assert (entry["difference_deg"], entry["lower_side"]) == (0.1, "left")


def test_head_tilt_uses_the_ears_when_both_are_placed():
    document = frontal(
        left_ear=[1200, 600], right_ear=[1000, 600], left_eye=[1150, 500], right_eye=[1050, 520]
    )
    entry = level(document, "head_tilt")
    assert (entry["landmarks"], entry["difference_deg"], entry["lower_side"]) == (
        ["left_ear", "right_ear"],
        0.0,
        None,
    )


def test_head_tilt_falls_back_to_the_eyes_in_a_front_view():
    # One ear only; the eyes 100 px apart, the right 100 px lower: 45 degrees.
    document = frontal(left_ear=[1200, 600], left_eye=[1150, 500], right_eye=[1050, 600])
    entry = level(document, "head_tilt")
    assert entry["landmarks"] == ["left_eye", "right_eye"]
    assert (entry["difference_deg"], entry["lower_side"]) == (45.0, "right")
    assert entry["definition"] == "angle between the horizontal and the line through the eyes"


def test_a_back_view_has_no_eyes_so_head_tilt_needs_the_ears():
    assert not_measured(frontal("back"))["head_tilt"] == "needs left_ear and right_ear"
    assert not_measured(frontal("front"))["head_tilt"] == (
        "needs left_ear and right_ear, or left_eye and right_eye"
    )


def test_pelvic_level_prefers_the_iliac_crests_to_the_asis():
    document = frontal(
        left_iliac_crest=[1200, 2000],
        right_iliac_crest=[1000, 2000],
        left_asis=[1150, 2100],
        right_asis=[1050, 2150],
    )
    entry = level(document, "pelvic_level")
    assert (entry["landmarks"], entry["lower_side"]) == (
        ["left_iliac_crest", "right_iliac_crest"],
        None,
    )


def test_pelvic_level_uses_the_asis_in_front_and_the_psis_from_the_back():
    front = level(frontal(left_asis=[1100, 2000], right_asis=[1000, 2100]), "pelvic_level")
    back = level(frontal("back", left_psis=[1000, 2100], right_psis=[1100, 2000]), "pelvic_level")
    assert front["landmarks"] == ["left_asis", "right_asis"]
    assert back["landmarks"] == ["left_psis", "right_psis"]
    assert (front["difference_deg"], front["lower_side"]) == (45.0, "right")
    assert (back["difference_deg"], back["lower_side"]) == (45.0, "left")


def test_a_pair_on_one_vertical_line_is_not_measured():
    document = frontal(left_acromion=[1000, 1400], right_acromion=[1000, 1500])
    assert level(document, "shoulder_level") is None
    assert not_measured(document)["shoulder_level"] == (
        "left_acromion and right_acromion are on one vertical line"
    )


def test_a_pair_placed_on_one_point_is_not_measured():
    document = frontal(left_knee=[1000, 3000], right_knee=[1000, 3000])
    assert not_measured(document)["knee_level"] == "left_knee and right_knee coincide"


def test_with_no_landmarks_every_level_says_what_it_needs():
    assert not_measured(frontal("back")) == {
        "head_tilt": "needs left_ear and right_ear",
        "shoulder_level": "needs left_acromion and right_acromion",
        "pelvic_level": "needs left_iliac_crest and right_iliac_crest, or left_psis and right_psis",
        "knee_level": "needs left_knee and right_knee",
    }


# --- The output's shape -------------------------------------------------------------------------


def test_the_output_keys_are_in_the_contracts_order():
    assert list(photo_angles(side())) == ["view", "angles", "levels", "plumb", "not_measured"]
    assert list(photo_angles(frontal())) == ["view", "angles", "levels", "plumb", "not_measured"]


def test_a_side_view_has_no_levels_and_a_front_view_no_angles_or_plumb():
    side_view = photo_angles(side(tragus=[1100, 900], c7=[1000, 1000]))
    front_view = photo_angles(frontal(left_knee=[1100, 3000], right_knee=[1000, 3000]))
    assert side_view["levels"] == []
    assert (front_view["angles"], front_view["plumb"]) == ([], [])
    assert set(not_measured(side())) == {"cva", "plumb"}


def test_no_value_is_written_as_minus_zero():
    # The tragus a hair below C7 in front: -0.003 degrees rounds to 0.0, not -0.0.
    text = json.dumps(photo_angles(side(tragus=[2000, 1000.05], c7=[1000, 1000])))
    assert '"value_deg": 0.0' in text


# --- Invalid documents name their field --------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ([], "input"),
        ({}, "view"),
        (side() | {"view": "top"}, "view"),
        (side() | {"facing": None}, "facing"),
        ({k: v for k, v in side().items() if k != "facing"}, "facing"),
        (side() | {"facing": "up"}, "facing"),
        ({k: v for k, v in side().items() if k != "image"}, "image"),
        (side() | {"image": [3000, 4000]}, "image"),
        (side(width=0), "image.width"),
        (side(width=-3000), "image.width"),
        (side(width=3000.5), "image.width"),
        (side(width=True), "image.width"),
        (side(width="3000"), "image.width"),
        (side(height=None), "image.height"),
        ({k: v for k, v in side().items() if k != "landmarks"}, "landmarks"),
        (side() | {"landmarks": [[1, 2]]}, "landmarks"),
        (side(nose=[10, 10]), "landmarks.nose"),
        (frontal(tragus=[10, 10]), "landmarks.tragus"),
        (frontal("back", left_eye=[10, 10]), "landmarks.left_eye"),
        (frontal("back", left_asis=[10, 10]), "landmarks.left_asis"),
        (frontal("front", left_psis=[10, 10]), "landmarks.left_psis"),
        (side(c7=None), "landmarks.c7"),
        (side(c7=[10]), "landmarks.c7"),
        (side(c7=[10, 10, 10]), "landmarks.c7"),
        (side(c7={"x": 10, "y": 10}), "landmarks.c7"),
        (side(c7=["10", 10]), "landmarks.c7"),
        (side(c7=[10, True]), "landmarks.c7"),
        (side(c7=[math.nan, 10]), "landmarks.c7"),
        (side(c7=[10, math.inf]), "landmarks.c7"),
        (side(c7=[W + 0.5, 10]), "landmarks.c7"),
        (side(c7=[-1, 10]), "landmarks.c7"),
        (side(c7=[10, H + 1]), "landmarks.c7"),
        (side(c7=[10, -0.001]), "landmarks.c7"),
    ],
)
def test_an_invalid_document_names_the_offending_field(document, field):
    assert field_of(document) == field


def test_an_error_reads_field_then_reason_on_one_line():
    with pytest.raises(LandmarksError) as caught:
        parse(side(c7=[W + 1, 10]))
    assert str(caught.value) == "landmarks.c7: x must be inside the image (0 to image.width)"


def test_an_unusual_landmark_name_is_quoted_on_one_line():
    field = field_of(side(**{'bad"\nname': [1, 1]}))
    assert field == 'landmarks["bad\\"\\nname"]'
    assert "\n" not in field


def test_the_images_edges_are_inside_it():
    document = side(tragus=[W, 0], c7=[0, H])
    assert parse(document).points == {"tragus": (float(W), 0.0), "c7": (0.0, float(H))}


def test_unknown_top_level_and_image_keys_are_ignored():
    document = side(tragus=[1100, 900], c7=[1000, 1000]) | {"placed_by": "ana", "version": 2}
    document["image"] |= {"name": "side-left.jpg"}
    assert photo_angles(document) == photo_angles(side(tragus=[1100, 900], c7=[1000, 1000]))


def test_facing_is_ignored_outside_a_side_view():
    document = frontal(left_knee=[1100, 3000], right_knee=[1000, 3010]) | {"facing": "left"}
    assert parse(document).facing is None
    assert photo_angles(document) == photo_angles(
        frontal(left_knee=[1100, 3000], right_knee=[1000, 3010])
    )


# --- Properties ------------------------------------------------------------------------------


def integer_documents(view: str):
    """Documents with whole-pixel landmarks, so mirroring and shifting are exact."""

    @st.composite
    def build(draw):
        width = draw(st.integers(1, 5000))
        height = draw(st.integers(1, 5000))
        names = draw(st.sets(st.sampled_from(LANDMARKS[view])))
        points = {
            name: [draw(st.integers(0, width)), draw(st.integers(0, height))]
            for name in sorted(names)
        }
        document = {"view": view, "image": {"width": width, "height": height}}
        if view == "side":
            document["facing"] = draw(st.sampled_from(["left", "right"]))
        return document | {"landmarks": points}

    return build()


def any_valid_document():
    @st.composite
    def build(draw):
        view = draw(st.sampled_from(["side", "front", "back"]))
        width = draw(st.integers(1, 10**6))
        height = draw(st.integers(1, 10**6))
        coordinate = st.one_of(
            st.floats(0, 1, allow_nan=False),
            st.floats(0, float(min(width, height)), allow_nan=False),
            st.integers(0, min(width, height)),
        )
        names = draw(st.sets(st.sampled_from(LANDMARKS[view])))
        points = {name: [draw(coordinate), draw(coordinate)] for name in names}
        document = {"view": view, "image": {"width": width, "height": height}}
        if view == "side":
            document["facing"] = draw(st.sampled_from(["left", "right"]))
        return document | {"landmarks": points}

    return build()


@settings(max_examples=300, deadline=None)
@given(any_valid_document())
def test_any_valid_document_is_measured_without_error_into_finite_json(document):
    result = photo_angles(document)
    json.dumps(result, allow_nan=False)
    measured = {e["code"] for e in result["angles"] + result["levels"] + result["not_measured"]}
    frontal_codes = {"head_tilt", "shoulder_level", "pelvic_level", "knee_level"}
    expected = {"cva", "plumb"} if document["view"] == "side" else frontal_codes
    assert measured | ({"plumb"} if result["plumb"] else set()) == expected


@settings(max_examples=200, deadline=None)
@given(integer_documents("side"))
def test_a_mirrored_photo_facing_the_other_way_gives_the_same_measures(document):
    width = document["image"]["width"]
    mirrored = document | {
        "facing": "left" if document["facing"] == "right" else "right",
        "landmarks": {name: [width - x, y] for name, (x, y) in document["landmarks"].items()},
    }
    assert photo_angles(mirrored) == photo_angles(document)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["side", "front", "back"]).flatmap(integer_documents), st.data())
def test_moving_every_landmark_by_the_same_whole_pixels_changes_nothing(document, data):
    points = document["landmarks"].values()
    image = document["image"]
    dx = data.draw(st.integers(-min((x for x, _ in points), default=0), image["width"]))
    dy = data.draw(st.integers(-min((y for _, y in points), default=0), image["height"]))
    moved = document | {
        "image": {"width": image["width"] + dx + 1, "height": image["height"] + dy + 1},
        "landmarks": {name: [x + dx, y + dy] for name, (x, y) in document["landmarks"].items()},
    }
    assert photo_angles(moved) == photo_angles(document)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["side", "front", "back"]).flatmap(integer_documents), st.integers(2, 7))
def test_a_larger_photo_of_the_same_pose_gives_the_same_measures(document, factor):
    image = document["image"]
    scaled = document | {
        "image": {"width": image["width"] * factor, "height": image["height"] * factor},
        "landmarks": {n: [x * factor, y * factor] for n, (x, y) in document["landmarks"].items()},
    }
    assert photo_angles(scaled) == photo_angles(document)


@settings(max_examples=200, deadline=None)
@given(integer_documents("front"))
def test_swapping_the_clients_left_and_right_swaps_the_lower_side(document):
    def swap(name):
        if name.startswith("left_"):
            return "right_" + name[5:]
        return "left_" + name[6:]

    swapped = document | {"landmarks": {swap(n): p for n, p in document["landmarks"].items()}}
    other = {"left": "right", "right": "left", None: None}
    for entry, mirror in zip(
        photo_angles(document)["levels"], photo_angles(swapped)["levels"], strict=True
    ):
        assert mirror["difference_deg"] == entry["difference_deg"]
        assert mirror["lower_side"] == other[entry["lower_side"]]


@settings(max_examples=200, deadline=None)
@given(integer_documents("side"))
def test_the_cva_lies_between_minus_180_and_180(document):
    result = measure(parse(document))
    for angle in result.angles:
        assert -180 < angle.value_deg <= 180


def test_the_module_is_pure_python_with_no_django_at_all():
    # A fresh interpreter: this test process has Django loaded already.
    code = "import sys, assessments.photo_angles; print(sorted(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "django" not in result.stdout


@pytest.mark.parametrize("view", ["side", "front", "back"])
def test_every_landmark_of_a_view_has_plain_words_and_a_place_in_the_placing_order(view):
    assert sorted(placing_order(view)) == sorted(LANDMARKS[view])
    assert all(LANDMARK_LABELS[name] for name in LANDMARKS[view])


def test_the_side_view_is_placed_head_to_toe():
    assert placing_order("side")[:2] == ("tragus", "c7")
    assert placing_order("side")[-1] == "lateral_malleolus"
