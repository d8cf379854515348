"""The reads that build core's account pages: the user's API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from api import tokens
from api.models import ApiToken


@dataclass(frozen=True)
class TokenRow:
    """A token as its list shows it: never the token itself, which is not stored."""

    token: ApiToken
    state: str  # "active", "expired" or "revoked"

    @property
    def ended_at(self) -> datetime | None:
        return self.token.revoked_at if self.state == "revoked" else self.token.expires_at


def _state(row: ApiToken, now: datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if row.expires_at <= now else "active"


def api_tokens_page(user) -> dict:
    """The user's tokens, live ones first, then expired and revoked ones, newest first."""
    now = timezone.now()
    rows = [
        TokenRow(row, _state(row, now))
        for row in ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
    ]
    rows.sort(key=lambda r: r.state != "active")  # stable: newest first within each group
    active = sum(r.state == "active" for r in rows)
    return {
        "tokens": rows,
        "active_count": active,
        "max_active": tokens.MAX_ACTIVE,
        "at_limit": active >= tokens.MAX_ACTIVE,
    }
