"""What the reminders write: the client's settings, from the portal or the unsubscribe link."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from clients.models import Client

from .models import ReminderSettings

SETTINGS_NOT_SAVED = "Your reminder settings were not saved: please correct the fields marked."


def save_settings(client: Client, form) -> ReminderSettings:
    """Save what ``form`` (a bound ReminderSettingsForm) says for the client.

    Raises ValidationError (SETTINGS_NOT_SAVED) when the form is not valid; its errors say why.
    """
    if not form.is_valid():
        raise ValidationError(SETTINGS_NOT_SAVED)
    settings, _ = ReminderSettings.objects.update_or_create(
        client=client,
        defaults={
            "wants_reminders": form.cleaned_data["wants_reminders"],
            "exercise_days": form.cleaned_data["exercise_days"],
            "paused_until": form.cleaned_data["paused_until"],
        },
    )
    return settings


def unsubscribe(client: Client) -> bool:
    """Turn the client's reminders off; True when they were on. Days and pause are kept,
    so turning reminders on again in the portal brings them back as they were."""
    return bool(
        ReminderSettings.objects.filter(client=client, wants_reminders=True).update(
            wants_reminders=False
        )
    )
