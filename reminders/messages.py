"""The emails themselves: a text and an HTML version from one template pair each, with the
practice's name. They carry no health detail: what happened is seen in Realign, through a
link, after signing in."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from core.site import url_without_request
from programs.adherence import QUIET_WEEKS

from .access import unsubscribe_token


def email(template: str, context: dict, *, subject: str, to: str) -> EmailMultiAlternatives:
    """``reminders/email/<template>.txt`` and ``.html`` rendered with ``context`` as one
    message to ``to``."""
    text = render_to_string(f"reminders/email/{template}.txt", context)
    html = render_to_string(f"reminders/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    return message


def attention_alert(specialist, client) -> EmailMultiAlternatives:
    """To the specialist: one of their clients needs attention (no name, no detail)."""
    practice = client.practice.name
    context = {
        "specialist": specialist.display_name(),
        "practice": practice,
        "link": url_without_request(reverse("clients:detail", args=[client.pk])),
    }
    return email(
        "attention_alert",
        context,
        subject=f"{practice}: a client needs your attention in Realign",
        to=specialist.email,
    )


# --- Reminders to clients: each with an unsubscribe link that works without signing in -----


def client_address(client) -> str:
    """Where the client's reminders go: their portal account's address, else the record's."""
    return (client.user.email if client.user_id else "") or client.email


def _client_email(template: str, client, context: dict, *, subject: str):
    """A reminder to the client, greeted by first name only (the last name stays out of
    mail), with the unsubscribe link in the body and in the List-Unsubscribe headers
    (RFC 8058: a mail program's one-click "unsubscribe" posts to the same address)."""
    unsubscribe = url_without_request(
        reverse("reminders:unsubscribe", args=[unsubscribe_token(client)])
    )
    context = {
        "first_name": client.first_name,
        "practice": client.practice.name,
        "unsubscribe": unsubscribe,
        "settings_link": url_without_request(reverse("portal:reminders")),
        **context,
    }
    message = email(template, context, subject=subject, to=client_address(client))
    message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def exercise_reminder(client) -> EmailMultiAlternatives:
    """To the client, on one of their exercise days: a nudge and the way to their plan."""
    practice = client.practice.name
    return _client_email(
        "exercise_reminder",
        client,
        {"link": url_without_request(reverse("portal:home"))},
        subject=f"{practice}: today is one of your exercise days",
    )


def retest_invitation(client) -> EmailMultiAlternatives:
    """To the client whose plan's re-test is due: whom to contact to book it."""
    practice = client.practice.name
    return _client_email(
        "retest_invitation",
        client,
        {"specialist": client.specialist.display_name()},
        subject=f"{practice}: time to book your re-test",
    )


def specialist_digest(specialist, practice: str, *, due: int, quiet: int):
    """To a specialist on Mondays: how many of their clients are due for a re-test and how
    many have been quiet, as counts (names and details are on the dashboard)."""
    context = {
        "specialist": specialist.display_name(),
        "practice": practice,
        "due": due,
        "quiet": quiet,
        "quiet_weeks": QUIET_WEEKS,
        "link": url_without_request(reverse("dashboard")),
    }
    return email(
        "specialist_digest",
        context,
        subject=f"{practice}: your clients this week in Realign",
        to=specialist.email,
    )
