"""The landmark tool on a real photo: placed by drag, by mouse and by touch, at tablet width.

A side-view figure is drawn as a JPEG with visible marks at known pixels (the ear, the base
of the neck), stored through `assessments.photos.add_photo`. In chromium at 820 px the
specialist drags the tragus onto its mark with the mouse (placed on the way down, then
grabbed again and dragged), zooms in and drags C7 onto its mark with a finger (touch events,
so the browser's own panning must stay out of the way), nudges and restores a point by
keyboard, saves, and sees the CVA the pure `photo_angles` gives for the saved pixels; "Use
this CVA in Tech neck" then fills the tech-neck CVA with its provenance. Screenshots at
820 px and 390 px go to e2e-screenshots/landmarks/; axe-core finds no serious or critical
violation on the page.
"""

from __future__ import annotations

import io
import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from assessments import photos
from assessments.models import PosturePhoto, TechNeck
from assessments.photo_angles import photo_angles
from tests.e2e.conftest import SCREENSHOTS, serious_axe_violations, sign_in
from tests.factories import AssessmentFactory, ClientFactory, specialist

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 600, 800
TRAGUS = (262.0, 190.0)  # the ear mark, in image pixels
C7 = (322.0, 262.0)  # the neck mark
ANKLE = (300.0, 740.0)
TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}


def side_view_jpeg() -> bytes:
    """A standing figure facing the image's left, with a ringed mark on the tragus and C7."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (232, 228, 220))
    draw = ImageDraw.Draw(image)
    skin, cloth = (196, 160, 130), (70, 90, 120)
    draw.ellipse((200, 110, 300, 230), fill=skin)  # head
    draw.polygon([(292, 215), (340, 250), (350, 300), (285, 300), (285, 230)], fill=skin)
    draw.rectangle((260, 290, 350, 500), fill=cloth)  # trunk
    draw.rectangle((270, 500, 335, 730), fill=(50, 60, 80))  # legs
    draw.polygon([(250, 730), (330, 730), (330, 750), (250, 750)], fill=(40, 40, 40))  # feet
    for x, y in (TRAGUS, C7, ANKLE):
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), outline=(220, 0, 0), width=3)
        draw.line((x - 14, y, x + 14, y), fill=(0, 0, 0), width=1)
        draw.line((x, y - 14, x, y + 14), fill=(0, 0, 0), width=1)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def hand_cva(tragus, c7) -> float:
    """The CVA by hand for a left-facing side photo: the line C7 to tragus against the
    horizontal, towards the face (image y grows downward)."""
    return math.degrees(math.atan2(c7[1] - tragus[1], c7[0] - tragus[0]))


def on_screen(page: Page, point) -> tuple[float, float]:
    """Where an image pixel is on the screen now (zoom and pan included)."""
    return tuple(
        page.evaluate(
            """([x, y]) => {
              const svg = document.querySelector("[data-lm-stage] svg");
              const p = new DOMPoint(x, y).matrixTransform(svg.getScreenCTM());
              return [p.x, p.y];
            }""",
            list(point),
        )
    )


def mouse_drag(page: Page, start, end, steps: int = 12) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=steps)
    page.mouse.up()


def touch_drag(page: Page, start, end, steps: int = 12) -> None:
    """A finger's drag through the DevTools protocol: real touch events, so the pointer
    events the page sees are of type "touch"."""
    cdp = page.context.new_cdp_session(page)

    def send(kind, x, y):
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    send("touchStart", *start)
    for i in range(1, steps + 1):
        send(
            "touchMove",
            start[0] + (end[0] - start[0]) * i / steps,
            start[1] + (end[1] - start[1]) * i / steps,
        )
    send("touchEnd", *end)
    cdp.detach()


def pinch(page: Page, middle, start_gap: float, end_gap: float, steps: int = 8) -> None:
    """Two fingers moving apart around ``middle``, through the DevTools protocol."""
    cdp = page.context.new_cdp_session(page)

    def fingers(gap):
        x, y = middle
        return [{"x": x - gap, "y": y, "id": 1}, {"x": x + gap, "y": y, "id": 2}]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": fingers(start_gap)})
    for i in range(1, steps + 1):
        gap = start_gap + (end_gap - start_gap) * i / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": fingers(gap)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def view_box(page: Page) -> list[float]:
    box = page.locator("[data-lm-stage] svg").get_attribute("viewBox")
    return [float(n) for n in box.split()]


def placed(page: Page) -> dict:
    return page.evaluate(
        "() => JSON.parse(document.querySelector('[data-lm-form] [name=landmarks]').value)"
    )


def close_to(point, target, tolerance: float = 1.5) -> bool:
    return math.dist(point, target) <= tolerance


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width} px)"


@pytest.fixture(autouse=True)
def _no_pose_model(settings, tmp_path):
    """These journeys place every landmark by hand: the pose model stays off (its
    suggestions have their own journey, test_landmark_suggestions.py)."""
    settings.POSE_MODEL_DIR = tmp_path


@pytest.fixture
def side_photo():
    owner = specialist()
    client = ClientFactory(specialist=owner)
    assessment = AssessmentFactory(client=client)
    upload = SimpleUploadedFile("side.jpg", side_view_jpeg(), content_type="image/jpeg")
    photo = photos.add_photo(assessment, view="left", upload=upload, by=owner)
    assert (photo.width, photo.height) == (WIDTH, HEIGHT)
    return owner, photo


def test_landmarks_placed_by_drag_give_the_cva_that_fills_tech_neck(side_photo, new_context, shots):
    owner, photo = side_photo
    shot = shots("landmarks")
    page = new_context(viewport=TABLET, has_touch=True).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The page keeps to its Content-Security-Policy: the browser reports no refusal.
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    sign_in(page, owner.username)
    page.goto(reverse("assessments:photo", args=[photo.pk]))
    expect(page.locator("[data-landmark-tool].lm-ready")).to_be_visible()
    tragus_choice = page.get_by_role("button", name="Ear (tragus)")
    expect(tragus_choice).to_have_attribute("aria-pressed", "true")  # the first to place
    shot(page, "820 nothing placed")

    # The mouse: pressed beside the ear mark (the point goes down there) and dragged onto it
    # in one movement; then let go off the mark, grabbed again and dragged back onto it.
    near = on_screen(page, (TRAGUS[0] + 40, TRAGUS[1] + 30))
    mouse_drag(page, near, on_screen(page, TRAGUS))
    assert close_to(placed(page)["tragus"], TRAGUS)
    expect(page.get_by_role("button", name="C7 (base of the neck)")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name="Ear (tragus)").click()
    mouse_drag(page, on_screen(page, TRAGUS), on_screen(page, (TRAGUS[0] - 50, TRAGUS[1] + 60)))
    assert close_to(placed(page)["tragus"], (TRAGUS[0] - 50, TRAGUS[1] + 60))
    mouse_drag(page, on_screen(page, (TRAGUS[0] - 50, TRAGUS[1] + 60)), on_screen(page, TRAGUS))
    assert close_to(placed(page)["tragus"], TRAGUS)

    # A finger, zoomed in: C7 chosen, pressed below its mark and dragged up onto it.
    page.get_by_role("button", name="C7 (base of the neck)").click()
    page.get_by_role("button", name="Zoom in").click()
    touch_drag(page, on_screen(page, (C7[0] + 20, C7[1] + 70)), on_screen(page, C7))
    assert close_to(placed(page)["c7"], C7)
    assert page.evaluate("() => window.scrollX") == 0  # the finger did not pan the page

    # Zoomed in, Shift and a mouse drag pan the photo, and two fingers pinch it: no point
    # moves, none is placed (the shoulder, chosen next, stays to place).
    before = placed(page)
    shown = view_box(page)
    page.keyboard.down("Shift")
    start = on_screen(page, (150, 600))
    mouse_drag(page, start, (start[0] + 60, start[1] - 40))
    page.keyboard.up("Shift")
    assert view_box(page) != shown
    shown = view_box(page)
    middle = on_screen(page, (200, 450))
    pinch(page, middle, 30, 90)
    assert view_box(page)[2] < shown[2]  # zoomed further in
    assert placed(page) == before

    # The keyboard: the chosen point moves with the arrow keys, and back. (Once placed, C7
    # handed the choice on to the next landmark to place: it is chosen again first.)
    expect(page.get_by_role("button", name="Shoulder (acromion)")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name="C7 (base of the neck)").click()
    stage = page.locator("[data-lm-stage]")
    stage.focus()
    before = placed(page)["c7"]
    stage.press("ArrowRight")
    assert placed(page)["c7"][0] > before[0]
    stage.press("ArrowLeft")
    assert close_to(placed(page)["c7"], before, 0.2)

    page.get_by_role("button", name="Whole photo").click()
    expect(page.locator("[data-lm-dirty]")).to_be_visible()
    shot(page, "820 tragus and c7 placed")
    page.get_by_role("button", name="Save landmarks").click()
    expect(page.get_by_text("Landmarks saved.")).to_be_visible()

    # The CVA shown is the pure function's for the saved pixels, and the marks' by hand.
    photo = PosturePhoto.objects.get(pk=photo.pk)
    saved = photo.landmarks
    assert set(saved) == {"tragus", "c7"}
    document = {
        "view": "side",
        "facing": "left",
        "image": {"width": WIDTH, "height": HEIGHT},
        "landmarks": saved,
    }
    cva = photo_angles(document)["angles"][0]["value_deg"]
    assert abs(cva - hand_cva(TRAGUS, C7)) < 1.0
    expect(page.locator("[data-cva]")).to_have_text(f"{cva:.1f}°")
    # The saved points are drawn where they were placed, after the page came back.
    expect(page.locator("[data-point]")).to_have_count(2)
    shot(page, "820 saved with the cva")

    page.get_by_role("button", name="Use this CVA in Tech neck").click()
    expect(page.locator("[data-tech-neck-cva]")).to_have_text(f"{cva:.1f}°")
    provenance = "from the left side photo, landmarks placed by hand"
    expect(page.locator("[data-tech-neck-provenance]")).to_have_text(provenance)
    section = TechNeck.objects.get(assessment=photo.assessment)
    assert (section.cva_deg, section.cva_provenance) == (cva, provenance)
    no_sideways_scroll(page)
    shot(page, "820 cva in tech neck")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("[data-landmark-tool].lm-ready")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "390 phone")
    assert not errors, errors


# Landmarks saved on the page before axe looks at it: a side and a front view.
SAVED = {
    "left": {"tragus": list(TRAGUS), "c7": list(C7), "lateral_malleolus": list(ANKLE)},
    "front": {
        "left_acromion": [360, 300],
        "right_acromion": [240, 292],
        "left_iliac_crest": [340, 480],
        "right_iliac_crest": [262, 480],
        "left_knee": [320, 620],
    },
}


@pytest.mark.parametrize("view", list(SAVED))
def test_the_landmark_page_has_no_serious_axe_violation(view, new_context):
    owner = specialist()
    assessment = AssessmentFactory(client=ClientFactory(specialist=owner))
    upload = SimpleUploadedFile("photo.jpg", side_view_jpeg(), content_type="image/jpeg")
    photo = photos.add_photo(assessment, view=view, upload=upload, by=owner)
    photos.save_landmarks(photo, SAVED[view], by=owner)
    page = new_context(viewport=TABLET, bypass_csp=True).new_page()
    sign_in(page, owner.username)
    page.goto(reverse("assessments:photo", args=[photo.pk]))
    expect(page.locator("[data-landmark-tool].lm-ready")).to_be_visible()
    expect(page.locator("[data-point]")).to_have_count(len(SAVED[view]))
    folder = SCREENSHOTS / "landmarks"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"axe-{view}-820.png"), full_page=True)
    blocking = serious_axe_violations(page)
    assert not blocking, "\n".join(blocking)
