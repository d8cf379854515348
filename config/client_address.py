"""The client's network address, as the configured number of trusted proxies reports it.

django-axes throttles sign-in per username and address and calls this function for the
address (``AXES_CLIENT_IP_CALLABLE``); anything else that needs the address uses it too.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The address the request came from, reading ``PROXY_COUNT`` trusted proxies.

    Each trusted proxy appends the address it was reached from to ``X-Forwarded-For``, so
    the client's is the PROXY_COUNT-th entry from the right. Entries further left were sent
    by the client and may be forged; with no proxy the header is ignored altogether.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.PROXY_COUNT
    if count == 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    if len(forwarded) < count:
        # Fewer hops than proxies: the request did not pass through all of them.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # A proxy writes addresses only; anything else is not to be trusted as one.
        return remote
