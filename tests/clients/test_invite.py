"""Inviting a client to the portal (clients:invite)."""

import re

from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from programs import sharing


def test_invitation_emails_a_one_time_link_and_the_client_sets_a_password(
    as_user, specialist_user, client_record, client, django_capture_on_commit_callbacks
):
    # The email leaves once the invitation's records are committed.
    with django_capture_on_commit_callbacks(execute=True):
        as_user(specialist_user).post(reverse("clients:invite", args=[client_record.pk]))
    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(\S+)", mail.outbox[0].body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    assert "choose your password" in page.text.lower()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-long-pass-phrase-7", "new_password2": "a-long-pass-phrase-7"},
    )
    assert done.status_code == 302
    client_record.refresh_from_db()
    assert client_record.user.check_password("a-long-pass-phrase-7")
    assert "no longer works" in client.get(link, follow=True).text


def test_invitation_needs_an_email(as_user, specialist_user, client_record):
    client_record.email = ""
    client_record.save()
    response = as_user(specialist_user).post(
        reverse("clients:invite", args=[client_record.pk]), follow=True
    )
    assert escape(sharing.INVITE_NEEDS_EMAIL) in response.text
    assert not mail.outbox
