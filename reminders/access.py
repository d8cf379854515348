"""The unsubscribe link's door: a signed token naming the client, no sign-in needed.

The token is the client's id signed with the site's secret key and a salt of its own, so
it opens nothing else and nobody can make one for another client. It does not expire: a
reminder read months later must still stop the reminders. It can only turn reminders off.
"""

from __future__ import annotations

from django.core import signing

from clients.models import Client

SALT = "realign.reminders.unsubscribe"


def unsubscribe_token(client: Client) -> str:
    return signing.dumps({"client": client.pk}, salt=SALT)


def client_for_token(token: str) -> Client | None:
    """The client the unsubscribe token names, or None for a bad, tampered or stale token
    (its client erased since)."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    pk = payload.get("client") if isinstance(payload, dict) else None
    if not isinstance(pk, int) or isinstance(pk, bool):
        return None
    return Client.objects.select_related("practice").filter(pk=pk).first()
