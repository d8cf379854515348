"""Making, finding and revoking personal API tokens (the writes and the one look-up)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
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


def revoke(row: ApiToken) -> None:
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
