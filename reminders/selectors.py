"""What the reminder pages read: the client's settings."""

from __future__ import annotations

from clients.models import Client

from .models import ReminderSettings


def settings_of(client: Client) -> ReminderSettings | None:
    """The client's saved reminder settings, or None when they never saved any."""
    return ReminderSettings.objects.filter(client=client).first()
