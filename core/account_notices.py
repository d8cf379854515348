"""Emails that tell a user about a change to how their account signs in."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .mailing import deliver


@dataclass(frozen=True)
class Notice:
    subject: str
    what_happened: str  # a sentence that ends before "for your Realign account (...)"


def send_after_commit(user, notice: Notice) -> None:
    """Email ``user`` about ``notice`` once the change is committed (never if it rolls back).

    A send that fails is logged (without the address) and the change stays made.
    """
    if not user.email:
        return
    when = timezone.localtime()
    message = EmailMessage(
        subject=notice.subject,
        body=(
            f"Hello {user.get_full_name() or user.username},\n\n"
            f"{notice.what_happened} for your Realign account ({user.username}) on "
            f"{when:%d %B %Y at %H:%M} ({when.tzname()}).\n\n"
            "If this was you, there is nothing more to do. If it was not, sign in, change "
            "your password, set up two-factor sign-in again and tell your practice owner.\n"
        ),
        to=[user.email],
    )
    transaction.on_commit(lambda: deliver(message, what="Account notice"))
