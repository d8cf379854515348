"""What was sent to whom, once: the outbox that keeps a retried or repeated task from
sending the same email twice."""

from __future__ import annotations

from django.db import models

from clients.models import Client, User


class Delivery(models.Model):
    """One email that must go out at most once, known by its ``key`` (e.g. the session that
    raised a pain alert). Rows hold no health detail: who, what kind, when, how it went."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (every attempt)"

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=40)
    to_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)  # the error's kind, no address
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_state_display()})"


class ReminderSettings(models.Model):
    """The client's own choice, made in the portal: reminders by email or not, on which
    weekdays, and a pause (holidays) during which nothing is sent. No row: no reminders."""

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    wants_reminders = models.BooleanField("Send me reminders by email", default=False)
    # The weekdays as digits, Monday 0 to Sunday 6 ("024": Monday, Wednesday, Friday): a
    # LIKE finds a day on every database (SQLite has no JSON containment).
    exercise_days = models.CharField(max_length=7, blank=True)
    # Nothing is sent up to and including this day.
    paused_until = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "reminder settings"
        verbose_name_plural = "reminder settings"

    def __str__(self) -> str:
        return f"Reminders {'on' if self.wants_reminders else 'off'}"

    @property
    def days(self) -> list[int]:
        """The exercise days as weekday numbers, Monday 0."""
        return sorted({int(d) for d in self.exercise_days if d in "0123456"})

    def paused_on(self, day) -> bool:
        return self.paused_until is not None and day <= self.paused_until
