from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Alerts and reminders that reach people by email, sent by background tasks."""

    name = "reminders"
