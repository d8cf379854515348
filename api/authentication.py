"""How the API knows who calls: a personal token (Authorization: Bearer rlg_…) or the
browser's signed-in session (with its CSRF check), and how fast each token may go."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions, throttling

from . import tokens
from .models import ApiToken

INVALID = "The token is not valid: it may be wrong, revoked or expired."


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(INVALID) from error
        row = tokens.find(token)
        if row is None:
            raise exceptions.AuthenticationFailed(INVALID)
        return row.user, row

    def authenticate_header(self, request):
        return self.keyword


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token (REST_FRAMEWORK's "token" rate), counted on the token's row so
    that every server process shares the count; a browser session counts per user in
    the process's cache (DRF's own way)."""

    scope = "token"

    def allow_request(self, request, view):
        if not isinstance(request.auth, ApiToken) or self.rate is None:
            return super().allow_request(request, view)
        window = timedelta(seconds=self.duration)
        count, started = tokens.count_request(request.auth, window=window)
        self.retry_at = started + window
        return count <= self.num_requests

    def wait(self):
        if hasattr(self, "retry_at"):  # a token's window: the seconds until it ends
            return max(0.0, (self.retry_at - timezone.now()).total_seconds())
        return super().wait()

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
