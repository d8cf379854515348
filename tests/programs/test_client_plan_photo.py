"""The client's plan shows their before photo with its lines only when their latest consent
lets photos appear in their plan (issue 17, item 5), described in plain words."""

from datetime import date

import pytest

from programs import sharing
from programs.client_plan import PHOTO_HEADING
from programs.client_plans import client_plan_for
from tests.assessments.test_photo_figures import photo
from tests.factories import ConsentFactory, draft_program
from tests.pdf_reading import flat_pdf_text, fonts_of, image_count

LATER = date(2026, 11, 2)  # after the consent forward_head_assessment records


@pytest.fixture
def version(client_record, specialist_user):
    return draft_program(client_record, specialist_user)


def agree(client, agreed=True, on=LATER):
    ConsentFactory(client=client, consented_on=on, photos_in_plan=agreed)


def test_without_consent_to_photos_the_plan_has_no_photo(
    client_record, specialist_user, version, photo_folder
):
    photo(version.assessment, "right", specialist_user)

    plan = client_plan_for(version)
    pdf = sharing.render_version(version)

    assert plan.before_photo is None
    assert image_count(pdf) == 0
    assert PHOTO_HEADING not in flat_pdf_text(pdf)


def test_with_consent_the_plan_shows_the_side_photo_and_its_line_in_plain_words(
    client_record, specialist_user, version, photo_folder
):
    agree(client_record)
    photo(version.assessment, "front", specialist_user, shade=120)
    photo(version.assessment, "right", specialist_user, shade=200)

    plan = client_plan_for(version)
    pdf = sharing.render_version(version)

    assert plan.before_photo is not None
    assert [s.kind for s in plan.before_photo.overlay.segments][:2] == ["cva", "horizontal"]
    words = " ".join(plan.before_photo.lines)
    assert "from the base of your neck to your ear" in words
    assert "56°" in words
    for verdict in ("forward head", "posture problem", "abnormal", "poor"):
        assert verdict not in words.lower()
    text = flat_pdf_text(pdf)
    assert PHOTO_HEADING in text
    assert "from the base of your neck to your ear" in text
    assert image_count(pdf) == 1
    assert all(fonts_of(pdf).values())


def test_the_front_photo_is_shown_when_no_side_photo_has_a_cva(
    client_record, specialist_user, version, photo_folder
):
    agree(client_record)
    photo(version.assessment, "left", specialist_user, landmarks={})  # no CVA yet
    front = photo(version.assessment, "front", specialist_user)

    plan = client_plan_for(version)

    assert plan.before_photo is not None
    assert "shoulders, your hips and your knees" in " ".join(plan.before_photo.lines)
    assert plan.before_photo.overlay.width == front.width


def test_a_later_consent_that_withdraws_photos_removes_the_photo(
    client_record, specialist_user, version, photo_folder
):
    agree(client_record, on=LATER)
    agree(client_record, agreed=False, on=date(2026, 11, 3))
    photo(version.assessment, "right", specialist_user)

    assert client_plan_for(version).before_photo is None


def test_consent_without_a_photo_gives_no_photo(client_record, version):
    agree(client_record)

    assert client_plan_for(version).before_photo is None


def test_the_portal_gets_the_thumbnail_and_the_overlay_without_a_photo_address(
    client_record, specialist_user, version, photo_folder
):
    agree(client_record)
    photo(version.assessment, "right", specialist_user)

    before = client_plan_for(version).before_photo

    assert before.thumbnail_src.startswith("data:image/jpeg;base64,/9j/")
    assert '<line class="cva"' in before.overlay_svg
    assert before.alt.startswith("Side photo of you")
