"""A share link opens a small page (whose plan, from whom, of when, a download button); only
the button's download is recorded, and a link that no longer works says so and nothing else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import TechNeck
from clients.services import archive_client
from programs import services, sharing
from programs.models import Download
from tests.factories import AssessmentFactory, ConsentFactory


@pytest.fixture
def published(client_record, specialist_user):
    ConsentFactory(client=client_record)
    assessment = AssessmentFactory(client=client_record, assessed_on=timezone.localdate())
    TechNeck.objects.create(assessment=assessment, cva_deg=44)
    return services.publish(
        services.generate_program(assessment, by=specialist_user), by=specialist_user
    )


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


def test_the_specialist_gets_the_link_with_a_copy_button_and_a_selectable_field(
    as_user, specialist_user, published
):
    page = as_user(specialist_user).post(
        reverse("programs:share_create", args=[published.pk]), {"days": 30}
    )
    assert 'id="share-url" type="text" readonly' in page.text
    assert 'data-copy="share-url"' in page.text
