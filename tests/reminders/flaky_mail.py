"""A mail backend that fails the first ``failures`` sends, then keeps messages like
Django's locmem backend (django.core.mail.outbox): a mail server that is down for a while."""

from __future__ import annotations

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    failures = 0  # set by the test: how many sends fail before the server answers
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.attempts <= FlakyBackend.failures:
            raise SMTPServerDisconnected("the mail server went away")
        return super().send_messages(messages)
