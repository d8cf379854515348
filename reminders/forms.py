"""The client's reminder settings, as the portal's Reminders page posts them."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from clients.forms import DateInput

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
LONGEST_PAUSE = timedelta(days=365)

PAUSE_IN_THE_PAST = "The pause must end today or later. Leave it empty for no pause."
PAUSE_TOO_LONG = "A pause can last at most a year. To stop reminders, turn them off instead."
TOO_MANY_DAYS = "A week has 7 days: choose each day once."
NO_DAY = "Choose at least one exercise day, or turn reminders off."


class ReminderSettingsForm(forms.Form):
    wants_reminders = forms.BooleanField(
        label="Send me reminders by email",
        required=False,
        help_text="On your exercise days, and when your re-test is due.",
    )
    exercise_days = forms.MultipleChoiceField(
        label="My exercise days",
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    paused_until = forms.DateField(
        label="Pause reminders until (optional)",
        required=False,
        widget=DateInput(),
        help_text="For a holiday, say: nothing is sent up to and including this day.",
    )

    def clean_exercise_days(self) -> str:
        """The days as digits, Monday 0 ("024": Monday, Wednesday, Friday)."""
        days = self.cleaned_data["exercise_days"]
        if len(days) > len(WEEKDAYS):
            raise forms.ValidationError(TOO_MANY_DAYS)
        return "".join(sorted(set(days)))

    def clean_paused_until(self):
        until = self.cleaned_data["paused_until"]
        today = timezone.localdate()
        if until is not None and until < today:
            raise forms.ValidationError(PAUSE_IN_THE_PAST)
        if until is not None and until > today + LONGEST_PAUSE:
            raise forms.ValidationError(PAUSE_TOO_LONG)
        return until

    def clean(self):
        data = super().clean()
        if data.get("wants_reminders") and data.get("exercise_days") == "":
            self.add_error("exercise_days", NO_DAY)
        return data


def initial_for(settings) -> dict:
    """The form's values for the client's saved settings (None: never saved)."""
    if settings is None:
        return {}
    return {
        "wants_reminders": settings.wants_reminders,
        "exercise_days": list(settings.exercise_days),
        "paused_until": settings.paused_until,
    }
