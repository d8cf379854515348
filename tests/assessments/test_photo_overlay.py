"""What is drawn over a posture photo (issue 17, item 5): the shapes pinned against the
landmarks, the SVG escaped and scaling with the picture, the PDF drawing built from public
reportlab shapes. No database: the overlay is pure."""

import io
import math
import re

import pytest
from PIL import Image
from reportlab.graphics.shapes import Circle, Line, PolyLine, String
from reportlab.platypus import SimpleDocTemplate

from assessments import photo_overlay
from assessments.photo_angles import photo_angles
from assessments.photo_overlay import Label, Overlay, PhotoFlowable, overlay, svg

WIDTH, HEIGHT = 1200, 1800
TRAGUS, C7 = (640.0, 300.0), (560.0, 420.0)
SIDE = {
    "view": "side",
    "facing": "right",
    "image": {"width": WIDTH, "height": HEIGHT},
    "landmarks": {"tragus": list(TRAGUS), "c7": list(C7), "lateral_malleolus": [600, 1750]},
}
FRONT = {
    "view": "front",
    "image": {"width": WIDTH, "height": HEIGHT},
    "landmarks": {"left_acromion": [800, 500], "right_acromion": [400, 520]},
}


def drawn(document: dict) -> Overlay:
    return overlay(
        width=WIDTH,
        height=HEIGHT,
        view=document["view"],
        landmarks=document["landmarks"],
        angles=photo_angles(document),
        facing=document.get("facing"),
    )


def segment(shapes: Overlay, kind: str):
    found = [s for s in shapes.segments if s.kind == kind]
    assert len(found) == 1, f"one {kind} line expected, found {len(found)}"
    return found[0]


def test_the_cva_line_runs_from_the_tragus_to_c7():
    cva = segment(drawn(SIDE), "cva")

    assert (cva.x1, cva.y1) == TRAGUS
    assert (cva.x2, cva.y2) == C7


@pytest.mark.parametrize(("facing", "sign"), [("right", 1), ("left", -1)])
def test_the_horizontal_starts_at_c7_and_points_the_way_the_client_faces(facing, sign):
    document = {**SIDE, "facing": facing}
    if facing == "left":  # the tragus in front of C7 for a client facing left
        document = {**document, "landmarks": {"tragus": [480, 300], "c7": list(C7)}}
    horizontal = segment(drawn(document), "horizontal")

    assert (horizontal.x1, horizontal.y1) == C7
    assert horizontal.y2 == C7[1]
    assert math.copysign(1, horizontal.x2 - horizontal.x1) == sign


def test_the_arc_joins_the_horizontal_to_the_cva_line_around_c7():
    shapes = drawn(SIDE)
    (arc,) = shapes.arcs
    radii = {round(math.dist(point, C7), 6) for point in arc.points}
    assert len(radii) == 1  # every point on one circle round C7
    first, last = arc.points[0], arc.points[-1]
    assert first[1] == pytest.approx(C7[1])
    assert first[0] > C7[0]
    # The last point lies on the line from C7 to the tragus.
    direction = math.atan2(TRAGUS[1] - C7[1], TRAGUS[0] - C7[0])
    assert math.atan2(last[1] - C7[1], last[0] - C7[0]) == pytest.approx(direction)


def test_the_cva_label_gives_the_measured_angle():
    shapes = drawn(SIDE)
    cva = photo_angles(SIDE)["angles"][0]["value_deg"]

    assert [label.text for label in shapes.labels] == [f"CVA {cva:.1f}°"]


def test_the_plumb_line_is_the_vertical_through_the_malleolus_over_the_whole_photo():
    plumb = segment(drawn(SIDE), "plumb")

    assert (plumb.x1, plumb.y1, plumb.x2, plumb.y2) == (600, 0, 600, HEIGHT)


def test_a_front_level_joins_its_pair_with_a_level_reference_and_its_degrees():
    shapes = drawn(FRONT)
    level = segment(shapes, "level")
    reference = segment(shapes, "reference")

    assert (level.x1, level.y1, level.x2, level.y2) == (800, 500, 400, 520)
    assert reference.y1 == reference.y2 == 520  # level, through the image's left point
    assert {reference.x1, reference.x2} == {400, 800}
    difference = math.degrees(math.atan2(20, 400))
    assert [label.text for label in shapes.labels] == [f"Shoulders {difference:.1f}°"]
    assert {dot.name for dot in shapes.dots} == {"left_acromion", "right_acromion"}


def test_no_landmarks_draw_nothing():
    shapes = overlay(width=WIDTH, height=HEIGHT, view="side", landmarks={}, angles=None)

    assert shapes.empty
    assert "<line" not in svg(shapes)
    assert "<circle" not in svg(shapes)


def test_the_svg_has_the_photo_pixels_as_its_viewbox_so_it_scales_with_the_picture():
    markup = svg(drawn(SIDE))

    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in markup
    assert 'preserveAspectRatio="none"' in markup
    assert re.search(r'<line class="cva" x1="640.0" y1="300.0" x2="560.0" y2="420.0"', markup)


def test_every_text_of_the_svg_is_escaped():
    hostile = '<script>alert("x")</script> & "quote"'
    shapes = Overlay(WIDTH, HEIGHT, labels=(Label(10, 10, hostile),))

    markup = svg(shapes, label=hostile, css_class='a" onload="x')

    assert "<script>" not in markup
    assert 'onload="x"' not in markup
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quote&quot;" in markup


def test_the_angles_in_words():
    lines = photo_overlay.angle_lines(photo_angles(FRONT))

    assert lines[0].startswith("Shoulders: 2.9° from level, the client's right side lower")
    assert any(line.startswith("Head tilt not measured") for line in lines)
    assert photo_overlay.angle_lines(None) == ()


@pytest.mark.parametrize(
    ("before", "after", "clear"),
    [(48.0, 49.9, False), (48.0, 46.1, False), (48.0, 50.0, True), (48.0, 44.0, True)],
)
def test_a_cva_change_under_two_degrees_is_no_clear_change(before, after, clear):
    words = photo_overlay.cva_change(before, after)

    assert (photo_overlay.NO_CLEAR_CHANGE not in words) is clear
    assert photo_overlay.cva_change(None, after) == ""


def test_the_pdf_drawing_puts_the_cva_line_on_the_tragus_and_c7_with_y_upward():
    scale = 0.1
    drawing = photo_overlay.drawing(drawn(SIDE), scale, font="Helvetica")
    lines = [shape for shape in drawing.contents if isinstance(shape, Line)]
    cva = lines[0]  # segments are drawn in order: the CVA line first

    assert (cva.x1, cva.y1) == pytest.approx((TRAGUS[0] * scale, (HEIGHT - TRAGUS[1]) * scale))
    assert (cva.x2, cva.y2) == pytest.approx((C7[0] * scale, (HEIGHT - C7[1]) * scale))
    assert sum(isinstance(shape, Circle) for shape in drawing.contents) == 3
    assert sum(isinstance(shape, PolyLine) for shape in drawing.contents) == 1
    assert [s.text for s in drawing.contents if isinstance(s, String)][0].startswith("CVA ")


def _jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 200, 190)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize("document", [SIDE, {**SIDE, "landmarks": {}}])
def test_the_photo_flowable_fits_its_box_and_renders(document):
    shapes = (
        drawn(document)
        if document["landmarks"]
        else overlay(width=WIDTH, height=HEIGHT, view="side", landmarks={})
    )
    flowable = PhotoFlowable(_jpeg(120, 180), shapes, max_width=200, max_height=150)

    assert (flowable.width, flowable.height) == pytest.approx((100, 150))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([flowable])
    assert buffer.getvalue().startswith(b"%PDF")


def test_side_by_side_draws_every_photo_at_the_same_height_in_its_own_pixels():
    tall, wide = drawn(SIDE), Overlay(1600, 1200)

    markup = photo_overlay.side_by_side(
        [(tall, "/a.jpg?x=1&y=2"), (wide, '/b.jpg"><script>')], height=300, gap=10
    )

    boxes = re.findall(r'<svg class="photo" x="(\d+)" y="0" width="(\d+)" height="(\d+)"', markup)
    assert boxes == [("0", "200", "300"), ("210", "400", "300")]
    assert 'viewBox="0 0 610 300"' in markup
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in markup  # the photo's own marks, unscaled
    assert 'href="/a.jpg?x=1&amp;y=2"' in markup
    assert "<script>" not in markup
