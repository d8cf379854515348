"""Who may still download a plan, and what counts as a download (issue 12, findings 10, 12)."""

import pytest
from django.urls import reverse

from clients.services import archive_client, restore_client
from programs import sharing
from programs.models import Download
from tests.factories import UserFactory


@pytest.fixture
def link_path(published, specialist_user):
    _, token = sharing.create_share_link(published, by=specialist_user)
    return reverse("portal:shared_plan", args=[token])


@pytest.fixture
def client_account(client_record):
    """Ana's own portal account."""
    user = UserFactory(username="ana@example.org", email="ana@example.org")
    client_record.user = user
    client_record.save()
    return user


def test_an_archived_clients_share_link_answers_410_and_shows_nothing(
    client, client_record, link_path
):
    archive_client(client_record)

    response = client.get(link_path)

    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/html")
    assert "Ana" not in response.text
    assert "Silva" not in response.text
    assert not Download.objects.exists()


def test_the_share_link_opens_again_once_the_client_is_restored(client, client_record, link_path):
    archive_client(client_record)
    assert client.get(link_path).status_code == 410

    restore_client(client_record)

    assert client.get(link_path).status_code == 200


def test_an_archived_clients_portal_lists_no_plan_and_refuses_the_download(
    as_user, client_account, client_record, published
):
    archive_client(client_record)
    portal = as_user(client_account)

    assert published.pk not in [
        v.pk for v in portal.get(reverse("portal:home")).context["versions"]
    ]
    assert portal.get(reverse("portal:download", args=[published.pk])).status_code == 404
    assert not Download.objects.exists()


def test_a_head_request_on_a_share_link_is_not_a_download(client, link_path):
    assert client.head(link_path + "plan.pdf").status_code == 200
    assert not Download.objects.exists()


def test_a_head_request_on_the_portal_download_is_not_a_download(
    as_user, client_account, published
):
    response = as_user(client_account).head(reverse("portal:download", args=[published.pk]))
    assert response.status_code == 200
    assert not Download.objects.exists()


def test_a_head_request_on_the_specialist_download_is_not_a_download(
    as_user, specialist_user, published
):
    response = as_user(specialist_user).head(reverse("programs:download", args=[published.pk]))
    assert response.status_code == 200
    assert not Download.objects.exists()


def test_a_get_on_a_share_link_is_logged_once_as_a_download(client, link_path):
    client.get(link_path + "plan.pdf")

    assert Download.objects.get().channel == Download.Channel.LINK
