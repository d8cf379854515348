"""A share link's page and its download (portal:shared_plan, portal:shared_plan_download)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.services import archive_client
from programs import sharing
from programs.models import Download
from tests.steps import share


@pytest.fixture
def link(published, specialist_user):
    """(the ShareLink, its token)."""
    return sharing.create_share_link(published, by=specialist_user)


def landing(token):
    return reverse("portal:shared_plan", args=[token])


def download(token):
    return reverse("portal:shared_plan_download", args=[token])


def test_the_link_opens_a_page_with_the_practice_first_name_date_and_a_download_button(
    client, link, published
):
    _, token = link
    page = client.get(landing(token))

    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Ana" in page.text
    assert published.program.client.practice.name in page.text
    assert published.published_at.strftime("%-d %B %Y") in page.text
    assert f'href="{download(token)}"' in page.text
    assert "Download the plan" in page.text


def test_the_page_shows_the_first_name_only(client, link):
    _, token = link
    page = client.get(landing(token))
    assert "Silva" not in page.text


def test_opening_the_page_records_no_download(client, link):
    _, token = link
    client.get(landing(token))
    assert not Download.objects.exists()


def test_the_download_button_records_one_download_through_the_link(client, link):
    share_link, token = link
    response = client.get(download(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    recorded = Download.objects.get()
    assert (recorded.channel, recorded.link) == (Download.Channel.LINK, share_link)


def test_the_page_sends_no_referrer_and_is_not_kept(client, link):
    _, token = link
    page = client.get(landing(token))
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]


def test_share_link_downloads_the_plan_without_signing_in(
    as_user, specialist_user, published, client
):
    path = share(as_user, specialist_user, published)
    client.logout()
    response = client.get(path + "plan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Referrer-Policy"] == "no-referrer"
    download = Download.objects.get()
    assert download.channel == "link"
    assert download.link is not None


def test_share_link_path_is_stable(published, specialist_user):
    # Links already e-mailed must keep working: the path is pinned, not reversed.
    _, token = sharing.create_share_link(published, by=specialist_user)
    assert reverse("portal:shared_plan", args=[token]) == f"/p/{token}/"


# --- A link that no longer works says so and nothing else -----------------------------------------


def revoke(share_link, _published):
    sharing.revoke_link(share_link)


def expire(share_link, _published):
    share_link.expires_at = timezone.now() - timedelta(seconds=1)
    share_link.save(update_fields=["expires_at"])


def archive(_share_link, published):
    archive_client(published.program.client)


@pytest.mark.parametrize("end", [revoke, expire, archive], ids=["revoked", "expired", "archived"])
@pytest.mark.parametrize("address", [landing, download], ids=["page", "download"])
def test_a_link_that_no_longer_works_answers_410_and_shows_nothing_else(
    client, link, published, end, address
):
    share_link, token = link
    end(share_link, published)

    response = client.get(address(token))

    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/html")
    assert "no longer valid" in response.text
    for shown in ("Ana", published.program.client.practice.name, download(token)):
        assert shown not in response.text
    assert not Download.objects.exists()


def test_revoked_link_answers_410_on_the_next_request(as_user, specialist_user, published, client):
    path = share(as_user, specialist_user, published)
    assert client.get(path).status_code == 200
    link = published.links.get()
    as_user(specialist_user).post(reverse("programs:share_revoke", args=[published.pk, link.pk]))
    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert "Ana" not in response.text
    assert "no longer valid" in response.text


def test_expired_link_answers_410(as_user, specialist_user, published, client):
    path = share(as_user, specialist_user, published)
    published.links.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.logout()
    assert client.get(path).status_code == 410


def test_unknown_link_answers_404(client, db):
    assert client.get(reverse("portal:shared_plan", args=["x" * 43])).status_code == 404
