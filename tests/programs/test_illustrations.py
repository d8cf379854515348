"""Exercise illustrations: every posed exercise draws a body that stays on its props and in
its frame; the pose files are read strictly; SVG and reportlab come from one geometry."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from core.data_files import DataFileError
from programs.illustrations import (
    body,
    build_scene,
    draw_scene,
    load_poses,
    render_svg,
    scene_operators,
    shipped_operators,
)
from programs.illustrations.kinematics import pose_figure
from programs.illustrations.poses import POSES_DIR, parse_pose, parse_poses
from programs.illustrations.scene import ARROW, SCALE, problems
from programs.library import LIBRARY_DIR, load_library

# The exercise files whose every exercise has a pose. Adding a file here makes the test
# below fail for each of its exercises without a valid pose; the work of issue 14 is done
# when this lists every file in programs/data/exercises/.
POSED_FILES = (
    "inhibit.toml",
    "lengthen.toml",
    "activate.toml",
    "senior.toml",
    "integrate.toml",
    "postpartum.toml",
    "youth.toml",
)
# Still to pose (issue 14, item 1): test_files_not_yet_posed keeps this list honest.
NOT_YET_POSED: tuple[str, ...] = ()

# Poses drawn but whose contacts the author could not yet close: each xfails strictly, so
# the entry must go as soon as its pose is fixed (issue 14, item 1).
POSES_TO_FIX: dict[str, str] = {}

POSES = load_poses()
LIBRARY = load_library()


def _slugs_of(file_name: str) -> list[str]:
    import tomllib

    doc = tomllib.loads((LIBRARY_DIR / file_name).read_text(encoding="utf-8"))
    return [table["slug"] for table in doc["exercise"]]


POSED_SLUGS = [slug for name in POSED_FILES for slug in _slugs_of(name)]


def test_files_not_yet_posed_are_every_other_exercise_file():
    every_file = {path.name for path in LIBRARY_DIR.glob("*.toml")}
    assert set(POSED_FILES) | set(NOT_YET_POSED) == every_file
    assert not set(POSED_FILES) & set(NOT_YET_POSED)


@pytest.mark.parametrize("slug", POSED_SLUGS)
def test_posed_exercise_has_a_pose_in_the_file_beside_its_exercise(slug):
    assert slug in POSES, f"{slug} has no pose"
    exercise_file = next(name for name in POSED_FILES if slug in _slugs_of(name))
    assert POSES.files[slug] == exercise_file


@pytest.mark.parametrize(
    "slug",
    [
        pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=POSES_TO_FIX[s]))
        if s in POSES_TO_FIX
        else s
        for s in POSED_SLUGS
    ],
)
def test_posed_exercise_stays_on_its_props_and_in_its_frame(slug):
    assert problems(POSES.get(slug)) == []


def test_every_pose_belongs_to_a_library_exercise():
    assert sorted(set(POSES.poses) - set(LIBRARY.exercises)) == []


def test_every_pose_file_is_named_after_an_exercise_file():
    exercise_files = {path.name for path in LIBRARY_DIR.glob("*.toml")}
    assert {path.name for path in POSES_DIR.glob("*.toml")} <= exercise_files


# --- the strict reader -----------------------------------------------------------------

STANDING = {
    "view": "side",
    "alt": "Standing tall with the arms by the sides.",
    "start": {"near": {"shoulder": 0}},
}


def _error(raw: dict) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        parse_poses({"activate.toml": {"stand-tall": raw}})
    return caught.value


def test_an_unknown_key_is_refused_naming_file_slug_and_field():
    error = _error({**STANDING, "colour": "red"})
    assert error.where == "activate.toml stand-tall"
    assert error.field == "colour"


def test_an_angle_outside_the_joint_range_is_refused_at_that_joint():
    error = _error({**STANDING, "start": {"near": {"knee": -20}}})
    assert error.field == "start.near.knee (degrees)"
    assert "0 to 165" in error.message


def test_a_true_angle_is_not_a_number():
    error = _error({**STANDING, "start": {"trunk": True}})
    assert error.field == "start.trunk (degrees)"


def test_an_unknown_prop_is_refused_with_the_known_ones():
    error = _error({**STANDING, "props": [{"kind": "trampoline"}]})
    assert error.field == "props[1].kind"
    assert "roller" in error.message


def test_a_contact_with_a_prop_the_pose_does_not_have_is_refused():
    error = _error({**STANDING, "contacts": ["near_hand:wall"]})
    assert error.field == "contacts"


def test_a_front_view_has_left_and_right_not_near_and_far():
    error = _error({**STANDING, "view": "front"})
    assert error.field == "start.near"


def test_a_hold_shows_one_position():
    error = _error({**STANDING, "end": {"trunk": 10}})
    assert error.field == "end"


def test_a_movement_needs_an_end():
    assert _error({**STANDING, "motion": "move"}).field == "end"


def test_the_same_slug_in_two_files_is_refused():
    with pytest.raises(DataFileError, match="already posed in a.toml"):
        parse_poses({"a.toml": {"stand-tall": STANDING}, "b.toml": {"stand-tall": STANDING}})


def test_a_later_position_repeats_the_one_before_except_what_it_sets():
    pose = parse_pose(
        "squat",
        {
            **STANDING,
            "motion": "move",
            "start": {"trunk": 5, "near": {"hip": 10, "knee": 10}},
            "end": {"near": {"knee": 60}},
        },
    )
    end = pose.positions["end"].angles
    assert (end["trunk"], end["near_hip"], end["near_knee"]) == (5, 10, 60)
    assert end["far_knee"] == 60  # the far side repeats the near side


# --- geometry --------------------------------------------------------------------------

angles = st.floats(min_value=-170, max_value=170, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    view=st.sampled_from(body.VIEWS),
    trunk=angles,
    lumbar=st.floats(-40, 40),
    shoulder=st.floats(-60, 180),
    elbow=st.floats(0, 150),
    hip=st.floats(-30, 110),
    knee=st.floats(0, 150),
)
def test_joint_angles_never_change_segment_lengths(view, trunk, lumbar, shoulder, elbow, hip, knee):
    first, second = body.SIDES[view]
    figure = pose_figure(
        view,
        {"trunk": trunk, "lumbar": lumbar, f"{first}_shoulder": shoulder,
         f"{first}_elbow": elbow, f"{second}_hip": hip, f"{second}_knee": knee},
    )  # fmt: skip
    p = figure.points

    def length(a: str, b: str) -> float:
        return math.dist(p[a], p[b]) / body.HEIGHT

    assert length(f"{first}_elbow", f"{first}_wrist") == pytest.approx(body.FOREARM)
    assert length(f"{second}_knee", f"{second}_ankle") == pytest.approx(body.SHANK)
    assert length("pelvis", "waist") == pytest.approx(body.LUMBAR)
    assert length("waist", "neck_base") == pytest.approx(body.THORAX)
    if view == "side":
        assert length(f"{first}_shoulder", f"{first}_elbow") == pytest.approx(body.UPPER_ARM)
        assert length(f"{second}_hip", f"{second}_knee") == pytest.approx(body.THIGH)


def test_standing_figure_has_the_tabulated_joint_heights():
    figure = pose_figure("side", {})
    lowest = figure.lowest()
    height = {k: (y - lowest) / body.HEIGHT for k, (_, y) in figure.points.items()}
    assert height["near_knee"] == pytest.approx(0.285, abs=0.01)
    assert height["pelvis"] == pytest.approx(0.530, abs=0.01)
    crown = figure.part("head").points[0][1] + figure.part("head").radii[0] - lowest
    assert crown / body.HEIGHT == pytest.approx(1.0, abs=0.02)


def test_a_pose_that_pushes_a_hand_into_the_wall_is_caught():
    pose = parse_pose(
        "wall-push",
        {**STANDING, "props": [{"kind": "wall", "x": 0.3}],
         "start": {"near": {"shoulder": 90}}},
    )  # fmt: skip
    assert any("near_hand passes" in p and "wall" in p for p in problems(pose))


def test_a_contact_left_open_is_caught_in_millimetres():
    pose = parse_pose(
        "wall-reach",
        {**STANDING, "props": [{"kind": "wall", "x": 0.9}], "contacts": ["near_hand:wall"],
         "start": {"near": {"shoulder": 90}}},
    )  # fmt: skip
    [found] = problems(pose)
    gap_mm = int(re.fullmatch(r"start: near_hand:wall is (\d+) mm away", found).group(1))
    assert 100 < gap_mm < 400  # the arm reaches most of the 0.9 m to the wall, not all


def test_the_arrow_of_a_step_up_ends_beside_the_head_of_the_figure_on_the_step():
    pose = parse_pose(
        "step-up",
        {**STANDING, "motion": "move", "mover": "head",
         "props": [{"kind": "step", "x": 0.5, "height": 0.3}],
         "start": {"pin": "near_heel", "x": -0.1},
         "end": {"on": "step", "x": 0.4}},
    )  # fmt: skip
    scene = build_scene(pose)
    arrow = next(s for s in scene.shapes if s.kind == "line" and s.stroke == ARROW)
    hx, hy = scene.figures[-1].points["head"]
    head = ((hx - scene.left) * SCALE, (scene.top - hy) * SCALE)
    # The arrow runs 11 cm beside the head's path, so it ends 11 cm from the head.
    assert math.dist(arrow.points[-1], head) == pytest.approx(11.0, abs=0.5)


# --- the two outputs -------------------------------------------------------------------


def _scene():
    slug = POSED_SLUGS[0]
    return build_scene(POSES.get(slug), title=f"{LIBRARY.get(slug).name} <&>")


def test_svg_is_safe_and_says_what_the_body_does():
    svg = render_svg(_scene())
    assert "<script" not in svg
    assert "style=" not in svg
    assert "on" + "load" not in svg
    assert "&lt;&amp;&gt;</title>" in svg
    assert f'<desc id="pose-{POSED_SLUGS[0]}-d">' in svg
    assert 'role="img"' in svg


def test_the_canvas_drawing_prints_in_a_pdf_that_pypdf_reads():
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle("Illustration")
    draw_scene(canvas, _scene(), width=200)
    canvas.save()
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Illustration"
    content = reader.pages[0].get_contents().get_data()
    assert content.count(b"f*") + content.count(b"B*") > 10  # the filled shapes


def test_web_and_pdf_draw_in_the_same_colours():
    scene = _scene()
    svg_fills = set(re.findall(r'fill="#([0-9a-f]{6})"', render_svg(scene)))
    operators = scene_operators(scene, width=160)
    pdf_fills = {
        tuple(round(float(v), 3) for v in rgb)
        for rgb in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", operators)
    }
    wanted = {tuple(round(int(h[i : i + 2], 16) / 255, 3) for i in (0, 2, 4)) for h in svg_fills}
    assert pdf_fills == wanted


def test_the_pdf_draws_every_shape_of_the_scene():
    scene = _scene()
    operators = scene_operators(scene, width=160).split("\n")
    painted = [op for op in operators if op.split(" ")[-1] in ("f*", "B*", "S", "n")]
    assert len(painted) == len(scene.shapes)


def test_the_pdf_keeps_outline_points_to_a_tenth_of_a_point():
    scene = _scene()
    operators = scene_operators(scene, width=160)
    moves = re.findall(r"(-?[\d.]+) (-?[\d.]+) l\b", operators)  # outline points
    assert moves
    assert all(len(v.partition(".")[2]) <= 1 for pair in moves for v in pair)


def test_the_illustration_keeps_its_graphics_state_to_itself():
    operators = scene_operators(_scene(), width=160)
    assert operators.startswith("q\n")
    assert operators.endswith("\nQ")
    assert operators.count("q") == operators.count("Q") == 1


def test_a_shipped_pose_is_prepared_once_per_process():
    slug = POSED_SLUGS[0]
    assert shipped_operators(slug, 160) is shipped_operators(slug, 160)
    assert shipped_operators("no-such-pose", 160) is None


def test_the_render_command_writes_an_svg(tmp_path: Path):
    from django.core.management import call_command

    out = tmp_path / "pose.svg"
    call_command("render_pose", POSED_SLUGS[0], "--out", str(out))
    assert out.read_text().startswith("<svg")


def test_the_render_command_fits_a_props_place_as_the_guide_says():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("render_pose", "smr-calves", "--fit", "start.near_hip", "props1.x", stdout=out)
    assert "props1.x = " in out.getvalue()


def test_the_render_command_refuses_a_prop_the_pose_does_not_have():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="props9.x"):
        call_command("render_pose", "smr-calves", "--fit", "props9.x")
