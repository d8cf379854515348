"""Program forms: an exercise's dose, adding from the library, safety overrides, share
links, the client's session log and the specialist's answer to a pain rating."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.utils import timezone

from clients.forms import DateInput

from . import limits
from .client_plan import RED_FLAG_SIGNS
from .models import Exercise, ProgramExercise, SessionLog
from .services import OVERRIDE_REASON_REQUIRED

TEMPO_FORMAT = "Write the tempo as lower/hold/lift seconds, for example 4/2/2."


class ItemForm(forms.ModelForm):
    sets = forms.IntegerField(min_value=1, max_value=10, required=False)
    reps = forms.IntegerField(min_value=1, max_value=100, required=False)
    hold_s = forms.IntegerField(label="Hold (seconds)", min_value=1, max_value=600, required=False)

    class Meta:
        model = ProgramExercise
        fields = ["sets", "reps", "hold_s", "tempo", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, lock_version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = lock_version
        for name in ("sets", "reps", "hold_s"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("sets"), Column("reps"), Column("hold_s"), Column("tempo")),
            "notes",
            "lock_version",
            Submit("save", "Save"),
        )

    def clean_tempo(self):
        tempo = self.cleaned_data["tempo"].strip()
        if tempo and not re.fullmatch(r"\d{1,2}/\d{1,2}/\d{1,2}", tempo):
            raise forms.ValidationError(TEMPO_FORMAT)
        return tempo

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("reps") and not cleaned.get("hold_s") and not self.errors:
            raise forms.ValidationError("Give repetitions, a hold time, or both.")
        return cleaned


class AddExerciseForm(forms.Form):
    exercise = forms.ModelChoiceField(queryset=Exercise.objects.none(), empty_label="Choose…")
    override_reason = forms.CharField(
        label="Reason to override a safety exclusion",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only needed for an exercise marked as excluded for this client.",
    )

    def __init__(self, *args, phase, population, blocked: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.blocked = blocked
        steps = phase.covers or [phase.key]
        queryset = Exercise.objects.filter(in_library=True, phase__in=steps).order_by("name")
        # Populations live in the JSON record; filtering in Python keeps SQLite and
        # PostgreSQL alike (the library has a few hundred rows at most).
        suited = [e.pk for e in queryset if population in e.data.get("populations", [])]
        self.fields["exercise"].queryset = queryset.filter(pk__in=suited)
        self.fields["exercise"].label_from_instance = self._label
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("exercise", "override_reason", Submit("add", "Add"))

    def _label(self, exercise: Exercise) -> str:
        rules = sorted({self.blocked[t] for t in exercise.tags if t in self.blocked})
        return f"{exercise.name} — excluded by {', '.join(rules)}" if rules else exercise.name

    def clean(self):
        cleaned = super().clean()
        exercise = cleaned.get("exercise")
        blocked = exercise is not None and any(t in self.blocked for t in exercise.tags)
        if blocked and not cleaned.get("override_reason", "").strip():
            self.add_error("override_reason", OVERRIDE_REASON_REQUIRED)
        return cleaned


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label="Valid for (days)",
        min_value=1,
        max_value=365,
        initial=lambda: settings.SHARE_LINK_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}),
    )


class OverrideForm(forms.Form):
    override_reason = forms.CharField(
        label="Reason to override the safety exclusion",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = required
        if not required:
            self.fields["override_reason"].widget = forms.HiddenInput()

    def clean_override_reason(self):
        reason = self.cleaned_data["override_reason"].strip()
        if self.required and not reason:
            raise forms.ValidationError(OVERRIDE_REASON_REQUIRED)
        return reason


class SessionLogForm(forms.ModelForm):
    pain = forms.IntegerField(
        label="Pain during or after (0-10, optional)",
        min_value=0,
        max_value=10,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10}),
        error_messages={
            "min_value": "Enter a whole number from 0 to 10.",
            "max_value": "Enter a whole number from 0 to 10.",
            "invalid": "Enter a whole number from 0 to 10.",
        },
    )

    red_flag = forms.BooleanField(
        label=f"I had a warning sign: {RED_FLAG_SIGNS}",
        required=False,
        help_text="Your specialist is told at once. If it is happening now, call your "
        "emergency number.",
    )

    class Meta:
        model = SessionLog
        fields = ["done_on", "pain", "note", "red_flag"]
        widgets = {
            "done_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2, "placeholder": "How did it feel?"}),
        }
        labels = {"done_on": "Day of the session", "note": "Note for your specialist"}

    def __init__(self, *args, version=None, **kwargs):
        """``version``: the plan the session belongs to, needed to validate a post."""
        super().__init__(*args, **kwargs)
        self.version = version
        self.initial.setdefault("done_on", timezone.localdate())

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError("The session cannot be in the future.")
        if self.version is None:
            return done_on
        if done_on < self.version.starts_on:
            raise forms.ValidationError(
                f"The session cannot be before the plan starts ({self.version.starts_on:%d %b %Y})."
            )
        logged = SessionLog.objects.filter(version=self.version, done_on=done_on).count()
        if logged >= limits.MAX_SESSION_LOGS_PER_DAY:
            raise forms.ValidationError(limits.SESSION_LOGS_FULL)
        return done_on


class AcknowledgeForm(forms.Form):
    """The specialist's answer to a high pain rating, kept with the acknowledgement."""

    note = forms.CharField(
        label="What you did about it",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Write what you did about it (a call, advice, a referral): it is "
            "kept with the acknowledgement."
        },
    )

    @classmethod
    def for_version(cls, version_pk: int, data=None) -> AcknowledgeForm:
        """The form of one plan on the dashboard (each plan's form has its own prefix)."""
        return cls(data, prefix=f"ack{version_pk}")
