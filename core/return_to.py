"""Where a form leads once it is saved: back to the page that sent the user to it.

A page links to a form with ``?next=<its own path>`` (the program page to "record their
clearance"); the form posts to its own address, query string included, so the ``next``
is still there when it is saved. Only an address on this site is followed: anything else
(another host, another scheme) is ignored, so the link cannot send anyone off-site.
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

NEXT = "next"


def return_to(request, default: str) -> str:
    """The ``next`` address the form was opened with if it is on this site, else ``default``."""
    target = request.GET.get(NEXT, "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
