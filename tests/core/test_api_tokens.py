"""core:api_tokens and core:api_token_revoke: a member's personal API tokens (issue #20).

A token is shown once, on the page that made it; only its hash is stored. It calls the API
as its maker until it expires or is revoked; two-factor users make one from a verified
session only.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from api import tokens
from api.models import ApiToken
from core.forms import DAYS_OUT_OF_RANGE
from tests.factories import PASSWORD

PAGE = reverse("core:api_tokens")
VERIFY = reverse("core:two_factor_verify")
API = reverse("api:client-list")


def create(http, name="Booking sync", days=tokens.DEFAULT_DAYS):
    return http.post(PAGE, {"name": name, "days": str(days)})


def revoke_url(row) -> str:
    return reverse("core:api_token_revoke", args=[row.pk])


def call_api(token: str):
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}").get(API)


@pytest.fixture
def http(as_user, specialist_user):
    return as_user(specialist_user)


@pytest.fixture
def made(specialist_user):
    """A token of the specialist: (the row, the token as shown once)."""
    return tokens.create_token(specialist_user, name="Reporting script")


@pytest.fixture
def device(specialist_user):
    return TOTPDevice.objects.create(
        user=specialist_user, name="Authenticator app", key=random_hex(20), confirmed=True
    )


def every_stored_value() -> str:
    """Every row of every table, as text."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            found.append(repr(cursor.fetchall()))
    return "\n".join(found)


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_name_prefix_dates_and_never_used(http, made):
    row, token = made
    page = http.get(PAGE)
    assert page.status_code == 200
    assert "Reporting script" in page.text
    assert f"{row.prefix}…" in page.text
    assert "Last used" in page.text
    assert "never" in page.text
    assert token not in page.text


def test_the_list_marks_revoked_and_expired_tokens(http, specialist_user):
    revoked, _ = tokens.create_token(specialist_user, name="Old sync")
    tokens.revoke(revoked)
    expired, _ = tokens.create_token(specialist_user, name="Trial", days=1)
    expired.expires_at = timezone.now() - timedelta(days=1)
    expired.save(update_fields=["expires_at"])
    page = http.get(PAGE)
    states = {row.token.name: row.state for row in page.context["tokens"]}
    assert states == {"Old sync": "revoked", "Trial": "expired"}
    assert "Revoked " in page.text
    assert "Expired " in page.text


def test_the_list_holds_only_the_users_own_tokens(http, colleague):
    tokens.create_token(colleague, name="Colleague's script")
    assert "Colleague&#x27;s script" not in http.get(PAGE).text
    assert http.get(PAGE).context["tokens"] == []


def test_the_user_menu_links_to_the_page(http):
    assert f'href="{PAGE}"' in http.get(reverse("core:two_factor_setup")).text


# --- Making one -----------------------------------------------------------------------------


def test_a_new_token_is_shown_on_the_page_that_made_it_with_how_to_use_it(http):
    response = create(http)
    assert response.status_code == 200
    token = response.context["token"]
    assert token.startswith(tokens.PREFIX)
    assert token in response.text
    assert "it will not be shown again" in response.text
    assert "Authorization: Bearer &lt;token&gt;" in response.text


def test_a_new_token_is_never_shown_again(http):
    token = create(http).context["token"]
    assert token not in http.get(PAGE).text


def test_only_the_tokens_hash_is_stored(http):
    token = create(http).context["token"]
    row = ApiToken.objects.get()
    assert row.key_hash == tokens.digest(token)
    assert token not in every_stored_value()


def test_the_page_that_shows_the_token_may_not_be_stored(http):
    assert "no-store" in create(http)["Cache-Control"]


def test_a_token_works_for_the_days_chosen(http):
    create(http, days=7)
    lifetime = ApiToken.objects.get().expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)


def test_the_form_offers_the_default_lifetime(http):
    assert http.get(PAGE).context["form"]["days"].value() == tokens.DEFAULT_DAYS


# --- Using one ------------------------------------------------------------------------------


def test_a_new_token_calls_the_api_and_its_use_is_noted(http, client_record):
    token = create(http).context["token"]
    response = call_api(token)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [client_record.pk]
    assert ApiToken.objects.get().last_used_at is not None
    assert "never" not in http.get(PAGE).text


def test_a_revoked_token_is_refused_by_the_api(http, made):
    row, token = made
    http.post(revoke_url(row))
    assert call_api(token).status_code == 401


def test_an_expired_token_is_refused_by_the_api(made):
    row, token = made
    row.expires_at = timezone.now() - timedelta(seconds=1)
    row.save(update_fields=["expires_at"])
    assert call_api(token).status_code == 401


def test_a_deactivated_users_token_is_refused_by_the_api(made, specialist_user):
    _, token = made
    specialist_user.is_active = False
    specialist_user.save(update_fields=["is_active"])
    assert call_api(token).status_code == 401


# --- Revoking one ---------------------------------------------------------------------------


def test_revoking_leads_back_to_the_list_with_a_message(http, made):
    row, _ = made
    response = http.post(revoke_url(row), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "The token “Reporting script” is revoked" in response.text
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_another_users_token_cannot_be_revoked(http, colleague):
    theirs, token = tokens.create_token(colleague, name="Colleague's script")
    assert http.post(revoke_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert call_api(token).status_code == 200


def test_revoking_takes_a_post(http, made):
    row, _ = made
    assert http.get(revoke_url(row)).status_code == 405
    row.refresh_from_db()
    assert row.revoked_at is None


# --- Who may --------------------------------------------------------------------------------


def test_a_portal_client_may_not_open_the_page(portal):
    assert portal.get(PAGE).status_code == 403
    assert create(portal).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_two_factor_without_a_verified_session_cannot_create_one(http, device):
    response = create(http)  # force_login: the password step only, no code
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert not ApiToken.objects.exists()


def test_the_page_itself_refuses_an_unverified_two_factor_session(http, device, settings):
    # Without the middleware's second step, the view still sends the session to the code.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorMiddleware")]
    response = create(http)
    assert response["Location"].startswith(VERIFY)
    assert not ApiToken.objects.exists()


def test_a_verified_two_factor_session_can_create_one(client, specialist_user, device):
    client.post(reverse("login"), {"username": specialist_user.username, "password": PASSWORD})
    totp = TOTP(bytes.fromhex(device.key))
    totp.time = time.time()
    assert client.post(VERIFY, {"code": f"{totp.token():06d}"}).status_code == 302
    assert create(client).status_code == 200
    assert ApiToken.objects.filter(user=specialist_user).count() == 1


# --- Refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("days", ["0", str(tokens.MAX_DAYS + 1), "-5"])
def test_a_lifetime_out_of_range_is_refused_at_the_field(http, days):
    response = create(http, name="Booking sync", days=days)
    assert response.status_code == 400
    assert response.context["form"].errors == {"days": [DAYS_OUT_OF_RANGE]}
    assert 'value="Booking sync"' in response.text  # nothing typed is lost
    assert not ApiToken.objects.exists()


def test_a_name_is_required(http):
    response = create(http, name="  ")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name"]
    assert not ApiToken.objects.exists()


def test_a_name_longer_than_80_characters_is_refused_at_the_field(http):
    response = create(http, name="x" * 81)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name"]


def test_the_eleventh_active_token_is_refused(http, specialist_user):
    for n in range(tokens.MAX_ACTIVE):
        tokens.create_token(specialist_user, name=f"Script {n}")
    response = create(http, name="One too many")
    assert response.status_code == 400
    assert tokens.TOO_MANY in response.context["form"].non_field_errors()
    assert tokens.TOO_MANY in response.text.replace("&#x27;", "'")
    assert tokens.active(specialist_user).count() == tokens.MAX_ACTIVE


def test_a_revoked_token_makes_room_for_a_new_one(http, specialist_user):
    rows = [tokens.create_token(specialist_user, name=f"S{n}")[0] for n in range(tokens.MAX_ACTIVE)]
    http.post(revoke_url(rows[0]))
    assert create(http).status_code == 200


def test_making_and_revoking_a_token_are_in_the_audit_history(http, specialist_user):
    create(http, name="Audit script")
    row = ApiToken.objects.get(name="Audit script")
    http.post(revoke_url(row))
    kinds = [(h.history_type, h.history_user, h.revoked_at is not None) for h in row.history.all()]
    assert kinds == [("~", specialist_user, True), ("+", specialist_user, False)]


def test_the_audit_history_keeps_no_hash_of_the_token(http):
    create(http, name="Audit script")
    history = ApiToken.history.get(name="Audit script")
    assert not hasattr(history, "key_hash")
