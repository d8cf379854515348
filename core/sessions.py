"""Session limits: signed out after 30 idle minutes, and 12 hours after signing in."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

STARTED = "realign_session_started"
SEEN = "realign_session_seen"


class SessionTimeoutMiddleware:
    """Ends an idle or too-old session; the next page asks to sign in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(STARTED, now)
            seen = request.session.get(SEEN, now)
            idle = now - seen > settings.SESSION_IDLE_SECONDS
            too_old = now - started > settings.SESSION_ABSOLUTE_SECONDS
            if idle or too_old:
                logout(request)
                messages.info(request, "Your session ended for your safety. Please sign in again.")
                return redirect_to_login(request.get_full_path())
            # Write at most once a minute: every request writing the session costs a query.
            if now - seen > 60 or SEEN not in request.session:
                request.session[SEEN] = now
        return self.get_response(request)
