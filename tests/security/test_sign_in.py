"""Sign-in protection: throttling, session rotation and limits, logout, two-factor sign-in."""

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import sessions, two_factor
from tests.factories import PASSWORD


def sign_in(client, user, password=PASSWORD, ip="203.0.113.5"):
    return client.post(
        reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_the_account_for_that_address(client, specialist_user):
    for _ in range(4):
        assert sign_in(client, specialist_user, "wrong").status_code == 200
    locked = sign_in(client, specialist_user, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.text
    # Even the right password is refused during the cool-off.
    assert sign_in(client, specialist_user).status_code == 429


def test_lockout_is_per_username_and_address(client, specialist_user):
    for _ in range(5):
        sign_in(client, specialist_user, "wrong", ip="203.0.113.5")
    assert sign_in(client, specialist_user, ip="198.51.100.7").status_code == 302


def test_lockout_has_a_cool_off_not_a_permanent_lock(settings):
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_FAILURE_LIMIT == 5


def test_a_successful_sign_in_resets_the_failure_count(client, specialist_user):
    for _ in range(3):
        sign_in(client, specialist_user, "wrong")
    sign_in(client, specialist_user)
    assert not AccessAttempt.objects.filter(username=specialist_user.username).exists()


def test_the_session_key_changes_at_sign_in(client, specialist_user):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    sign_in(client, specialist_user)
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(specialist_user.pk)


def test_after_sign_out_the_old_session_cookie_no_longer_works(client, specialist_user):
    sign_in(client, specialist_user)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie
    assert client.get(reverse("clients:list")).status_code == 302


def test_a_password_change_signs_out_the_other_sessions(client, django_user_model, specialist_user):
    from django.test import Client

    other = Client()
    sign_in(other, specialist_user)
    sign_in(client, specialist_user)
    client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-99",
            "new_password2": "another-long-pass-99",
        },
    )
    assert client.get(reverse("clients:list")).status_code == 200
    assert other.get(reverse("clients:list")).status_code == 302


def test_a_deactivated_user_is_anonymous_on_the_next_request(client, specialist_user):
    sign_in(client, specialist_user)
    specialist_user.is_active = False
    specialist_user.save()
    assert client.get(reverse("clients:list")).status_code == 302


@pytest.mark.parametrize(
    ("started_ago", "seen_ago"),
    [(60, 31 * 60), (12 * 3600 + 60, 10)],
    ids=["idle-30-minutes", "older-than-12-hours"],
)
def test_old_or_idle_sessions_end(client, specialist_user, started_ago, seen_ago):
    sign_in(client, specialist_user)
    session = client.session
    session[sessions.STARTED] = time.time() - started_ago
    session[sessions.SEEN] = time.time() - seen_ago
    session.save()
    response = client.get(reverse("clients:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("clients:list")).status_code == 302


def test_an_active_session_goes_on(client, specialist_user):
    sign_in(client, specialist_user)
    session = client.session
    session[sessions.SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("clients:list")).status_code == 200


def test_passwords_need_12_characters(settings):
    validators = {v["NAME"].rsplit(".", 1)[1]: v for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] == 12


# --- Two-factor sign-in -------------------------------------------------------------------


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_specialist_turns_on_two_factor_sign_in(as_user, specialist_user):
    user = as_user(specialist_user)
    page = user.get(reverse("core:two_factor_setup"))
    assert "data:image/svg+xml;base64," in page.text
    assert not TOTPDevice.objects.exists()  # showing the code changes nothing
    key = user.session[two_factor.SETUP_KEY]
    code = f"{totp(bytes.fromhex(key)):06d}"
    user.post(reverse("core:two_factor_setup"), {"code": code})
    device = TOTPDevice.objects.get(user=specialist_user)
    assert device.confirmed


def test_a_wrong_code_does_not_turn_it_on(as_user, specialist_user):
    user = as_user(specialist_user)
    user.get(reverse("core:two_factor_setup"))
    response = user.post(reverse("core:two_factor_setup"), {"code": "123456x"})
    assert "did not match" in response.text
    assert not TOTPDevice.objects.exists()


def test_users_without_a_practice_have_no_two_factor_setup(as_user, staff):
    assert as_user(staff).get(reverse("core:two_factor_setup")).status_code == 403


def test_with_two_factor_the_password_alone_is_not_enough(client, specialist_user):
    device = TOTPDevice.objects.create(user=specialist_user, confirmed=True, name="phone")
    sign_in(client, specialist_user)
    response = client.get(reverse("clients:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:two_factor_verify"))
    client.post(reverse("core:two_factor_verify"), {"code": current_code(device)})
    assert client.get(reverse("clients:list")).status_code == 200


def test_a_wrong_code_is_refused(client, specialist_user):
    TOTPDevice.objects.create(user=specialist_user, confirmed=True, name="phone")
    sign_in(client, specialist_user)
    response = client.post(reverse("core:two_factor_verify"), {"code": "000000"})
    assert "did not match" in response.text
    assert client.get(reverse("clients:list")).status_code == 302


def test_an_owner_can_require_two_factor_sign_in_for_the_practice(client, owner, specialist_user):
    practice = owner.membership.practice
    practice.require_2fa = True
    practice.save()
    sign_in(client, specialist_user)
    response = client.get(reverse("clients:list"))
    assert response["Location"] == reverse("core:two_factor_setup")


def test_two_factor_cannot_be_turned_off_when_the_practice_requires_it(
    as_user, owner, specialist_user
):
    device = TOTPDevice.objects.create(user=specialist_user, confirmed=True, name="phone")
    practice = owner.membership.practice
    practice.require_2fa = True
    practice.save()
    user = as_user(specialist_user)
    user.post(reverse("core:two_factor_verify"), {"code": current_code(device)})
    user.post(reverse("core:two_factor_disable"), {"password": PASSWORD})
    assert TOTPDevice.objects.filter(user=specialist_user).exists()


def test_the_user_row_says_whether_a_confirmed_device_exists(specialist_user):
    unconfirmed = TOTPDevice.objects.create(user=specialist_user, confirmed=False, name="new")
    specialist_user.refresh_from_db()
    assert not specialist_user.has_totp_device
    unconfirmed.confirmed = True
    unconfirmed.save()
    specialist_user.refresh_from_db()
    assert specialist_user.has_totp_device
    TOTPDevice.objects.filter(user=specialist_user).delete()
    specialist_user.refresh_from_db()
    assert not specialist_user.has_totp_device


def test_turning_two_factor_off_lets_the_password_alone_sign_in_again(client, specialist_user):
    device = TOTPDevice.objects.create(user=specialist_user, confirmed=True, name="phone")
    sign_in(client, specialist_user)
    client.post(reverse("core:two_factor_verify"), {"code": current_code(device)})
    # Turning it off asks for the password again (tests/security/test_two_factor_bypass.py).
    client.post(reverse("core:two_factor_disable"), {"password": PASSWORD})
    client.logout()
    sign_in(client, specialist_user)
    assert client.get(reverse("clients:list")).status_code == 200


def _sign_in_as(client, typed, password=PASSWORD, ip="203.0.113.5"):
    return client.post(reverse("login"), {"username": typed, "password": password}, REMOTE_ADDR=ip)


def test_an_email_typed_with_capitals_and_a_trailing_space_signs_in(client, specialist_user):
    typed = specialist_user.username.upper() + " "
    assert _sign_in_as(client, typed).status_code == 302
    assert client.session[SESSION_KEY] == str(specialist_user.pk)


def test_failures_in_any_letter_case_share_one_count(client, specialist_user):
    name = specialist_user.username
    for typed in (name.upper(), name.title(), name, f" {name.upper()}", name.swapcase()):
        _sign_in_as(client, typed, "wrong")
    assert _sign_in_as(client, name).status_code == 429


def test_names_differing_only_in_case_sign_in_exactly_or_not_at_all(client, django_user_model):
    upper = django_user_model.objects.create_user("Coach", password=PASSWORD)
    django_user_model.objects.create_user("coach", password="another-long-pass-99")
    assert _sign_in_as(client, "COACH").status_code == 200
    assert _sign_in_as(client, "Coach").status_code == 302
    assert client.session[SESSION_KEY] == str(upper.pk)
