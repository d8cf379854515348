"""core's writes besides the members' and two-factor's (members.py, two_factor.py): the
user's personal API tokens, made and revoked through api/tokens.py. A refusal raises
``ValidationError`` with a named message (tokens.TOO_MANY)."""

from __future__ import annotations

from django.db import transaction

from api import tokens
from api.models import ApiToken
from clients.models import User


def create_api_token(user, *, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``user``: the stored row (its hash only) and the token, to show once."""
    with transaction.atomic():
        # Two pages posting at once must not both pass the limit of active tokens
        # (PostgreSQL; SQLite's IMMEDIATE transactions already take one writer at a time).
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
        return tokens.create_token(user, name=name, days=days)


def revoke_api_token(row: ApiToken) -> None:
    """The token stops working at once; its row stays in the list, marked revoked."""
    tokens.revoke(row)
