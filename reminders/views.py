"""The unsubscribe link of every client reminder: it works without signing in.

A GET shows a confirmation with a button and changes nothing (mail scanners and link
previews open links); the POST turns the reminders off. The POST is exempt from the CSRF
check because the signed token is the whole authority, and a mail program's one-click
unsubscribe (RFC 8058, the List-Unsubscribe-Post header) posts with no form of ours.
A bad or tampered token answers 404 with a page that says the link is not valid.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services
from .access import client_for_token


def _bearer(response):
    """The token in the address is never sent on, nor the page indexed."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    client = client_for_token(token)
    if client is None:
        return _bearer(render(request, "reminders/link_not_valid.html", status=404))
    done = request.method == "POST"
    if done:
        services.unsubscribe(client)
    context = {"practice": client.practice.name, "done": done, "token": token}
    return _bearer(render(request, "reminders/unsubscribe.html", context))
