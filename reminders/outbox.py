"""Send an email at most once, whatever retries or a second worker do.

A task may run more than once (the worker runs each at least once, and retries a failure):
each email is known by a key, claimed before it is sent and marked sent after. A claim left
by a worker that died mid-send expires, so the email is not lost either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from .models import Delivery

# Each email task is tried this many times in all, waiting longer each time (django-ox's
# backoff), before its delivery is marked failed for staff to see (admin: Deliveries).
MAIL_ATTEMPTS = 5
CLAIM_EXPIRES = timedelta(minutes=10)  # longer than any SMTP timeout (EMAIL_TIMEOUT)


def send_once(
    key: str,
    build: Callable[[], EmailMessage],
    *,
    kind: str,
    to_user=None,
    client=None,
    last_attempt: bool = False,
) -> bool:
    """Send the message ``build`` makes unless the email ``key`` was sent (or is being sent)
    already; True when it was sent now. A mail server error is recorded and raised, so that
    the task is tried again; on the ``last_attempt`` the delivery is marked failed."""
    # Two workers at once: get_or_create takes the row the other one just made.
    Delivery.objects.get_or_create(
        key=key, defaults={"kind": kind, "to_user": to_user, "client": client}
    )
    now = timezone.now()
    claimable = Q(state__in=[Delivery.State.PENDING, Delivery.State.FAILED]) | Q(
        state=Delivery.State.SENDING, claimed_at__lt=now - CLAIM_EXPIRES
    )
    claimed = Delivery.objects.filter(claimable, key=key).update(
        state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    try:
        build().send()
    except OSError as error:  # smtplib's errors, refusals and timeouts
        state = Delivery.State.FAILED if last_attempt else Delivery.State.PENDING
        Delivery.objects.filter(key=key).update(state=state, last_error=type(error).__name__)
        raise
    Delivery.objects.filter(key=key).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return True
