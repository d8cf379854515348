"""Client, screening, clearance, consent, reassignment and erasure forms (crispy layouts)."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone

from core import members

from . import guardian, parq
from .models import Clearance, Client, Consent, Screening, User
from .population import POSTPARTUM_WINDOW_LABEL, YOUTH_UNDER_YEARS, add_years

MAX_AGE_YEARS = 120

BIRTH_DATE_IN_FUTURE = "The birth date cannot be in the future."
BIRTH_DATE_AFTER_ASSESSMENT = "The birth date cannot be after one of the client's assessments."
BIRTH_DATE_TOO_OLD = f"Check the birth date: that would make the client over {MAX_AGE_YEARS}."
DATE_IN_FUTURE = "This date cannot be in the future."
DELIVERY_BEFORE_BIRTH = "The delivery date must be after the client's birth date."
DELIVERY_TYPE_REQUIRED = "Choose the delivery type for this delivery date."
DELIVERY_TYPE_WITHOUT_DATE = "Enter the delivery date this delivery type belongs to."
ERASE_NAME_MISMATCH = "Type the client's full name exactly as shown to confirm."
DEFAULT_CONSENT_TEXT = (
    "The client agrees to movement and posture assessments, to the recording of the "
    "results and of their health screening, and to the use of these records to design "
    "their corrective exercise program. They understand this is not a medical diagnosis "
    "and that they can stop any test at any time."
)


class DateInput(forms.DateInput):
    input_type = "date"


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "email",
            "phone",
            "goals",
            "notes",
            "delivery_date",
            "delivery_type",
            "previous_births",
        ]
        widgets = {
            "birth_date": DateInput(),
            "delivery_date": DateInput(),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "delivery_date"
        ].help_text = f"Postpartum population: {POSTPARTUM_WINDOW_LABEL}."
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Who",
                Row(Column("first_name"), Column("last_name")),
                Row(Column("birth_date"), Column("sex")),
                Row(Column("email"), Column("phone")),
            ),
            Fieldset("Why they came", "goals", "notes"),
            Fieldset(
                "Postpartum details (if any)",
                Row(Column("delivery_date"), Column("delivery_type"), Column("previous_births")),
            ),
            Submit("save", "Save client"),
        )

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if birth_date > today:
            raise forms.ValidationError(BIRTH_DATE_IN_FUTURE)
        if birth_date < add_years(today, -MAX_AGE_YEARS):
            raise forms.ValidationError(BIRTH_DATE_TOO_OLD)
        # Reverse relation: no import of the assessments app from here.
        if (
            self.instance.pk
            and self.instance.assessments.filter(assessed_on__lt=birth_date).exists()
        ):
            raise forms.ValidationError(BIRTH_DATE_AFTER_ASSESSMENT)
        return birth_date

    def clean_delivery_date(self):
        delivery_date = self.cleaned_data.get("delivery_date")
        if delivery_date and delivery_date > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE)
        return delivery_date

    def clean(self):
        cleaned = super().clean()
        birth_date = cleaned.get("birth_date")
        delivery_date = cleaned.get("delivery_date")
        delivery_type = cleaned.get("delivery_type")
        if delivery_date and birth_date and delivery_date <= birth_date:
            self.add_error("delivery_date", DELIVERY_BEFORE_BIRTH)
        if delivery_date and not delivery_type:
            self.add_error("delivery_type", DELIVERY_TYPE_REQUIRED)
        if delivery_type and not delivery_date and "delivery_date" not in self.errors:
            self.add_error("delivery_date", DELIVERY_TYPE_WITHOUT_DATE)
        return cleaned


YES_NO = [(True, "Yes"), (False, "No")]


class ScreeningForm(forms.ModelForm):
    """The seven PAR-Q+ general questions, each answered explicitly yes or no."""

    class Meta:
        model = Screening
        fields = ["screened_on", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "notes"]
        widgets = {"screened_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, question in parq.QUESTIONS.items():
            name = f"q{number}"
            self.fields[name] = forms.TypedChoiceField(
                label=f"{number}. {question}",
                choices=YES_NO,
                coerce=lambda value: value in (True, "True"),
                widget=forms.RadioSelect,
                required=True,
                error_messages={"required": "Answer yes or no."},
            )
            if self.instance.pk is None:
                self.initial.pop(name, None)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "screened_on",
            *[InlineRadios(f"q{n}") for n in parq.QUESTIONS],
            "notes",
            Submit("save", "Save screening"),
        )

    def clean_screened_on(self):
        screened_on = self.cleaned_data["screened_on"]
        if screened_on > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE)
        return screened_on


class ClearanceForm(forms.ModelForm):
    class Meta:
        model = Clearance
        fields = ["cleared_on", "cleared_by", "note"]
        widgets = {"cleared_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("cleared_on"), Column("cleared_by")),
            "note",
            Submit("save", "Record clearance"),
        )

    def clean_cleared_on(self):
        cleared_on = self.cleaned_data["cleared_on"]
        if cleared_on > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE)
        return cleared_on


GUARDIAN_FIELDS = ("guardian_name", "guardian_relationship", "guardian_consented_on")


class ConsentForm(forms.ModelForm):
    """The client's consent; under 18 on the consent date, a parent or guardian's as well.

    The instance carries its client (the view builds it), whose age decides whether the
    guardian's fields are shown and required.
    """

    class Meta:
        model = Consent
        fields = ["consented_on", "agreed", "photos_in_plan", *GUARDIAN_FIELDS]
        labels = {
            "photos_in_plan": (
                "The client agrees that their posture photos, with the lines drawn on them, "
                "may appear in their own plan"
            ),
        }
        help_texts = {
            "photos_in_plan": (
                "Only their before photo, in the plan PDF and portal page they receive. "
                "Leave unticked to keep photos out of the plan; the specialist still sees them."
            ),
        }
        widgets = {
            "consented_on": DateInput(),
            "guardian_consented_on": DateInput(),
            "agreed": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.initial.get("agreed"):
            # A new instance gives an empty text to the initial values: the default replaces it.
            self.initial["agreed"] = DEFAULT_CONSENT_TEXT
        self.helper = FormHelper()
        minor_today = self._is_minor_on(timezone.localdate())
        for name in GUARDIAN_FIELDS:
            # Under 18 today means under 18 on any consent date that can be entered.
            self.fields[name].required = minor_today
        self._lay_out(with_guardian=minor_today)

    def _is_minor_on(self, day) -> bool:
        client = self.instance.client if self.instance.client_id else None
        return client is not None and guardian.is_minor_on(client.birth_date, day)

    def _lay_out(self, *, with_guardian: bool) -> None:
        parts = ["consented_on", "agreed", "photos_in_plan"]
        if with_guardian:
            parts.append(
                Fieldset(
                    f"Parent or guardian (the client is under {YOUTH_UNDER_YEARS})",
                    "guardian_name",
                    Row(Column("guardian_relationship"), Column("guardian_consented_on")),
                )
            )
        self.helper.layout = Layout(*parts, Submit("save", "Record consent"))

    def clean_consented_on(self):
        consented_on = self.cleaned_data["consented_on"]
        if consented_on > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE)
        return consented_on

    def clean_guardian_consented_on(self):
        day = self.cleaned_data["guardian_consented_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE)
        return day

    def clean(self):
        cleaned = super().clean()
        consented_on = cleaned.get("consented_on")
        if consented_on and self._is_minor_on(consented_on):
            # Shown even if the client is an adult today: the consent date is what counts.
            self._lay_out(with_guardian=True)
            required = guardian.GUARDIAN_FIELD_REQUIRED.format(years=YOUTH_UNDER_YEARS)
            for name in GUARDIAN_FIELDS:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, required)
        return cleaned


class ReassignForm(forms.Form):
    specialist = forms.ModelChoiceField(queryset=User.objects.none(), label="New specialist")

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = members.active_members(practice)
        self.fields["specialist"].label_from_instance = User.display_name
        self.helper = FormHelper()
        self.helper.layout = Layout("specialist", Submit("save", "Reassign"))


class EraseForm(forms.Form):
    confirm_name = forms.CharField(
        label="Type the client's full name to confirm", max_length=200, strip=True
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.helper = FormHelper()
        self.helper.layout = Layout(
            HTML(
                '<p class="text-danger fw-semibold">This permanently erases every record of '
                "this client. It cannot be undone.</p>"
            ),
            "confirm_name",
            Submit("erase", "Erase all data of this client", css_class="btn-danger"),
        )

    def clean_confirm_name(self):
        typed = self.cleaned_data["confirm_name"]
        if typed != self.client.full_name:
            raise forms.ValidationError(ERASE_NAME_MISMATCH)
        return typed
