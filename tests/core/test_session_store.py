"""The session engine keeps the signed-in user's id in a column, so erasure finds that
user's sessions with one query instead of decoding every session row."""

from django.test import Client as Browser
from django.urls import reverse

from clients.services import erase_client
from core.models import UserSession
from core.session_store import signed_in_user_id
from tests.factories import PASSWORD, UserFactory


def session_row(browser) -> UserSession:
    return UserSession.objects.get(session_key=browser.session.session_key)


def test_signing_in_stores_the_user_id_with_the_session(client, specialist_user):
    client.get(reverse("login"))
    client.session.save()
    assert session_row(client).user_id is None  # not signed in yet
    client.post(reverse("login"), {"username": specialist_user.username, "password": PASSWORD})
    assert session_row(client).user_id == specialist_user.pk
    assert session_row(client).get_decoded()["_auth_user_id"] == str(specialist_user.pk)


def test_signing_out_leaves_no_session_with_the_user_id(client, specialist_user):
    client.post(reverse("login"), {"username": specialist_user.username, "password": PASSWORD})
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(user_id=specialist_user.pk).exists()


def test_erasure_deletes_the_client_s_sessions_and_leaves_another_user_s(
    client_record, specialist_user
):
    account = UserFactory(username="ana.silva@example.org", email="ana.silva@example.org")
    client_record.user = account
    client_record.save()
    theirs, on_phone, mine = Browser(), Browser(), Browser()
    theirs.force_login(account)
    on_phone.force_login(account)
    mine.force_login(specialist_user)
    assert UserSession.objects.filter(user_id=account.pk).count() == 2

    erase_client(client_record)

    assert not UserSession.objects.filter(user_id=account.pk).exists()
    assert session_row(mine).user_id == specialist_user.pk
    assert mine.get(reverse("clients:list")).status_code == 200


def test_the_user_id_is_read_from_the_session_data():
    assert signed_in_user_id({"_auth_user_id": "42"}) == 42
    assert signed_in_user_id({}) is None
    assert signed_in_user_id({"_auth_user_id": "not-a-number"}) is None
