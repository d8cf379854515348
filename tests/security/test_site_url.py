"""Emailed and shown links start with the site's configured address, never the request's
Host header (issue 12, finding 13)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from core import site
from tests.factories import published_program

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://realign.example.com"
EVIL = {"HTTP_HOST": "evil.example:8443"}


@pytest.fixture
def hostile_host(settings):
    """A deployment whose host check lets a forged Host through (a wildcard, a lax proxy)."""
    settings.ALLOWED_HOSTS = ["testserver", "realign.example.com", "evil.example"]


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<]+", text)


def assert_only_site(urls: list[str], base: str = SITE) -> None:
    assert urls
    assert all(url.startswith(base + "/") for url in urls), urls
    assert not any("evil.example" in url for url in urls)


def test_password_reset_link_uses_site_url_not_the_host(
    client, settings, hostile_host, specialist_user
):
    settings.SITE_URL = SITE
    client.post(reverse("password_reset"), {"email": specialist_user.email}, **EVIL)
    assert_only_site(links(mail.outbox[0].body))


def test_invitation_link_uses_site_url_not_the_host(
    as_user,
    specialist_user,
    client_record,
    settings,
    hostile_host,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = SITE
    with django_capture_on_commit_callbacks(execute=True):
        as_user(specialist_user).post(reverse("clients:invite", args=[client_record.pk]), **EVIL)
    assert_only_site(links(mail.outbox[0].body))


def test_share_link_shown_uses_site_url_not_the_host(
    as_user, specialist_user, client_record, settings, hostile_host
):
    settings.SITE_URL = SITE
    version = published_program(client_record, specialist_user)
    page = as_user(specialist_user).post(
        reverse("programs:share_create", args=[version.pk]), {"days": "7"}, **EVIL
    )
    shown = [url for url in links(page.text) if "/p/" in url]
    assert_only_site(shown)


def test_production_without_site_url_uses_the_first_allowed_host(
    as_user,
    specialist_user,
    client_record,
    settings,
    hostile_host,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = ""
    settings.PRODUCTION = True
    settings.ALLOWED_HOSTS = ["realign.example.com", "evil.example"]
    with django_capture_on_commit_callbacks(execute=True):
        as_user(specialist_user).post(reverse("clients:invite", args=[client_record.pk]), **EVIL)
    assert_only_site(links(mail.outbox[0].body))


def test_development_links_follow_the_address_the_developer_opened(client, specialist_user):
    client.post(
        reverse("password_reset"), {"email": specialist_user.email}, HTTP_HOST="localhost:8000"
    )
    assert links(mail.outbox[0].body)[0].startswith("http://localhost:8000/accounts/reset/")


def test_deploy_check_warns_when_site_url_is_missing(settings):
    settings.SITE_URL = ""
    assert [w.id for w in site.check_site_url(None)] == [site.SITE_URL_MISSING]
    settings.SITE_URL = SITE
    assert site.check_site_url(None) == []


@pytest.mark.parametrize(
    "value", ["realign.example.com", "https://realign.example.com/app", "ftp://realign.example.com"]
)
def test_settings_refuse_a_site_url_that_is_not_a_scheme_and_host(value):
    clean = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "SITE_URL": value},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SITE_URL must be a scheme and host only" in result.stderr
