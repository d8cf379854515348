"""One form per assessment section; measures bring their unit, range and help text."""

from __future__ import annotations

import json

from crispy_forms.bootstrap import AppendedText, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import escape

from clients.forms import DATE_IN_FUTURE, DateInput
from core.logos import megabytes

from . import models, photo_intake
from .findings import BODY_REGIONS
from .measures import MEASURES, measures_of, range_error, sitting_height_error
from .posture import CHECKPOINTS, GAIT, OHS, POSTURE_BY_CHECKPOINT, VIEWS
from .records import section_of

NOT_A_NUMBER = "Enter a number, for example 12 or 12.5."
ASSESSED_BEFORE_BIRTH = "The assessment date cannot be before the client's birth date."
NOT_A_WHOLE_NUMBER = "Enter a whole number, for example 12."


UNKNOWN_UNIT = "Choose one of the units offered."
CVA_FROM_PHOTO = "The value saved is {provenance}; typing another value replaces it."


class ValueWithUnitWidget(forms.MultiWidget):
    """The number and, right after it, the unit it is entered in (``<name>_unit``).

    The number keeps the field's own name and id, so labels, error links and posts that
    send only the number (in the stored unit) work as for any other measure.
    """

    template_name = "assessments/widgets/value_with_unit.html"
    use_fieldset = False  # one label, for the number; the selector names itself

    def __init__(self, spec, *, default_unit: str, attrs=None):
        self.spec, self.default_unit = spec, default_unit
        choices = [(unit.code, unit.label) for unit in spec.entry_units]
        super().__init__(
            {"": forms.NumberInput(attrs=attrs), "unit": forms.Select(choices=choices)}
        )

    def decompress(self, value):
        # A saved value is shown as it is kept (never converted back and forth); an empty
        # field offers the practice's unit.
        return [value, self.spec.unit if value is not None else self.default_unit]

    def id_for_label(self, id_):
        return id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        number, unit = context["widget"]["subwidgets"]
        field_id = (attrs or {}).get("id") or self.attrs.get("id")
        if field_id:
            number["attrs"]["id"], unit["attrs"]["id"] = field_id, f"{field_id}_unit"
        invalid = "is-invalid" in number["attrs"].get("class", "")
        unit["attrs"].pop("aria-describedby", None)
        unit["attrs"].pop("aria-invalid", None)
        unit["attrs"].update(
            {
                # The error shows on the number; the selector stays plain.
                "class": "form-select measure-unit flex-grow-0 w-auto",
                "aria-label": f"Unit of {self.spec.label.lower()}",
                "data-measure-unit": "",
            }
        )
        context["widget"]["invalid"] = invalid
        return context


class MeasureField(forms.FloatField):
    """A number with the unit, plausible range and 'how to measure' text of its measure.

    A measure declared with other units (``MeasureSpec.units``) gets a unit selector; the
    range is checked in the unit entered, and the value converted once into the stored unit.
    """

    def __init__(
        self,
        key: str,
        *,
        required: bool = False,
        label: str | None = None,
        help_text: str | None = None,
        unit_system: str = "metric",
        **kwargs,
    ):
        self.spec = MEASURES[key]
        invalid = NOT_A_WHOLE_NUMBER if self.spec.integer else NOT_A_NUMBER
        attrs = {
            "inputmode": "numeric" if self.spec.integer else "decimal",
            "step": "1" if self.spec.integer else "any",
        }
        if self.spec.units:
            default = next(
                (unit.code for unit in self.spec.units if unit.us and unit_system == "us"),
                self.spec.unit,
            )
            kwargs["widget"] = ValueWithUnitWidget(self.spec, default_unit=default, attrs=attrs)
        else:
            # The browser's own hints only where they are in the one unit there is.
            attrs.update({"min": f"{self.spec.minimum:g}", "max": f"{self.spec.maximum:g}"})
        notes = " ".join(unit.note for unit in self.spec.units if unit.approximate)
        super().__init__(
            required=required,
            label=label or self.spec.label,
            help_text=" ".join(filter(None, [self.spec.how_to, notes]))
            if help_text is None
            else help_text,
            error_messages={"invalid": invalid},
            **kwargs,
        )
        if not self.spec.units:
            self.widget.attrs.update(attrs)

    def to_python(self, value):
        raw, code = value if isinstance(value, list | tuple) else (value, None)
        unit = self.spec.entry_unit(code)
        if unit is None:
            raise forms.ValidationError(UNKNOWN_UNIT, code="unit")
        number = super().to_python(raw)
        if number is None:
            return None
        message = range_error(self.spec.key, number, unit)
        if message:
            raise forms.ValidationError(message, code="range")
        return int(number) if self.spec.integer else self.spec.to_stored(number, unit)


# Every "how to measure" drawing's size (the files' own width and height, which
# tests/assessments/test_diagrams.py checks): the page keeps its room before it loads.
DIAGRAM_WIDTH, DIAGRAM_HEIGHT = 240, 160


def measure_layout(*names: str, keys: dict[str, str]) -> list:
    """Each measure with its unit appended and its how-to diagram, two to a row on wide screens."""
    cells = []
    for name in names:
        spec = MEASURES[keys[name]]
        # A measure with several units shows its unit selector where the unit would be.
        parts = [name if spec.units else AppendedText(name, spec.unit)]
        if spec.diagram:
            parts.append(
                HTML(
                    f'<img class="measure-diagram mb-3" src="{escape(static(spec.diagram))}" '
                    f'alt="How to measure: {escape(spec.label)}" loading="lazy" '
                    f'width="{DIAGRAM_WIDTH}" height="{DIAGRAM_HEIGHT}">'
                )
            )
        cells.append(Column(*parts, css_class="col-md-6"))
    return [Row(*cells[i : i + 2]) for i in range(0, len(cells), 2)]


def measure_fields(section: str) -> dict[str, str]:
    """The section's measures as {model field: measure key}, from the measure declarations."""
    return {spec.field: spec.key for spec in measures_of(section)}


class SectionForm(forms.ModelForm):
    """A section's form: measure fields by name, crispy layout without its own <form> tag."""

    measure_keys: dict[str, str] = {}

    def __init__(self, *args, unit_system: str = "metric", **kwargs):
        super().__init__(*args, **kwargs)
        for name, key in self.measure_keys.items():
            self.fields[name] = MeasureField(key, unit_system=unit_system)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list:
        others = [name for name in self.fields if name not in self.measure_keys]
        return [*measure_layout(*self.measure_keys, keys=self.measure_keys), *others]


class TechNeckForm(SectionForm):
    measure_keys = measure_fields("tech_neck")

    class Meta:
        model = models.TechNeck
        fields = list(measure_fields("tech_neck"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provenance = self.instance.cva_provenance
        if provenance:
            field = self.fields["cva_deg"]
            field.help_text = f"{CVA_FROM_PHOTO.format(provenance=provenance)} {field.help_text}"

    def save(self, commit=True):
        # A value typed by hand is no longer the photo's: its provenance goes with it.
        if "cva_deg" in self.changed_data:
            self.instance.cva_provenance = ""
        return super().save(commit=commit)


class PelvicTiltForm(SectionForm):
    measure_keys = measure_fields("pelvic_tilt")

    class Meta:
        model = models.PelvicTilt
        fields = list(measure_fields("pelvic_tilt"))


class SeniorTestsForm(SectionForm):
    measure_keys = measure_fields("senior_tests")

    class Meta:
        model = models.SeniorTests
        fields = list(measure_fields("senior_tests"))


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
    measure_keys = measure_fields("postpartum")
    symptoms = ["doming", "leakage", "heaviness", "pelvic_pain"]

    class Meta:
        model = models.Postpartum
        fields = [*measure_fields("postpartum"), "doming", "leakage", "heaviness", "pelvic_pain"]

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
    measure_keys = measure_fields("youth")
    growth_pain = forms.MultipleChoiceField(
        label="Growth-related pain",
        required=False,
        # The case format's one closed vocabulary of body regions, as for pain reports.
        choices=[(key, label) for key, (label, _) in BODY_REGIONS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="Pain around growth areas during or after activity. Hip, groin or knee pain "
        "with a limp needs a physician first.",
    )

    class Meta:
        model = models.Youth
        fields = [*measure_fields("youth"), "growth_pain"]

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
    # One row per report: the scale's how-to would repeat in every row, so it is left out.
    score = MeasureField("pain.score", required=True, label="Pain (0-10)", help_text="")
    region = forms.ChoiceField(
        choices=[("", "Where?"), *((key, label) for key, (label, _) in BODY_REGIONS.items())]
    )

    class Meta:
        model = models.PainReport
        fields = ["region", "score", "during"]


# A practice default: one pain report per body region is room enough for a session. The
# same number bounds the forms a post may ask for (absolute_max), so a request cannot make
# the server build and render a thousand forms.
MAX_PAIN_REPORTS = len(BODY_REGIONS)


class BasePainFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": (
            "An assessment records at most %(num)d pain reports (one per body region, a "
            "practice default). Remove one, or describe several tests in one report."
        ),
    }


PainFormSet = forms.inlineformset_factory(
    models.Assessment,
    models.PainReport,
    form=PainReportForm,
    formset=BasePainFormSet,
    extra=2,
    max_num=MAX_PAIN_REPORTS,
    absolute_max=MAX_PAIN_REPORTS,
    validate_max=True,
    can_delete=True,
)


SIDE_CHOICES = [("", "Not seen"), ("left", "Left"), ("right", "Right"), ("both", "Both sides")]
SEEN_CHOICES = [("", "Not seen"), ("seen", "Seen")]


class ObservationsForm(forms.ModelForm):
    """Observations as one select per item (side where it applies), grouped for the eye.

    Saved as a JSON list of {"code", "side"[, "view"]}; only what was seen is stored.
    """

    class Meta:  # a subclass names its model: class Meta(ObservationsForm.Meta)
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

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
    class Meta(ObservationsForm.Meta):
        model = models.StaticPosture

    def groups(self):
        return [
            (label, list(POSTURE_BY_CHECKPOINT.get(key, ())))
            for key, (label, _) in CHECKPOINTS.items()
        ]


class OverheadSquatForm(ObservationsForm):
    class Meta(ObservationsForm.Meta):
        model = models.OverheadSquat

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


def section_form(spec, assessment, data=None):
    """The form of one section of the assessment, bound to ``data`` when it was posted."""
    if spec.key == "pain":
        return PainFormSet(data, instance=assessment, prefix="pain")
    instance = section_of(assessment, spec.relation) or spec.model(assessment=assessment)
    form_class = SECTION_FORMS[spec.key]
    options = {}
    if issubclass(form_class, SectionForm):  # the forms with measures, so with units
        options["unit_system"] = assessment.client.practice.unit_system
    return form_class(data, instance=instance, prefix=spec.key, **options)


# What a tablet's camera or a file picker offers; the server decides from the bytes alone.
PHOTO_ACCEPT = "image/jpeg,image/png,image/heic"
LANDMARKS_UNREADABLE = "The landmarks sent could not be read: place them again, then save."


class PhotoUploadForm(forms.Form):
    """A posture photo for one view, from the tablet's camera or a file (photos.add_photo
    checks and stores it)."""

    view = forms.ChoiceField(label="View", choices=models.PosturePhoto.View.choices)
    image = forms.FileField(
        label="Photo",
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT, "capture": "environment"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        heic = " or HEIC" if photo_intake.heic_decoder_available() else ""
        self.fields["image"].help_text = (
            f"JPEG or PNG{heic}, at most {megabytes(photo_intake.MAX_PHOTO_BYTES)}. It is "
            "stored upright without its metadata (location, device, time); a photo already "
            "taken for the view is replaced."
        )


class LandmarksForm(forms.Form):
    """The landmarks the page's tool placed, as the JSON object {name: [x, y]}."""

    # Sixteen landmarks take a few hundred characters; the bound keeps parsing cheap.
    landmarks = forms.CharField(
        widget=forms.HiddenInput,
        max_length=4000,
        strip=False,
        error_messages={"required": LANDMARKS_UNREADABLE, "max_length": LANDMARKS_UNREADABLE},
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_landmarks(self):
        try:
            landmarks = json.loads(self.cleaned_data["landmarks"])
        except (ValueError, RecursionError) as error:
            raise forms.ValidationError(LANDMARKS_UNREADABLE) from error
        if not isinstance(landmarks, dict):
            raise forms.ValidationError(LANDMARKS_UNREADABLE)
        return landmarks
