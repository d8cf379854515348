"""Making, finding and revoking personal API tokens (the writes and the one look-up)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from .models import ApiToken

PREFIX = "rlg_"  # says what the secret is when it turns up in a log or a repository
# Practice defaults: a token lives 90 days unless its maker chooses (1 to 365 days); use is
# written at most once a minute, so a busy script does not write on every request.
DEFAULT_DAYS = 90
MAX_DAYS = 365
LAST_USED_EVERY = timedelta(minutes=1)
MAX_ACTIVE = 10  # tokens a user may hold at once
TOO_MANY = f"You have {MAX_ACTIVE} active tokens: revoke one you no longer use first."


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user, *, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token for ``user``: the row (hash only) and the token, to show once."""
    if active(user).count() >= MAX_ACTIVE:
        raise ValidationError(TOO_MANY)
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[: len(PREFIX) + 4],
        key_hash=digest(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return row, token


def active(user):
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def find(token: str) -> ApiToken | None:
    """The live token ``token`` names (not revoked, not expired, its user active), noting
    its use; None for anything else."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    now = timezone.now()
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=digest(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


def count_request(row: ApiToken, *, window: timedelta, now=None) -> tuple[int, datetime]:
    """Count one request of the token in its current window (a new window when the last
    one is over): one UPDATE, so every process and server shares the count. Returns the
    count with this request and when the window started (from ``row`` as authentication
    read it, so requests arriving together may each see one less)."""
    now = now or timezone.now()
    current = Q(window_started_at__gt=now - window)
    ApiToken.objects.filter(pk=row.pk).update(
        window_requests=Case(When(current, then=F("window_requests") + 1), default=Value(1)),
        window_started_at=Case(When(current, then=F("window_started_at")), default=Value(now)),
    )
    if row.window_started_at is not None and row.window_started_at > now - window:
        row.window_requests += 1
    else:
        row.window_started_at, row.window_requests = now, 1
    return row.window_requests, row.window_started_at


def revoke(row: ApiToken) -> None:
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
