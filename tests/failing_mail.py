"""Mail servers that fail, as email backends for the tests' MAILERS setting."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend

FAILURES = {
    # The server answers and refuses the recipients (the error's text holds their addresses).
    "refused": lambda to: smtplib.SMTPRecipientsRefused(dict.fromkeys(to, (550, b"No such user"))),
    # The server answers with an error of its own.
    "server_error": lambda to: smtplib.SMTPDataError(451, b"Local error in processing"),
    # Nothing listens on the port.
    "unreachable": lambda to: ConnectionRefusedError(111, "Connection refused"),
    # The server accepted the connection and never answered within the timeout.
    "silent": lambda to: TimeoutError("timed out"),
}


class FailingBackend(BaseEmailBackend):
    """Fails every send the way OPTIONS["failure"] says."""

    def __init__(self, *, failure: str = "refused", **kwargs):
        super().__init__(**kwargs)
        self.failure = failure

    def send_messages(self, email_messages):
        raise FAILURES[self.failure]([a for m in email_messages for a in m.recipients()])


def failing_mailer(failure: str) -> dict:
    """A MAILERS setting whose default mailer fails with ``failure``."""
    return {
        "default": {
            "BACKEND": "tests.failing_mail.FailingBackend",
            "OPTIONS": {"failure": failure},
        }
    }
