"""The portal's whole-plan page shows the before photo only with the client's consent to
photos in their plan; the home page (today's session) never reads it."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.client_plan import PHOTO_HEADING
from tests.assessments.test_photo_figures import photo
from tests.factories import ConsentFactory

LATER = date(2026, 11, 2)


def test_with_consent_the_plan_page_shows_the_before_photo_inline_with_its_lines(
    portal, published, specialist_user, photo_folder
):
    ConsentFactory(client=published.program.client, consented_on=LATER, photos_in_plan=True)
    photo(published.assessment, "right", specialist_user)

    page = portal.get(reverse("portal:plan", args=[published.pk])).text

    assert PHOTO_HEADING in page
    assert 'src="data:image/jpeg;base64,' in page  # no photo address to leak or cache
    assert "<svg" in page
    assert "from the base of your neck to your ear" in page


def test_without_consent_the_plan_page_has_no_photo(
    portal, published, specialist_user, photo_folder
):
    photo(published.assessment, "right", specialist_user)

    page = portal.get(reverse("portal:plan", args=[published.pk])).text

    assert PHOTO_HEADING not in page
    assert "data:image/jpeg" not in page


def test_the_home_page_does_not_read_photos(portal, published, specialist_user, photo_folder):
    ConsentFactory(client=published.program.client, consented_on=LATER, photos_in_plan=True)
    photo(published.assessment, "right", specialist_user)

    with CaptureQueriesContext(connection) as captured:
        page = portal.get(reverse("portal:home")).text

    assert PHOTO_HEADING not in page
    assert not any("posturephoto" in q["sql"].lower() for q in captured.captured_queries)
