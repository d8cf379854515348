"""An assessment's sections as JSON: each section's shape (its measures, observations,
deviations or pain reports, with the vocabularies the pages offer), read from the saved
record and written through the page's own section form, so that ranges, refusals and
messages are the page's.

A section is sent as plain values in the units it is kept in; each is turned into the
post the page's form would receive, and the form's errors are named by the JSON field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.datastructures import MultiValueDict
from rest_framework import serializers

from assessments import forms as section_forms
from assessments.findings import BODY_REGIONS
from assessments.measures import MEASURES
from assessments.models import PainReport
from assessments.posture import GAIT
from assessments.records import section_of
from assessments.sections import SECTIONS, SectionSpec

from .errors import form_errors

LOCK_VERSION_HELP = (
    "The assessment's lock_version you read: if someone saved the assessment since, "
    "nothing is saved and the answer is 409. Left out, the section is saved regardless."
)
SIDES = ["left", "right", "both"]
NEEDS_SIDE = "{code}: give the side it was seen on: left, right or both."
HAS_NO_SIDE = "{code}: is not seen on one side; send its side as null."
LISTED_TWICE = "{code}: listed twice; list each observation once."
REGIONS = list(BODY_REGIONS)


class SectionBody(serializers.Serializer):
    """What every section adds to its values: the assessment's version, and whether the
    section is recorded."""

    lock_version = serializers.IntegerField(required=False, help_text=LOCK_VERSION_HELP)
    recorded = serializers.BooleanField(
        read_only=True, help_text="False: this part of the assessment was not recorded."
    )


# --- Each section kind: its JSON fields, its saved values, its form's post -------------------


def _measure_field(key: str) -> serializers.Field:
    spec = MEASURES[key]
    kind = serializers.IntegerField if spec.integer else serializers.FloatField
    return kind(
        required=False,
        allow_null=True,
        help_text=(
            f"{spec.label}, in {spec.unit} (plausible: {spec.minimum:g} to {spec.maximum:g}); "
            "null: not measured."
        ),
    )


def _yes_no_field(label: str) -> serializers.Field:
    return serializers.BooleanField(
        required=False, allow_null=True, help_text=f"{label}: true, false or null (not asked)."
    )


class MeasuresKind:
    """A section of measures (tech neck, pelvic tilt, senior tests, postpartum, youth)."""

    def __init__(self, spec: SectionSpec, form_class):
        self.spec, self.form_class = spec, form_class

    def fields(self) -> dict[str, serializers.Field]:
        model = self.spec.model
        fields = {}
        for name in self.form_class.Meta.fields:
            if name in self.form_class.measure_keys:
                fields[name] = _measure_field(self.form_class.measure_keys[name])
            elif name == "growth_pain":
                fields[name] = serializers.ListField(
                    child=serializers.ChoiceField(REGIONS),
                    required=False,
                    help_text="Body regions with growth-related pain.",
                )
            else:  # a yes/no question (postpartum symptoms)
                fields[name] = _yes_no_field(model._meta.get_field(name).verbose_name)
        if self.spec.key == "tech_neck":
            fields["cva_provenance"] = serializers.CharField(
                read_only=True,
                help_text="How the CVA was taken when it came from a photo; empty when typed.",
            )
        return fields

    def values(self, section) -> dict[str, Any]:
        names = list(self.form_class.Meta.fields)
        if self.spec.key == "tech_neck":
            names.append("cva_provenance")
        empty = self.spec.model()
        return {name: getattr(section or empty, name) for name in names}

    def post(self, values: dict) -> dict[str, list[str]]:
        data = {}
        for name, value in values.items():
            if isinstance(value, list):
                data[name] = [str(item) for item in value]
            elif isinstance(value, bool):
                data[name] = ["true" if value else "false"]
            else:
                data[name] = ["" if value is None else str(value)]
        return data

    def errors(self, form) -> dict:
        return form_errors(form.errors)


class ObservationsKind:
    """Static posture or the overhead squat: what was seen, on which side, and notes."""

    def __init__(self, spec: SectionSpec, form_class):
        self.spec, self.form_class = spec, form_class
        unbound = form_class(instance=spec.model())
        self.items = {item.code: item for _, items in unbound.groups() for item in items}

    def fields(self) -> dict[str, serializers.Field]:
        per_side = sorted(code for code, item in self.items.items() if item.per_side)
        observation = type(
            f"{_camel(self.spec.key)}Observation",
            (serializers.Serializer,),
            {
                "code": serializers.ChoiceField(list(self.items)),
                "side": serializers.ChoiceField(
                    SIDES,
                    allow_null=True,
                    required=False,
                    help_text=(
                        "left, right or both for the observations seen on a side ("
                        + ", ".join(per_side)
                        + "); null for the others."
                    ),
                ),
            },
        )
        return {
            "observations": serializers.ListField(
                child=observation(),
                required=False,
                help_text="What was seen; anything not listed was not seen.",
            ),
            "notes": serializers.CharField(required=False, allow_blank=True),
        }

    def values(self, section) -> dict[str, Any]:
        if section is None:
            return {"observations": [], "notes": ""}
        seen = [{"code": o["code"], "side": o.get("side")} for o in section.observations or []]
        return {"observations": seen, "notes": section.notes}

    def check(self, values: dict) -> None:
        codes = [o["code"] for o in values.get("observations", [])]
        twice = sorted({code for code in codes if codes.count(code) > 1})
        if twice:
            raise serializers.ValidationError(
                {"observations": [LISTED_TWICE.format(code=code) for code in twice]}
            )

    def post(self, values: dict) -> dict[str, list[str]]:
        data = {"notes": [values.get("notes") or ""]}
        for observation in values.get("observations", []):
            # "seen" is the page's value for an observation without a side; one seen on a
            # side sends it, so the form refuses a side where none applies and vice versa.
            data[f"obs_{observation['code']}"] = [observation.get("side") or "seen"]
        return data

    def errors(self, form) -> dict:
        named, wrong = {}, []
        for name, messages in form.errors.items():
            code = name.removeprefix("obs_")
            if name.startswith("obs_") and code in self.items:
                template = NEEDS_SIDE if self.items[code].per_side else HAS_NO_SIDE
                wrong.append(template.format(code=code))
            else:
                named.update(form_errors({name: messages}))
        if wrong:
            named["observations"] = wrong
        return named


class GaitKind:
    """Gait: the deviations observed while the client walks, and notes."""

    def __init__(self, spec: SectionSpec, form_class):
        self.spec, self.form_class = spec, form_class

    def fields(self) -> dict[str, serializers.Field]:
        return {
            "deviations": serializers.ListField(
                child=serializers.ChoiceField(list(GAIT)),
                required=False,
                help_text="Deviation codes observed; anything not listed was not seen.",
            ),
            "notes": serializers.CharField(required=False, allow_blank=True),
        }

    def values(self, section) -> dict[str, Any]:
        if section is None:
            return {"deviations": [], "notes": ""}
        return {"deviations": list(section.deviations), "notes": section.notes}

    def post(self, values: dict) -> dict[str, list[str]]:
        return {
            "deviations": list(values.get("deviations", [])),
            "notes": [values.get("notes") or ""],
        }

    def errors(self, form) -> dict:
        return form_errors(form.errors)


class PainReportBody(serializers.Serializer):
    region = serializers.ChoiceField(REGIONS)
    score = serializers.IntegerField(help_text="0 = no pain, 10 = the worst pain.")
    during = serializers.CharField(required=False, allow_blank=True, help_text="During which test.")


class PainKind:
    """Pain during testing: the list of reports (where, how much, during what). A write
    replaces the list; the page's formset checks it."""

    prefix = "pain"

    def __init__(self, spec: SectionSpec, form_class=None):
        self.spec = spec

    def fields(self) -> dict[str, serializers.Field]:
        return {
            "reports": serializers.ListField(
                child=PainReportBody(),
                required=False,
                help_text=(
                    f"At most {section_forms.MAX_PAIN_REPORTS} reports; an empty list: "
                    "no pain reported."
                ),
            )
        }

    def values(self, assessment) -> dict[str, Any]:
        reports = [
            {"region": r.region, "score": r.score, "during": r.during}
            for r in assessment.pain_reports.all()
        ]
        return {"reports": reports}

    def post(self, values: dict, existing: list[PainReport]) -> dict[str, list[str]]:
        """The formset's post: the saved reports, in order, take the new values; those left
        over are deleted and new ones added (as a person editing the rows would)."""
        reports = values.get("reports", [])
        total = max(len(reports), len(existing))
        data = {
            f"{self.prefix}-TOTAL_FORMS": [str(total)],
            f"{self.prefix}-INITIAL_FORMS": [str(len(existing))],
        }
        for index in range(total):
            row = f"{self.prefix}-{index}-"
            if index < len(existing):
                data[row + "id"] = [str(existing[index].pk)]
            if index < len(reports):
                report = reports[index]
                data[row + "region"] = [report["region"]]
                data[row + "score"] = [str(report["score"])]
                data[row + "during"] = [report.get("during") or ""]
            else:
                saved = existing[index]
                data[row + "region"] = [saved.region]
                data[row + "score"] = [str(saved.score)]
                data[row + "during"] = [saved.during]
                data[row + "DELETE"] = ["on"]
        return data

    def errors(self, formset) -> dict:
        if formset.non_form_errors():
            return {"reports": list(formset.non_form_errors())}
        # Rows left over carry their saved (valid) values to be deleted: only the rows
        # sent can hold errors, at their index in the list sent.
        rows = {
            str(index): form_errors(form.errors)
            for index, form in enumerate(formset.forms)
            if form.errors
        }
        return {"reports": rows}


def _camel(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_"))


# --- The sections ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiSection:
    """One section as the API offers it: its spec, its kind and its serializer."""

    spec: SectionSpec
    kind: Any
    serializer: type[serializers.Serializer]

    def read(self, assessment) -> dict[str, Any]:
        """The section's saved values, the assessment's version, and whether it is recorded."""
        if self.spec.key == "pain":
            values = self.kind.values(assessment)
            recorded = bool(values["reports"])
        else:
            section = section_of(assessment, self.spec.relation)
            values, recorded = self.kind.values(section), section is not None
        return {**values, "lock_version": assessment.lock_version, "recorded": recorded}

    def form(self, assessment, values: dict):
        """The page's form (or formset) for the section, bound to the values' post."""
        if self.spec.key == "pain":
            existing = list(assessment.pain_reports.all())
            post = self.kind.post(values, existing)
        else:
            post = self.kind.post(values)
            prefix = self.spec.key
            post = {f"{prefix}-{name}": value for name, value in post.items()}
        return section_forms.section_form(self.spec, assessment, data=MultiValueDict(post))

    def errors(self, form) -> dict:
        return self.kind.errors(form)


def _api_section(spec: SectionSpec) -> ApiSection:
    form_class = section_forms.SECTION_FORMS.get(spec.key)
    if spec.key == "pain":
        kind = PainKind(spec)
    elif spec.key == "gait":
        kind = GaitKind(spec, form_class)
    elif issubclass(form_class, section_forms.ObservationsForm):
        kind = ObservationsKind(spec, form_class)
    else:
        kind = MeasuresKind(spec, form_class)
    attrs = {**kind.fields(), "__doc__": f"{spec.title}: {spec.summary}"}
    if hasattr(kind, "check"):
        attrs["validate"] = lambda self, values: kind.check(values) or values
    serializer = type(f"{_camel(spec.key)}Section", (SectionBody,), attrs)
    return ApiSection(spec, kind, serializer)


API_SECTIONS: dict[str, ApiSection] = {spec.key: _api_section(spec) for spec in SECTIONS}
