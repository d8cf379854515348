"""The specialist's report shows the posture photos of the plan's assessment with their lines
and angles (issue 17, item 5), read through the storage API, one image per photo."""

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.access import get_version_for
from programs.documents import build_specialist_report
from programs.pdf.report import PHOTOS_TITLE, render_report
from tests.assessments.test_photo_figures import photo
from tests.factories import draft_program
from tests.pdf_reading import flat_pdf_text, fonts_of, image_count

TODAY = timezone.localdate()


@pytest.fixture
def version(client_record, specialist_user):
    return draft_program(client_record, specialist_user)


def report_pdf(user, version) -> bytes:
    return render_report(build_specialist_report(get_version_for(user, version.pk), today=TODAY))


def test_the_report_has_a_photo_section_with_one_image_per_photo(
    specialist_user, version, photo_folder
):
    photo(version.assessment, "right", specialist_user, shade=190)
    photo(version.assessment, "front", specialist_user, shade=150)
    photo(version.assessment, "back", specialist_user, shade=110)

    pdf = report_pdf(specialist_user, version)

    words = flat_pdf_text(pdf)
    assert PHOTOS_TITLE in words
    for view in ("Right side", "Front", "Back"):
        assert view in words
    assert "Craniovertebral angle (CVA): 56.3°" in words
    assert "Shoulders: 2.9° from level" in words
    assert image_count(pdf) == 3
    assert all(fonts_of(pdf).values())  # the labels drawn on the photos in DejaVu, embedded


def test_a_report_without_photos_has_no_photo_section(specialist_user, version):
    pdf = report_pdf(specialist_user, version)

    assert PHOTOS_TITLE not in flat_pdf_text(pdf)
    assert image_count(pdf) == 0


def test_a_photo_whose_file_is_gone_is_left_out_not_a_failure(
    specialist_user, version, photo_folder
):
    kept = photo(version.assessment, "right", specialist_user, shade=190)
    gone = photo(version.assessment, "front", specialist_user, shade=150)
    gone.image.storage.delete(gone.image.name)

    document = build_specialist_report(get_version_for(specialist_user, version.pk), today=TODAY)

    assert [p.view for p in document.photos] == [kept.get_view_display()]


def test_the_downloaded_report_shows_the_photos(as_user, specialist_user, version, photo_folder):
    photo(version.assessment, "left", specialist_user)

    response = as_user(specialist_user).get(reverse("programs:report", args=[version.pk]))

    assert response.status_code == 200
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    assert image_count(pdf) == 1
    assert PHOTOS_TITLE in flat_pdf_text(pdf)
