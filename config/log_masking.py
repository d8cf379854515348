"""Log records never carry a bearer token: a path whose URL takes a token is logged masked.

Django's request, CSRF and development-server records, and our access-denied records,
name the request's path; for a share link, a portal invitation or a password reset that
path holds the secret itself. The URLconf says which segments are secrets (the ``token``
argument of a route), so a new tokenised URL is masked without being listed here.
"""

from __future__ import annotations

import logging
import re

from django.urls import Resolver404, resolve

SECRET_ROUTE_ARGUMENTS = frozenset({"token"})
MASK = "[token]"
# A path inside a log message: from a slash up to whitespace, a quote or the query string.
_PATH = re.compile(r"/[^\s\"'?#]*")


def mask_path(path: str) -> str:
    """The path with every segment that is a route's secret argument replaced by [token]."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    secrets = {str(v) for k, v in match.kwargs.items() if k in SECRET_ROUTE_ARGUMENTS}
    if not secrets:
        return path
    return "/".join(MASK if segment in secrets else segment for segment in path.split("/"))


class MaskTokens(logging.Filter):
    """Rewrites a record's message with its tokenised paths masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
            masked = _PATH.sub(lambda found: mask_path(found.group(0)), message)
        except Exception:  # noqa: BLE001 - a filter that raises would lose the record itself
            return True
        if masked != message:
            record.msg, record.args = masked, ()
        return True
