"""The site's own address, for links that leave the request: emails and links shown to copy.

A link built from the request takes its host and port from the ``Host`` header, which the
sender of the request chooses. In production links start with ``SITE_URL``; without it,
with ``https://`` and the first concrete name of ``ALLOWED_HOSTS`` (a deploy check warns).
In development the request's own host is what the developer typed, so it is used.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

SITE_URL_MISSING = "realign.W001"


def configured_site_url() -> str:
    """``scheme://host[:port]`` links must start with, or "" to use the request's host."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if settings.PRODUCTION:
        concrete = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
        if concrete:
            return f"https://{concrete[0]}"
    return ""


def absolute_url(request, path: str) -> str:
    """The full address of a path of this site, for an email or a link to copy."""
    base = configured_site_url()
    if base:
        return base + path
    return request.build_absolute_uri(path)


# Where `make run` serves: links in emails sent by background tasks, which have no request,
# start here in development when SITE_URL is not set (production always has an address).
DEVELOPMENT_URL = "http://127.0.0.1:8000"


def url_without_request(path: str) -> str:
    """The full address of a path of this site, for an email sent by a background task."""
    return (configured_site_url() or DEVELOPMENT_URL) + path


def site_domain_and_scheme() -> tuple[str, str] | None:
    """``(host[:port], scheme)`` of the configured address, or None to use the request's."""
    base = configured_site_url()
    if not base:
        return None
    parts = urlsplit(base)
    return parts.netloc, parts.scheme


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """Warn when production builds its links without an explicit SITE_URL."""
    if settings.SITE_URL:
        return []
    return [
        Warning(
            "SITE_URL is not set: emailed and shared links use "
            f"{configured_site_url() or 'the request host'!s}.",
            hint="Set SITE_URL to the address clients use, e.g. https://realign.example.com.",
            id=SITE_URL_MISSING,
        )
    ]
