"""Personal API tokens: only a hash is kept; the token itself is shown once."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from clients.models import User


class ApiToken(models.Model):
    """A token a user made on their account page for scripts and integrations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    # The start of the token, to recognise it in the list; never enough to use it.
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the whole token
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The rate per token, counted here so that every server process shares one count.
    window_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    window_requests = models.PositiveIntegerField(default=0, editable=False)

    # Made and revoked by whom and when, like any write (the hash is kept, never the
    # token; last use is noted at most once a minute and is not a change of the token).
    history = HistoricalRecords(
        excluded_fields=["last_used_at", "key_hash", "window_started_at", "window_requests"]
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
