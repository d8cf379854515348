"""The pose model's landmark suggestions on the photo page (issue 18), at tablet width.

The first test sets a side photo's suggestions directly on the model, so it does not depend
on the pose model: the suggested points appear pre-placed with a dashed ring and "suggested:
check it" in the list, the model's ear centre shows as a guide that is never a landmark; the
specialist drags the knee off its suggestion, places C7 and the tragus by hand with a finger,
saves, and the database and the page record each landmark's source. A front photo's
suggestions show the proxy notes and the landmarks always placed by hand, and axe finds no
serious violation. The last test runs the real model end to end (skipped when it is not
installed): a photo uploaded through the page comes back with suggestions, and "Suggest
landmarks" asks again. Screenshots go to e2e-screenshots/suggestions/.
"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments import photos, pose_model
from assessments.models import PosturePhoto
from tests.e2e.conftest import ROOT, serious_axe_violations, sign_in
from tests.e2e.test_landmarks import (
    C7,
    PHONE,
    TABLET,
    TRAGUS,
    close_to,
    no_sideways_scroll,
    on_screen,
    placed,
    side_view_jpeg,
    touch_drag,
)
from tests.factories import AssessmentFactory, ClientFactory, specialist

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What the pose model "proposed" for the side figure of test_landmarks.py (image pixels).
SUGGESTED = {
    "acromion": [312.0, 285.0],  # near C7: C7's mark is in the acromion's touch target
    "greater_trochanter": [300.0, 470.0],
    "knee": [300.0, 600.0],
    "lateral_malleolus": [300.0, 738.0],
}
EAR_CENTRE = [276.0, 178.0]  # the model's ear, a guide for the tragus only
KNEE_TO = (286.0, 622.0)
REAL_MODEL = ROOT / "var" / "pose-model" / pose_model.MODEL_FILE


@pytest.fixture
def no_model_here(settings, tmp_path):
    """The pose model is not installed (an empty folder): nothing runs at upload."""
    settings.POSE_MODEL_DIR = tmp_path


def photo_with_suggestions(view: str, landmarks: dict, guides: dict) -> tuple:
    owner = specialist()
    assessment = AssessmentFactory(client=ClientFactory(specialist=owner))
    upload = SimpleUploadedFile("photo.jpg", side_view_jpeg(), content_type="image/jpeg")
    photo = photos.add_photo(assessment, view=view, upload=upload, by=owner)
    photo.suggestions = {"landmarks": landmarks, "guides": guides}
    photo.suggested_at = timezone.now()
    photo.suggestion_model = pose_model.MODEL_NAME
    photo.save()
    return owner, photo


def watch_errors(page: Page) -> list:
    """Script errors and the console's (a CSP refusal is one) collected as they happen."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    return errors


def choice(page: Page, label: str):
    return page.locator(f"[data-landmark='{label}']")


def state(page: Page, name: str):
    return page.locator(f"[data-landmark='{name}'] [data-state]")


def tap(page: Page, at) -> None:
    """A finger's tap (touch events), with the small jitter of a real finger."""
    touch_drag(page, at, (at[0] + 2, at[1] + 1), steps=2)


def test_suggestions_are_checked_adjusted_and_confirmed_by_saving(
    no_model_here, new_context, shots
):
    owner, photo = photo_with_suggestions("left", SUGGESTED, {"tragus": EAR_CENTRE})
    shot = shots("suggestions")
    page = new_context(viewport=TABLET, has_touch=True).new_page()
    errors = watch_errors(page)
    sign_in(page, owner.username)

    # The photos page says the suggestions wait to be checked.
    page.goto(reverse("assessments:photos", args=[photo.assessment_id]))
    expect(page.locator("[data-view=left] [data-to-check]")).to_have_text(
        "4 suggested landmarks to check"
    )
    shot(page, "820 photos page with suggestions to check")
    page.get_by_role("link", name="Check the suggestions").click()
    expect(page.locator("[data-landmark-tool].lm-ready")).to_be_visible()

    # Pre-placed on their suggestions, with the suggestion look, to check and save.
    for name, point in SUGGESTED.items():
        expect(page.locator(f"[data-point={name}].lm-suggested")).to_have_count(1)
        expect(state(page, name)).to_have_text("suggested: check it")
        assert placed(page)[name] == point
    expect(state(page, "tragus")).to_have_text("not placed")
    expect(state(page, "c7")).to_have_text("not placed")
    expect(page.locator("[data-lm-dirty]")).to_be_visible()
    expect(page.locator("[data-lm-status]")).to_contain_text("4 landmarks suggested")
    panel = page.locator("[data-suggestion-panel]")
    expect(panel.locator("[data-suggested-by]")).to_contain_text(pose_model.MODEL_NAME)
    expect(panel.locator("[data-never-suggested]")).to_contain_text(
        "Always placed by hand: Ear (tragus), C7 (base of the neck). The hollow ring"
    )
    expect(panel.locator("[data-suggestions-missing]")).to_contain_text("fetch_pose_model")
    expect(page.locator("#lm-note-tragus")).to_contain_text("the small flap just in front")
    expect(page.locator("#lm-note-acromion")).to_contain_text("check that it sits on the acromion")
    expect(choice(page, "acromion")).to_have_attribute("aria-describedby", "lm-note-acromion")
    # The model's ear centre: a guide, never a landmark.
    guide = page.locator("[data-model-guide=tragus]")
    expect(guide).to_have_count(1)
    expect(guide).to_contain_text("ear centre (model)")
    assert "tragus" not in placed(page)
    expect(choice(page, "tragus")).to_have_attribute("aria-pressed", "true")
    shot(page, "820 suggestions to check")

    # The tragus by hand, tapped just beside the ear guide (which takes no pointer), then C7.
    tap(page, on_screen(page, TRAGUS))  # a new point follows the finger to where it lifts
    assert close_to(placed(page)["tragus"], TRAGUS, 4)
    expect(guide).to_have_text("")  # the ring stays; the tragus's own name is beside it now
    expect(choice(page, "c7")).to_have_attribute("aria-pressed", "true")
    tap(page, on_screen(page, C7))  # in the acromion's wide target, off its dot: C7 goes down
    assert close_to(placed(page)["c7"], C7, 4)
    assert placed(page)["acromion"] == SUGGESTED["acromion"]
    expect(state(page, "tragus")).to_have_text("placed")

    # A tap on a suggestion chooses it and leaves it where it is (a finger's jitter is no drag).
    tap(page, on_screen(page, SUGGESTED["acromion"]))
    expect(choice(page, "acromion")).to_have_attribute("aria-pressed", "true")
    assert placed(page)["acromion"] == SUGGESTED["acromion"]
    expect(page.locator("[data-lm-status]")).to_have_text(
        "Suggested: Shoulder (acromion). Drag it if it is off."
    )
    expect(page.locator("[data-lm-chosen]")).to_contain_text("suggested: drag it if it is off")

    # The knee is off: a finger drags it; it is then an ordinary point. (The photo is first
    # scrolled whole into the window: the knee is below the fold at first.)
    page.locator("[data-lm-stage]").evaluate(
        "stage => stage.scrollIntoView({block: 'start', behavior: 'instant'})"
    )
    touch_drag(page, on_screen(page, SUGGESTED["knee"]), on_screen(page, KNEE_TO))
    assert close_to(placed(page)["knee"], KNEE_TO)
    expect(page.locator("[data-point=knee].lm-suggested")).to_have_count(0)
    expect(page.locator("[data-point=knee]")).to_have_count(1)
    expect(state(page, "knee")).to_have_text("placed")
    expect(page.locator("[data-point].lm-suggested")).to_have_count(3)
    no_sideways_scroll(page)
    shot(page, "820 knee moved c7 and tragus placed")

    # Saving confirms: every point on the photo is saved, with how it came.
    page.get_by_role("button", name="Save landmarks").click()
    expect(page.get_by_text("Landmarks saved.")).to_be_visible()
    photo = PosturePhoto.objects.get(pk=photo.pk)
    assert photo.landmark_sources == {
        "tragus": "hand",
        "c7": "hand",
        "acromion": "suggested",
        "greater_trochanter": "suggested",
        "knee": "moved",
        "lateral_malleolus": "suggested",
    }
    assert photo.landmarks["acromion"] == SUGGESTED["acromion"]
    assert close_to(photo.landmarks["tragus"], TRAGUS, 4)
    assert close_to(photo.landmarks["tragus"], EAR_CENTRE, 5) is False  # never the guide

    # The page after the save says so, and nothing is left to check.
    expect(page.locator("[data-landmark-tool].lm-ready")).to_be_visible()
    words = {"suggested": "suggested, checked", "moved": "moved", "hand": "placed by hand"}
    for name, source in photo.landmark_sources.items():
        expect(state(page, name)).to_have_text(words[source])
    expect(page.locator("[data-point]")).to_have_count(6)
    expect(page.locator("[data-point].lm-suggested")).to_have_count(0)
    expect(page.locator("[data-lm-dirty]")).to_be_hidden()
    expect(page.locator("[data-model-guide=tragus]")).to_have_count(1)
    expect(page.locator("[data-suggested-by]")).to_contain_text("checked by hand")
    expect(page.locator("[data-cva]")).to_be_visible()
    expect(page.locator("[data-angles-sources]")).to_contain_text("checked by hand (kept or moved)")
    shot(page, "820 saved with sources")
    page.goto(reverse("assessments:photos", args=[photo.assessment_id]))
    expect(page.locator("[data-view=left] [data-to-check]")).to_have_count(0)

    # A phone: the suggestions of a new photo, to check.
    _, fresh = photo_with_suggestions("left", SUGGESTED, {"tragus": EAR_CENTRE})
    phone = new_context(viewport=PHONE, has_touch=True).new_page()
    errors += watch_errors(phone)
    sign_in(phone, fresh.uploaded_by.username)
    phone.goto(reverse("assessments:photo", args=[fresh.pk]))
    expect(phone.locator("[data-point].lm-suggested")).to_have_count(4)
    no_sideways_scroll(phone)
    shot(phone, "390 suggestions to check")
    assert not errors, errors


FRONT = {
    "left_eye": [330.0, 170.0],
    "right_eye": [280.0, 170.0],
    "left_ear": [350.0, 180.0],
    "right_ear": [255.0, 182.0],
    "left_acromion": [370.0, 300.0],
    "right_acromion": [235.0, 296.0],
    "left_knee": [330.0, 600.0],
    "right_knee": [275.0, 602.0],
}


def test_a_front_photo_shows_the_proxy_notes_and_passes_axe(no_model_here, new_context, shots):
    owner, photo = photo_with_suggestions("front", FRONT, {})
    page = new_context(viewport=TABLET, bypass_csp=True).new_page()
    sign_in(page, owner.username)
    page.goto(reverse("assessments:photo", args=[photo.pk]))
    expect(page.locator("[data-landmark-tool].lm-ready")).to_be_visible()
    expect(page.locator("[data-point].lm-suggested")).to_have_count(len(FRONT))
    for side in ("left", "right"):
        expect(page.locator(f"#lm-note-{side}_acromion")).to_contain_text("shoulder joint")
        expect(state(page, f"{side}_eye")).to_have_text("suggested: check it")
    expect(page.locator("[data-proxy-note]")).to_have_count(2)  # only the shoulders' here
    expect(page.locator("[data-model-guide]")).to_have_count(0)
    expect(page.locator("[data-never-suggested]")).to_contain_text(
        "Always placed by hand: Left iliac crest (top of the pelvis), Right iliac crest (top of "
        "the pelvis), Left ASIS (front of the pelvis), Right ASIS (front of the pelvis)."
    )
    shots("suggestions-front")(page, "820 front suggestions")
    blocking = serious_axe_violations(page)
    assert not blocking, "\n".join(blocking)


@pytest.mark.skipif(not REAL_MODEL.is_file(), reason="pose model not installed (fetch_pose_model)")
def test_the_real_pose_model_suggests_landmarks_for_an_uploaded_photo(
    settings, new_context, shots, tmp_path
):
    settings.POSE_MODEL_DIR = REAL_MODEL.parent
    owner = specialist()
    assessment = AssessmentFactory(client=ClientFactory(specialist=owner))
    shot = shots("suggestions-real-model")
    page = new_context(viewport=TABLET, has_touch=True).new_page()
    errors = watch_errors(page)
    sign_in(page, owner.username)
    page.goto(reverse("assessments:photos", args=[assessment.pk]))
    upload = tmp_path / "side.jpg"
    upload.write_bytes(side_view_jpeg())
    page.locator("#id_view").select_option("left")
    page.locator("input[type=file]").set_input_files(str(upload))
    started = time.monotonic()
    page.get_by_role("button", name="Save the photo").click()
    expect(page.locator("[data-landmark-tool].lm-ready")).to_be_visible()
    expect(page.locator("[data-point].lm-suggested").first).to_be_visible(timeout=10_000)
    took = time.monotonic() - started
    assert took < 10, f"the suggestions took {took:.1f} s"

    photo = PosturePhoto.objects.get(assessment=assessment)
    suggested = photo.suggestions["landmarks"]
    assert suggested, photo.suggestions
    assert not {"tragus", "c7"} & set(suggested)  # never suggested
    assert placed(page) == suggested
    expect(page.locator("[data-point].lm-suggested")).to_have_count(len(suggested))
    if "tragus" in photo.suggestions["guides"]:
        expect(page.locator("[data-model-guide=tragus]")).to_have_count(1)
    shot(page, "820 suggestions from the model")

    # On request, again: the page comes back with the model's message.
    page.get_by_role("button", name="Suggest landmarks").click()
    expect(page.get_by_text(f"The pose model suggested {len(suggested)} landmarks")).to_be_visible()
    expect(page.locator("[data-point].lm-suggested")).to_have_count(len(suggested))

    # Saved as they are: each one suggested, checked.
    page.get_by_role("button", name="Save landmarks").click()
    expect(page.get_by_text("Landmarks saved.")).to_be_visible()
    photo.refresh_from_db()
    assert photo.landmark_sources == dict.fromkeys(suggested, "suggested")
    for name in suggested:
        expect(state(page, name)).to_have_text("suggested, checked")
    shot(page, "820 saved as suggested")
    assert not errors, errors
