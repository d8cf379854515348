"""No log record carries a share, invitation or reset token, whichever logger prints the path."""

import logging
import secrets

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client as Browser
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config.log_masking import MASK, mask_path


def invitation_path(user, token=None) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "portal:set_password", args=[uid, token or default_token_generator.make_token(user)]
    )


def logged(caplog) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_an_unknown_share_link_is_logged_with_its_token_masked(caplog):
    token = secrets.token_urlsafe(32)
    with caplog.at_level(logging.INFO):
        response = Browser().get(reverse("portal:shared_plan", args=[token]))
    assert response.status_code == 404
    assert token not in logged(caplog)
    assert f"/p/{MASK}/" in logged(caplog)  # the record is kept, only the secret goes


def test_a_refused_invitation_form_is_logged_with_its_token_masked(caplog, specialist_user):
    token = default_token_generator.make_token(specialist_user)
    browser = Browser(enforce_csrf_checks=True)
    with caplog.at_level(logging.INFO):
        response = browser.post(invitation_path(specialist_user, token), {"new_password1": "x"})
    assert response.status_code == 403  # no CSRF cookie: django.security.csrf logs the path
    assert token not in logged(caplog)
    assert MASK in logged(caplog)


def test_a_refused_password_reset_form_is_logged_with_its_token_masked(caplog, specialist_user):
    token = default_token_generator.make_token(specialist_user)
    uid = urlsafe_base64_encode(force_bytes(specialist_user.pk))
    url = reverse("password_reset_confirm", args=[uid, token])
    with caplog.at_level(logging.INFO):
        Browser(enforce_csrf_checks=True).post(url, {"new_password1": "x"})
    assert token not in logged(caplog)
    assert MASK in logged(caplog)


def test_the_development_server_log_masks_tokens_too(db):
    token = secrets.token_urlsafe(32)
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    server_log = logging.getLogger("django.server")  # its own handler; it does not propagate
    keep = Keep()
    server_log.addHandler(keep)
    try:
        server_log.info('"%s" %s %s', f"GET /p/{token}/ HTTP/1.1", 200, 512)
    finally:
        server_log.removeHandler(keep)
    assert seen == [f'"GET /p/{MASK}/ HTTP/1.1" 200 512']


@pytest.mark.django_db
def test_paths_without_a_token_are_logged_as_they_are():
    assert mask_path("/clients/12/") == "/clients/12/"
    assert mask_path("/welcome/done/") == "/welcome/done/"
    assert mask_path("/no/such/page/") == "/no/such/page/"
