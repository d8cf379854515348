"""Security headers on every HTML page, and templates that keep the CSP strict."""

from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def assert_secure_headers(response):
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (d.strip() for d in csp.split(";")) if part
    )
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_sign_in_page_has_the_security_headers(client):
    assert_secure_headers(client.get(reverse("login")))


@pytest.mark.parametrize("name", ["clients:list", "clients:create", "clients:detail"])
def test_specialist_pages_have_the_security_headers(as_user, specialist_user, client_record, name):
    args = [client_record.pk] if name == "clients:detail" else []
    assert_secure_headers(as_user(specialist_user).get(reverse(name, args=args)))


def test_hsts_is_sent_over_https_in_production(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_no_template_has_inline_script_or_style_attributes():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if ' style="' in text or " onclick=" in text or " onload=" in text:
            offenders.append(str(path))
        for chunk in text.split("<script")[1:]:
            if "src=" not in chunk.split(">", 1)[0]:
                offenders.append(str(path))
    assert offenders == []


def test_a_client_page_may_not_be_stored_by_a_browser_or_proxy(
    as_user, specialist_user, client_record
):
    response = as_user(specialist_user).get(reverse("clients:detail", args=[client_record.pk]))
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_pages_for_visitors_and_error_pages_may_not_be_stored_either(client):
    assert "no-store" in client.get(reverse("portal:password_set"))["Cache-Control"]
    assert "no-store" in client.get("/no-such-page/")["Cache-Control"]
    # A bearer link's page is shown to whoever holds it, signed in or not.
    assert "no-store" in client.get(reverse("portal:shared_plan", args=["x" * 43]))["Cache-Control"]
