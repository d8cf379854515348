"""One form per assessment section; measures bring their unit, range and help text."""

from __future__ import annotations

from crispy_forms.bootstrap import AppendedText, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import escape

from clients.forms import DATE_IN_FUTURE, DateInput

from . import models
from .diagrams import diagram_for
from .findings import PAIN_REGIONS
from .measures import MEASURES, range_error, sitting_height_error
from .posture import CHECKPOINTS, GAIT, OHS, POSTURE_BY_CHECKPOINT, VIEWS

NOT_A_NUMBER = "Enter a number, for example 12 or 12.5."
ASSESSED_BEFORE_BIRTH = "The assessment date cannot be before the client's birth date."
NOT_A_WHOLE_NUMBER = "Enter a whole number, for example 12."


class MeasureField(forms.FloatField):
    """A number with the unit, plausible range and 'how to measure' text of its measure."""

    def __init__(self, key: str, **kwargs):
        self.spec = MEASURES[key]
        invalid = NOT_A_WHOLE_NUMBER if self.spec.integer else NOT_A_NUMBER
        super().__init__(
            required=False,
            label=self.spec.label,
            help_text=self.spec.how_to,
            error_messages={"invalid": invalid},
            **kwargs,
        )
        self.widget.attrs.update(
            {
                "inputmode": "numeric" if self.spec.integer else "decimal",
                "step": "1" if self.spec.integer else "any",
                "min": f"{self.spec.minimum:g}",
                "max": f"{self.spec.maximum:g}",
            }
        )

    def to_python(self, value):
        number = super().to_python(value)
        if number is None:
            return None
        message = range_error(self.spec.key, number)
        if message:
            raise forms.ValidationError(message, code="range")
        return int(number) if self.spec.integer else number


def measure_layout(*names: str, keys: dict[str, str]) -> list:
    """Each measure with its unit appended and its how-to diagram, two to a row on wide screens."""
    cells = []
    for name in names:
        spec = MEASURES[keys[name]]
        parts = [AppendedText(name, spec.unit)]
        diagram = diagram_for(spec.key)
        if diagram:
            parts.append(
                HTML(
                    f'<img class="measure-diagram mb-3" src="{escape(static(diagram))}" '
                    f'alt="How to measure: {escape(spec.label)}" loading="lazy">'
                )
            )
        cells.append(Column(*parts, css_class="col-md-6"))
    return [Row(*cells[i : i + 2]) for i in range(0, len(cells), 2)]


class SectionForm(forms.ModelForm):
    """A section's form: measure fields by name, crispy layout without its own <form> tag."""

    measure_keys: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, key in self.measure_keys.items():
            self.fields[name] = MeasureField(key)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list:
        others = [name for name in self.fields if name not in self.measure_keys]
        return [*measure_layout(*self.measure_keys, keys=self.measure_keys), *others]


class TechNeckForm(SectionForm):
    measure_keys = {
        "cva_deg": "cva_deg",
        "wall_distance_cm": "wall_distance_cm",
        "screen_hours_per_day": "screen_hours_per_day",
    }

    class Meta:
        model = models.TechNeck
        fields = ["cva_deg", "wall_distance_cm", "screen_hours_per_day"]


class PelvicTiltForm(SectionForm):
    measure_keys = {
        "pelvic_tilt_left_deg": "pelvic_tilt_left_deg",
        "pelvic_tilt_right_deg": "pelvic_tilt_right_deg",
    }

    class Meta:
        model = models.PelvicTilt
        fields = ["pelvic_tilt_left_deg", "pelvic_tilt_right_deg"]


SENIOR_TESTS = [
    "chair_stand_30s",
    "arm_curl_30s",
    "two_min_step",
    "chair_sit_reach_cm",
    "back_scratch_cm",
    "up_and_go_8ft_s",
    "six_min_walk_m",
    "tug_s",
    "tandem_stance_s",
]


class SeniorTestsForm(SectionForm):
    measure_keys = {name: f"senior.{name}" for name in SENIOR_TESTS}

    class Meta:
        model = models.SeniorTests
        fields = SENIOR_TESTS


YES_NO_UNKNOWN = [("", "Not asked"), ("true", "Yes"), ("false", "No")]


def yes_no_field(label: str) -> forms.TypedChoiceField:
    """Yes, no or not asked: an unanswered question stays None, never 'no'."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN,
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class PostpartumForm(SectionForm):
    measure_keys = {
        "ird_above_umbilicus_cm": "postpartum.ird_above_umbilicus_cm",
        "ird_umbilicus_cm": "postpartum.ird_umbilicus_cm",
        "ird_below_umbilicus_cm": "postpartum.ird_below_umbilicus_cm",
    }
    symptoms = ["doming", "leakage", "heaviness", "pelvic_pain"]

    class Meta:
        model = models.Postpartum
        fields = [
            "ird_above_umbilicus_cm",
            "ird_umbilicus_cm",
            "ird_below_umbilicus_cm",
            "doming",
            "leakage",
            "heaviness",
            "pelvic_pain",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.symptoms:
            self.fields[name] = yes_no_field(models.Postpartum._meta.get_field(name).verbose_name)
            value = getattr(self.instance, name)
            if value is not None and not self.is_bound:
                self.initial[name] = "true" if value else "false"
        self.helper.layout = Layout(
            *measure_layout(*self.measure_keys, keys=self.measure_keys),
            *[InlineRadios(name) for name in self.symptoms],
        )


class YouthForm(SectionForm):
    measure_keys = {
        "height_cm": "youth.height_cm",
        "sitting_height_cm": "youth.sitting_height_cm",
        "weight_kg": "youth.weight_kg",
    }
    growth_pain = forms.MultipleChoiceField(
        label="Growth-related pain",
        required=False,
        choices=[
            ("knee", "Knee (below the kneecap)"),
            ("heel", "Heel"),
            ("hip", "Hip or groin"),
            ("back", "Back"),
            ("other", "Elsewhere"),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text="Pain around growth areas during or after activity. Hip, groin or knee pain "
        "with a limp needs a physician first.",
    )

    class Meta:
        model = models.Youth
        fields = ["height_cm", "sitting_height_cm", "weight_kg", "growth_pain"]

    def clean(self):
        cleaned = super().clean()
        message = sitting_height_error(
            height_cm=cleaned.get("height_cm"), sitting_height_cm=cleaned.get("sitting_height_cm")
        )
        if message:
            self.add_error("sitting_height_cm", message)
        return cleaned


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = models.Assessment
        fields = ["assessed_on", "notes"]
        widgets = {"assessed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        if client is None and self.instance.client_id:
            client = self.instance.client
        self.client = client
        if not self.instance.pk:
            self.initial.setdefault("assessed_on", timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE)
        if self.client is not None and assessed_on < self.client.birth_date:
            raise forms.ValidationError(ASSESSED_BEFORE_BIRTH)
        return assessed_on


class PainReportForm(forms.ModelForm):
    score = forms.IntegerField(
        label="Pain (0-10)",
        min_value=0,
        max_value=10,
        error_messages={
            "min_value": "Enter a whole number between 0 and 10.",
            "max_value": "Enter a whole number between 0 and 10.",
            "invalid": NOT_A_WHOLE_NUMBER,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10}),
    )
    region = forms.ChoiceField(
        choices=[("", "Where?"), *((key, label) for key, (label, _) in PAIN_REGIONS.items())]
    )

    class Meta:
        model = models.PainReport
        fields = ["region", "score", "during"]


PainFormSet = forms.inlineformset_factory(
    models.Assessment,
    models.PainReport,
    form=PainReportForm,
    extra=2,
    max_num=12,
    validate_max=True,
    can_delete=True,
)


SIDE_CHOICES = [("", "Not seen"), ("left", "Left"), ("right", "Right"), ("both", "Both sides")]
SEEN_CHOICES = [("", "Not seen"), ("seen", "Seen")]


class ObservationsForm(forms.ModelForm):
    """Observations as one select per item (side where it applies), grouped for the eye.

    Saved as a JSON list of {"code", "side"[, "view"]}; only what was seen is stored.
    """

    def groups(self) -> list[tuple[str, list]]:
        """[(group label, [item with .code, .label, .per_side, optional .view])]."""
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = {o["code"]: o.get("side") or "seen" for o in self.instance.observations or []}
        layout = []
        for label, items in self.groups():
            names = []
            for item in items:
                name = f"obs_{item.code}"
                self.fields[name] = forms.ChoiceField(
                    label=item.label,
                    choices=SIDE_CHOICES if item.per_side else SEEN_CHOICES,
                    required=False,
                )
                if not self.is_bound and item.code in saved:
                    self.initial[name] = saved[item.code] if item.per_side else "seen"
                names.append(name)
            rows = [
                Row(*[Column(n, css_class="col-sm-6 col-lg-4") for n in names[i : i + 3]])
                for i in range(0, len(names), 3)
            ]
            layout.append(Fieldset(label, *rows))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout, *(f for f in self._meta.fields if f != "observations"))

    def save(self, commit=True):
        observations = []
        for _, items in self.groups():
            for item in items:
                value = self.cleaned_data.get(f"obs_{item.code}")
                if not value:
                    continue
                observation = {"code": item.code, "side": value if item.per_side else None}
                if getattr(item, "view", None):
                    observation["view"] = item.view
                observations.append(observation)
        self.instance.observations = observations
        return super().save(commit=commit)


class StaticPostureForm(ObservationsForm):
    class Meta:
        model = models.StaticPosture
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def groups(self):
        return [
            (label, list(POSTURE_BY_CHECKPOINT.get(key, ())))
            for key, (label, _) in CHECKPOINTS.items()
        ]


class OverheadSquatForm(ObservationsForm):
    class Meta:
        model = models.OverheadSquat
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def groups(self):
        return [
            (f"{view.capitalize()} ({label})", [c for c in OHS.values() if c.view == view])
            for view, label in VIEWS.items()
        ]


class GaitForm(forms.ModelForm):
    deviations = forms.MultipleChoiceField(
        label="Deviations observed",
        required=False,
        choices=[(g.code, g.label) for g in GAIT.values()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = models.Gait
        fields = ["deviations", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


SECTION_FORMS = {
    "static_posture": StaticPostureForm,
    "tech_neck": TechNeckForm,
    "pelvic_tilt": PelvicTiltForm,
    "overhead_squat": OverheadSquatForm,
    "gait": GaitForm,
    "senior_tests": SeniorTestsForm,
    "postpartum": PostpartumForm,
    "youth": YouthForm,
}
