"""Who sees which client: the one door (Client.objects.for_user) and every client URL."""

import pytest
from django.urls import reverse

from clients.models import Client
from tests.factories import ClientFactory

CLIENT_URLS = [
    "clients:detail",
    "clients:edit",
    "clients:screening",
    "clients:clearance",
    "clients:consent",
    "clients:reassign",
    "clients:archive",
    "clients:restore",
    "clients:erase",
]


POST_ONLY = {"clients:archive", "clients:restore"}


@pytest.mark.parametrize("name", CLIENT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_specialist_gets_404_on_every_client_url(
    as_user, colleague, client_record, name, method
):
    response = getattr(as_user(colleague), method)(reverse(name, args=[client_record.pk]))
    # State changes are POST-only: a GET is refused before anything is looked up.
    expected = 405 if method == "get" and name in POST_ONLY else 404
    assert response.status_code == expected


@pytest.mark.parametrize("name", CLIENT_URLS)
def test_another_practice_gets_404_on_every_client_url(as_user, outsider, client_record, name):
    response = as_user(outsider).post(reverse(name, args=[client_record.pk]))
    assert response.status_code == 404


def test_post_from_outside_changes_nothing(as_user, colleague, client_record):
    as_user(colleague).post(reverse("clients:archive", args=[client_record.pk]))
    client_record.refresh_from_db()
    assert client_record.archived_at is None


def test_specialist_sees_only_own_clients(specialist_user, colleague, client_record):
    ClientFactory(specialist=colleague)
    assert list(Client.objects.for_user(specialist_user)) == [client_record]


def test_owner_sees_every_client_of_the_practice(owner, specialist_user, colleague, client_record):
    theirs = ClientFactory(specialist=colleague)
    ClientFactory()  # another practice
    assert set(Client.objects.for_user(owner)) == {client_record, theirs}


def test_owner_opens_a_colleagues_client(as_user, owner, client_record):
    response = as_user(owner).get(reverse("clients:detail", args=[client_record.pk]))
    assert response.status_code == 200
    assert "Ana Silva" in response.text


def test_owner_list_shows_the_whole_practice(as_user, owner, client_record, colleague):
    ClientFactory(specialist=colleague, first_name="Bea", last_name="Costa")
    text = as_user(owner).get(reverse("clients:list")).text
    assert "Ana Silva" in text
    assert "Bea Costa" in text


def test_staff_without_practice_sees_no_client(staff, client_record):
    assert not Client.objects.for_user(staff).exists()


def test_inactive_specialist_sees_no_client(specialist_user, client_record):
    specialist_user.is_active = False
    assert not Client.objects.for_user(specialist_user).exists()


def test_anonymous_is_sent_to_sign_in(client, client_record):
    response = client.get(reverse("clients:detail", args=[client_record.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_practice_is_refused_the_client_list(as_user, staff):
    assert as_user(staff).get(reverse("clients:list")).status_code == 403


def test_specialist_cannot_reassign(as_user, specialist_user, client_record):
    response = as_user(specialist_user).get(reverse("clients:reassign", args=[client_record.pk]))
    assert response.status_code == 403


def test_owner_reassigns_a_client_to_a_colleague(as_user, owner, colleague, client_record):
    response = as_user(owner).post(
        reverse("clients:reassign", args=[client_record.pk]), {"specialist": colleague.pk}
    )
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.specialist == colleague


def test_owner_cannot_reassign_to_another_practice(
    as_user, owner, outsider, client_record, specialist_user
):
    response = as_user(owner).post(
        reverse("clients:reassign", args=[client_record.pk]), {"specialist": outsider.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    client_record.refresh_from_db()
    assert client_record.specialist == specialist_user


def test_creating_a_client_ignores_a_posted_specialist(as_user, specialist_user, colleague):
    as_user(specialist_user).post(
        reverse("clients:create"),
        {
            "first_name": "Eva",
            "last_name": "Lund",
            "birth_date": "1990-01-01",
            "sex": "female",
            "specialist": colleague.pk,
            "practice": 999,
        },
    )
    created = Client.objects.get(first_name="Eva")
    assert created.specialist == specialist_user
    assert created.practice == specialist_user.membership.practice
