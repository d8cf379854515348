"""A mail server that refuses or never answers takes no page down (issue 12, finding 14).

The invitation is recorded, then emailed once its transaction has committed; a failed send
leaves it "not sent" with a "Send again" button, never a 500. Password reset answers the
same whether the mail went or not. Every send gives up after ``EMAIL_TIMEOUT`` seconds.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from programs.models import Invitation
from tests.factories import InvitationFactory, UserFactory
from tests.failing_mail import FAILURES, failing_mailer

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "-production-secret-key-for-tests-only-0123456789"


def invite(http, client_record, data=None):
    return http.post(reverse("clients:invite", args=[client_record.pk]), data or {})


def client_page(http, client_record) -> str:
    return http.get(reverse("clients:detail", args=[client_record.pk])).text


def send_again_token(page: str) -> str:
    """The one-time token of the client page's invitation form."""
    form = re.search(r'action="/clients/\d+/invite/".*?</form>', page, re.S).group(0)
    return re.search(r'name="submission"\s+value="([\w-]+)"', form).group(1)


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failing_mail_server_leaves_the_invitation_not_sent_never_a_500(
    as_user, specialist_user, client_record, settings, django_capture_on_commit_callbacks, failure
):
    settings.MAILERS = failing_mailer(failure)
    http = as_user(specialist_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(http, client_record)
    assert response.status_code == 302
    assert Invitation.objects.get(client=client_record).status == Invitation.Status.NOT_SENT
    client_record.refresh_from_db()
    assert client_record.user is not None  # the portal account is kept for the retry
    page = client_page(http, client_record)
    assert "not sent" in page
    assert "Send again" in page


def test_send_again_after_a_failure_emails_the_invitation(
    as_user, specialist_user, client_record, settings, django_capture_on_commit_callbacks
):
    working = settings.MAILERS
    settings.MAILERS = failing_mailer("refused")
    http = as_user(specialist_user)
    with django_capture_on_commit_callbacks(execute=True):
        invite(http, client_record)
    settings.MAILERS = working
    token = send_again_token(client_page(http, client_record))
    with django_capture_on_commit_callbacks(execute=True):
        invite(http, client_record, {"submission": token})
    assert [m.to for m in mail.outbox] == [[client_record.email]]
    assert "/welcome/" in mail.outbox[0].body
    assert Invitation.objects.first().status == Invitation.Status.SENT
    assert "Send again" not in client_page(http, client_record)


def test_the_specialist_is_told_when_the_invitation_was_not_sent(
    as_user, specialist_user, client_record
):
    http = as_user(specialist_user)
    invitation = InvitationFactory(client=client_record, status=Invitation.Status.NOT_SENT)
    page = client_page(http, client_record)
    assert f"Portal invitation of {invitation.created_at:%-d %b %Y}" in page
    assert "the mail server refused it or did not answer" in page


def test_the_invitation_is_emailed_only_after_its_records_are_committed(
    as_user, specialist_user, client_record, django_capture_on_commit_callbacks
):
    # A send inside the transaction held SQLite's write lock for as long as the server took.
    with django_capture_on_commit_callbacks() as after_commit:
        response = invite(as_user(specialist_user), client_record)
        assert mail.outbox == []
        assert Invitation.objects.get().status == Invitation.Status.SENDING
    assert response.status_code == 302
    for callback in after_commit:
        callback()
    assert len(mail.outbox) == 1
    assert Invitation.objects.get().status == Invitation.Status.SENT


def test_a_mail_server_that_never_answers_is_given_up_after_the_timeout(
    as_user, specialist_user, client_record, settings, django_capture_on_commit_callbacks
):
    # Accepts connections (the kernel's backlog) and never says a word.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        host, port = silent.getsockname()
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": host, "port": port, "use_tls": False, "timeout": 1},
            }
        }
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = invite(as_user(specialist_user), client_record)
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 10
    assert Invitation.objects.get().status == Invitation.Status.NOT_SENT


def test_a_failed_invitation_is_logged_without_the_clients_address(
    as_user, specialist_user, client_record, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MAILERS = failing_mailer("refused")
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_user(specialist_user), client_record)
    assert "not sent: SMTPRecipientsRefused" in caplog.text
    assert client_record.email not in caplog.text
    assert client_record.email.split("@")[0] not in caplog.text


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_password_reset_answers_the_same_when_the_mail_fails(db, client, settings, failure, caplog):
    settings.MAILERS = failing_mailer(failure)
    account = UserFactory(username="reset-me", email="reset.me@example.org")
    known = client.post(reverse("password_reset"), {"email": account.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    # Nor does the log hold the address (a refusal's error text names it).
    assert account.email not in caplog.text


def _production_mailer(**env) -> dict:
    """The default mailer's SMTP options as production settings build them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.core.mail import mailers; "
        "print(json.dumps({'timeout': mailers.default.timeout, "
        "'options': settings.MAILERS['default'].get('OPTIONS', {}).get('timeout')}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "SITE_URL")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": STRONG_KEY,
            "EMAIL_HOST": "smtp.example.com",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_mail_gives_up_after_ten_seconds_by_default():
    assert _production_mailer() == {"timeout": 10, "options": 10}


def test_email_timeout_sets_how_long_a_send_may_wait():
    assert _production_mailer(EMAIL_TIMEOUT="3")["timeout"] == 3
