"""Sending email so that a mail server that refuses or never answers takes no page down.

Every send is bounded by the SMTP timeout (``EMAIL_TIMEOUT``, config/settings.py) and
happens outside any database transaction; a failure is reported to the caller, never
raised into the page, and logged without any address.
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage

log = logging.getLogger("realign.mail")


def deliver(message: EmailMessage, *, what: str) -> bool:
    """Send one message; False if the mail server refused it, failed or did not answer."""
    try:
        message.send()
    except OSError as error:
        # smtplib's errors, refused connections, TLS errors and timeouts are all OSError.
        # The error's text can hold the recipient's address: only its kind is logged.
        log.warning("%s not sent: %s", what, type(error).__name__)
        return False
    return True
