"""Two-factor sign-in cannot be bypassed, turned off or replaced with the password alone.

Issue 12, finding 1: a session that has passed the password step but not the code step could
delete the device (disable page) or pair a new one (setup page). Until the code is entered,
such a session reaches "enter your code" and sign-out only; turning two-factor off or
replacing the authenticator needs a verified session and the password (or a current code)
again, and tells the user by email.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from core import two_factor
from tests.factories import PASSWORD
from tests.matrix_objects import (
    AUTH_VIEW_NAMES,
    build_world,
    changes,
    matrix_routes,
    snapshot,
    url_for,
)

VERIFY = reverse("core:two_factor_verify")
SETUP = reverse("core:two_factor_setup")
DISABLE = reverse("core:two_factor_disable")


def code_for(key_hex: str, *, seconds_ago: int = 0) -> str:
    """The code an authenticator app paired with this key shows (now, or a while ago)."""
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() - seconds_ago
    return f"{totp.token():06d}"


def sign_in_with_password(client, user):
    """The first step only: what an attacker who knows the password can do."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    return client


def sign_in_fully(client, user, device):
    """Password, then the code. The previous step's code is used, so that the current one
    is still unused for a test that re-authenticates with it (a code works once)."""
    sign_in_with_password(client, user)
    response = client.post(VERIFY, {"code": code_for(device.key, seconds_ago=30)})
    assert response.status_code == 302, "the code step failed"
    return client


@pytest.fixture(params=["optional", "required"])
def practice_rule(request, specialist_user):
    """Run the test both when two-factor is the user's choice and when the practice requires it."""
    practice = specialist_user.membership.practice
    practice.require_2fa = request.param == "required"
    practice.save()
    return request.param


@pytest.fixture
def device(specialist_user):
    """The victim's paired authenticator app."""
    return TOTPDevice.objects.create(
        user=specialist_user, name="Authenticator app", key=random_hex(20), confirmed=True
    )


def devices_of(user) -> list[str]:
    return list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True))


# --- (a) and (b): the password alone ---------------------------------------------------------


def test_the_password_alone_cannot_turn_two_factor_off(
    client, specialist_user, device, practice_rule, mailoutbox
):
    sign_in_with_password(client, specialist_user)
    response = client.post(DISABLE, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert devices_of(specialist_user) == [device.key]
    assert client.get(reverse("clients:list"))["Location"].startswith(VERIFY)
    assert mailoutbox == []


def test_the_password_alone_cannot_open_the_setup_page(
    client, specialist_user, device, practice_rule
):
    sign_in_with_password(client, specialist_user)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert two_factor.SETUP_KEY not in client.session  # no new secret was handed out


def test_the_password_alone_cannot_pair_a_new_authenticator(
    client, specialist_user, device, practice_rule, mailoutbox
):
    sign_in_with_password(client, specialist_user)
    # Even with a key already waiting in the session (from a setup page opened earlier).
    attacker_key = random_hex(20)
    session = client.session
    session[two_factor.SETUP_KEY] = attacker_key
    session.save()
    response = client.post(SETUP, {"code": code_for(attacker_key), "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert devices_of(specialist_user) == [device.key]
    assert client.get(reverse("clients:list"))["Location"].startswith(VERIFY)
    assert mailoutbox == []


@pytest.fixture
def world(specialist_user, colleague, outsider, owner, staff, client_record):
    return build_world(
        specialist_user=specialist_user,
        colleague=colleague,
        outsider=outsider,
        owner=owner,
        staff=staff,
        client_record=client_record,
    )


# Only these answer a session that is waiting for its code.
BEFORE_THE_CODE = {"core:two_factor_verify", "logout"}


def test_before_the_code_every_other_page_sends_to_the_code_step(
    client, world, specialist_user, device
):
    urls = {r.name: url_for(r.name, world) for r in matrix_routes()}
    for name in AUTH_VIEW_NAMES - {"password_reset_confirm"}:
        urls[name] = reverse(name)
    urls["password_reset_confirm"] = reverse("password_reset_confirm", args=["MQ", "set-password"])
    urls["admin:index"] = reverse("admin:index")
    urls["not a page"] = "/no-such-page/"
    sign_in_with_password(client, specialist_user)
    before = snapshot()
    reached = []
    for name, url in sorted(urls.items()):
        if name in BEFORE_THE_CODE:
            continue
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code != 302 or not response["Location"].startswith(VERIFY):
                reached.append(f"{method.__name__.upper()} {name}: {response.status_code}")
    assert reached == []
    assert changes(before, snapshot()) == []


def test_before_the_code_the_password_cannot_be_changed(client, specialist_user, device):
    sign_in_with_password(client, specialist_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "attacker-chosen-pass-1",
            "new_password2": "attacker-chosen-pass-1",
        },
    )
    assert response["Location"].startswith(VERIFY)
    specialist_user.refresh_from_db()
    assert specialist_user.check_password(PASSWORD)


# --- Turning it off: a verified session and the password again -------------------------------


def test_turning_off_asks_for_the_password_even_after_the_code(
    client, specialist_user, device, mailoutbox
):
    sign_in_fully(client, specialist_user, device)
    response = client.post(DISABLE, {})
    assert response.status_code == 200
    assert response.context["disable_form"].errors["password"]
    assert devices_of(specialist_user) == [device.key]


def test_a_wrong_password_does_not_turn_it_off(client, specialist_user, device, mailoutbox):
    sign_in_fully(client, specialist_user, device)
    response = client.post(DISABLE, {"password": "not-my-password-at-all"})
    assert response.status_code == 200
    assert two_factor.WRONG_PASSWORD in response.context["disable_form"].errors["password"]
    assert devices_of(specialist_user) == [device.key]
    assert mailoutbox == []


def test_the_password_again_turns_it_off_and_tells_the_user_by_email(
    client, specialist_user, device, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in_fully(client, specialist_user, device)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DISABLE, {"password": PASSWORD})
    assert response.status_code == 302
    assert devices_of(specialist_user) == []
    (email,) = mailoutbox
    assert email.to == [specialist_user.email]
    assert "turned off" in email.subject
    assert device.key not in email.body


def test_a_current_code_can_stand_in_for_the_password(
    client, specialist_user, device, django_capture_on_commit_callbacks
):
    sign_in_fully(client, specialist_user, device)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(DISABLE, {"password": code_for(device.key)})
    assert devices_of(specialist_user) == []


def test_the_code_used_to_sign_in_cannot_be_used_again(client, specialist_user, device):
    sign_in_fully(client, specialist_user, device)
    response = client.post(DISABLE, {"password": code_for(device.key, seconds_ago=30)})
    assert response.status_code == 200
    assert devices_of(specialist_user) == [device.key]


def test_it_stays_on_when_the_practice_requires_it(
    client, owner, specialist_user, device, mailoutbox
):
    practice = owner.membership.practice
    practice.require_2fa = True
    practice.save()
    sign_in_fully(client, specialist_user, device)
    client.post(DISABLE, {"password": PASSWORD})
    assert devices_of(specialist_user) == [device.key]
    assert mailoutbox == []


def test_a_mail_server_that_refuses_does_not_stop_it_turning_off(
    client,
    settings,
    specialist_user,
    device,
    caplog,
    django_capture_on_commit_callbacks,
):
    sign_in_fully(client, specialist_user, device)
    # Nothing listens on port 1: the connection is refused at once.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "use_tls": False, "timeout": 5},
        }
    }
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = client.post(DISABLE, {"password": PASSWORD})
    assert response.status_code == 302
    assert devices_of(specialist_user) == []
    assert "not sent" in caplog.text
    assert specialist_user.email not in caplog.text


# --- Replacing the authenticator -------------------------------------------------------------


def test_after_the_code_the_setup_page_shows_the_status_and_no_new_secret(
    client, specialist_user, device
):
    sign_in_fully(client, specialist_user, device)
    response = client.get(SETUP)
    assert response.status_code == 200
    assert "Replace" in response.text
    assert two_factor.SETUP_KEY not in client.session


def test_when_the_practice_requires_it_the_status_page_offers_replacing_only(
    client, owner, specialist_user, device
):
    practice = owner.membership.practice
    practice.require_2fa = True
    practice.save()
    sign_in_fully(client, specialist_user, device)
    response = client.get(SETUP)
    assert two_factor.REQUIRED_BY_PRACTICE in response.text
    assert DISABLE not in response.text
    assert f"{SETUP}?replace=1" in response.text


def open_replace_page(client) -> str:
    response = client.get(SETUP, {"replace": "1"})
    assert response.status_code == 200
    assert "data:image/svg+xml;base64," in response.text
    return client.session[two_factor.SETUP_KEY]


def test_replacing_needs_the_password_again(client, specialist_user, device, mailoutbox):
    sign_in_fully(client, specialist_user, device)
    new_key = open_replace_page(client)
    response = client.post(SETUP, {"code": code_for(new_key), "password": "not-my-password"})
    assert response.status_code == 200
    assert two_factor.WRONG_PASSWORD in response.context["form"].errors["password"]
    assert devices_of(specialist_user) == [device.key]
    assert client.session[two_factor.SETUP_KEY] == new_key  # the scanned key still works
    assert mailoutbox == []


def test_replacing_with_the_password_pairs_the_new_app_and_tells_the_user(
    client, specialist_user, device, practice_rule, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in_fully(client, specialist_user, device)
    new_key = open_replace_page(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"code": code_for(new_key), "password": PASSWORD})
    assert response.status_code == 302
    assert devices_of(specialist_user) == [new_key]
    assert client.get(reverse("clients:list")).status_code == 200
    (email,) = mailoutbox
    assert email.to == [specialist_user.email]
    assert "replaced" in email.subject
    assert new_key not in email.body


# --- The first device --------------------------------------------------------------------------


def test_a_member_without_a_device_can_still_pair_one_when_the_practice_requires_it(
    client, owner, specialist_user
):
    practice = owner.membership.practice
    practice.require_2fa = True
    practice.save()
    sign_in_with_password(client, specialist_user)
    assert client.get(reverse("clients:list"))["Location"] == SETUP
    assert client.get(SETUP).status_code == 200
    key = client.session[two_factor.SETUP_KEY]
    client.post(SETUP, {"code": code_for(key)})
    assert devices_of(specialist_user) == [key]
    assert client.get(reverse("clients:list")).status_code == 200


def test_wrong_passwords_again_are_paused_like_failed_sign_ins(client, specialist_user, device):
    sign_in_fully(client, specialist_user, device)
    for _ in range(4):
        assert client.post(DISABLE, {"password": "not-my-password-at-all"}).status_code == 200
    assert client.post(DISABLE, {"password": "not-my-password-at-all"}).status_code == 429
    # During the pause even the right password is refused.
    assert client.post(DISABLE, {"password": PASSWORD}).status_code == 429
    assert devices_of(specialist_user) == [device.key]
