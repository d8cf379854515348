"""core.two_factor's helpers behind the pages: the key waiting in the session, the pairing
codes, the writes, and where the code step goes on."""

import base64

import pytest
from django.core import mail
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import two_factor


def test_the_setup_key_waits_in_the_session_until_paired():
    session = {}
    key = two_factor.setup_key(session)
    assert session[two_factor.SETUP_KEY] == key
    assert two_factor.setup_key(session) == key  # a second page load shows the same key


def test_the_pairing_codes_show_the_key_in_groups_of_four(specialist_user):
    key = "00" * 20
    codes = two_factor.pairing_codes(specialist_user, key)
    assert codes["secret"].replace(" ", "") == base64.b32encode(bytes(20)).decode()
    assert all(len(group) == 4 for group in codes["secret"].split())
    assert base64.b64decode(codes["qr_b64"]).startswith(b"<?xml")


def test_pairing_keeps_one_device_and_a_replacement_emails_the_user(
    specialist_user, django_capture_on_commit_callbacks
):
    first = two_factor.pair(specialist_user, "11" * 20, replacing=False)
    with django_capture_on_commit_callbacks(execute=True):
        second = two_factor.pair(specialist_user, "22" * 20, replacing=True)
    assert list(TOTPDevice.objects.filter(user=specialist_user)) == [second]
    assert first.pk != second.pk
    assert [m.subject for m in mail.outbox] == [two_factor.REPLACED.subject]
    specialist_user.refresh_from_db()
    assert specialist_user.has_totp_device


def test_turning_off_removes_the_device_and_emails_the_user(
    specialist_user, django_capture_on_commit_callbacks
):
    two_factor.pair(specialist_user, "11" * 20, replacing=False)
    with django_capture_on_commit_callbacks(execute=True):
        two_factor.turn_off(specialist_user)
    assert not TOTPDevice.objects.filter(user=specialist_user).exists()
    assert [m.subject for m in mail.outbox] == [two_factor.TURNED_OFF.subject]
    specialist_user.refresh_from_db()
    assert not specialist_user.has_totp_device


@pytest.mark.parametrize(
    ("next_url", "goes_to"),
    [("/clients/", "/clients/"), ("https://evil.example/", "/"), ("", "/")],
)
def test_the_code_step_goes_on_only_to_this_site(next_url, goes_to):
    request = RequestFactory().get("/account/two-factor/verify/", {"next": next_url})
    assert two_factor.safe_next(request) == goes_to


@pytest.mark.parametrize("code", ["²²²²²²", "١٢٣٤٥٦", "12345x"])
def test_a_pairing_code_that_is_not_ascii_digits_is_wrong_not_an_error(code):
    form = two_factor.PairForm({"code": code}, key="00" * 20)
    assert not form.is_valid()
    assert form.errors["code"] == [two_factor.WRONG_CODE]
