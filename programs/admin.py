"""The admin for staff: the exercise library and the rule tables, validated like the files.

An exercise edit is checked by rebuilding the whole library with the edited record in it,
so a broken regression or an unknown tag is refused at the field. A rule edit never
changes its row: it makes a new ruleset version (services.edit_rule), and the programs
made before keep pointing at the version they were generated with.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.forms.fields import InvalidJSONInput
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.data_files import DataFileError

from . import services
from .library import as_record, library_from_records, load_library
from .models import Exercise, RuleRow, RulesetVersion

EXERCISE_DATA_NOT_A_TABLE = "Enter the exercise as a JSON object, like its [[exercise]] table."
EXERCISE_SLUG_IS_FIXED = (
    'The "slug" in the data must stay "{slug}": programs and other exercises refer to it.'
)
EXERCISE_SLUG_MISMATCH = 'The "slug" in the data must be the slug above, "{slug}".'
RULE_BODY_NOT_A_TABLE = "Enter the rule as a JSON object, like its table in the rule file."
RULE_ID_IS_FIXED = 'The "id" must stay "{rule_id}": programs list the rules that chose them.'
RULE_SAVED_AS_NEW_VERSION = (
    "Saved as ruleset version {version}. New programs use it; programs made before keep "
    "version {previous}."
)
RULE_UNCHANGED = "Nothing changed: this is still ruleset version {version}."


class IndentedJSONField(forms.JSONField):
    """A JSON text area laid out one key per line, so a long record can be read and edited."""

    def prepare_value(self, value):
        if isinstance(value, InvalidJSONInput):
            return value
        return json.dumps(value, indent=2, ensure_ascii=False, cls=self.encoder)


def _json_area() -> forms.Textarea:
    return forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"})


# --- Exercises ------------------------------------------------------------------------------


class ExerciseForm(forms.ModelForm):
    data = IndentedJSONField(
        widget=_json_area(),
        help_text="The exercise's table as in programs/data/exercises/*.toml. Name and phase "
        "follow from it.",
    )

    class Meta:
        model = Exercise
        fields = ["slug", "data"]

    def clean(self):
        cleaned = super().clean()
        record = cleaned.get("data")
        slug = self.instance.slug if self.instance.pk else cleaned.get("slug")
        if record is None or slug is None:
            return cleaned
        if record.get("slug") != slug:
            message = EXERCISE_SLUG_IS_FIXED if self.instance.pk else EXERCISE_SLUG_MISMATCH
            self.add_error("data", message.format(slug=slug))
            return cleaned
        try:
            library = library_from_records(self._library_records(record))
        except DataFileError as error:
            self.add_error("data", str(error))
            return cleaned
        self.parsed = library.get(slug)
        cleaned["data"] = as_record(self.parsed)  # the stored form of a record, as loaded
        return cleaned

    def clean_data(self):
        record = self.cleaned_data["data"]
        if not isinstance(record, dict):
            raise ValidationError(EXERCISE_DATA_NOT_A_TABLE)
        return record

    def _library_records(self, record: dict) -> list[dict]:
        """The stored library, in order, with this record in it (replaced, or added last)."""
        rows = list(Exercise.objects.filter(in_library=True).order_by("position", "slug"))
        records = [record if row.pk == self.instance.pk else row.data for row in rows]
        if not any(row.pk == self.instance.pk for row in rows):
            # A new exercise, or one that left the files: it must fit the library it joins.
            records.append(record)
        return records

    def save(self, commit=True):
        exercise = super().save(commit=False)
        exercise.name, exercise.phase = self.parsed.name, self.parsed.phase
        if exercise.pk is None:
            last = Exercise.objects.aggregate(last=Max("position"))["last"]
            exercise.position = 0 if last is None else last + 1
            # The files' version, like every loaded row: an unchanged deploy then keeps
            # this exercise instead of re-syncing the library (services._sync_library).
            exercise.library_version = load_library().version
        if commit:
            exercise.save()
        return exercise


@admin.register(Exercise)
class ExerciseAdmin(SimpleHistoryAdmin):
    form = ExerciseForm
    list_display = ["name", "slug", "phase", "in_library", "library_version"]
    list_filter = ["phase", "in_library"]
    search_fields = ["name", "slug"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["slug", "data"]
        return ["slug", "name", "phase", "in_library", "library_version", "data"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["slug", "name", "phase", "in_library", "library_version"]


# --- Ruleset versions -----------------------------------------------------------------------


@admin.register(RulesetVersion)
class RulesetVersionAdmin(admin.ModelAdmin):
    """Read-only: a version is frozen once stored, and programs point at it."""

    list_display = ["version", "created_at", "created_by", "note", "rule_count"]
    list_select_related = ["created_by"]
    fields = ["version", "created_at", "created_by", "note", "rule_count"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rule_count=Count("rows"))

    @admin.display(description="rules", ordering="rule_count")
    def rule_count(self, version: RulesetVersion):
        url = reverse("admin:programs_rulerow_changelist")
        return format_html(
            '<a href="{}?ruleset__id__exact={}">{}</a>', url, version.pk, version.rule_count
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Rules ----------------------------------------------------------------------------------


class RuleRowForm(forms.ModelForm):
    body = IndentedJSONField(
        widget=_json_area(),
        help_text="The rule's table as in its file. Saving makes a new ruleset version; "
        "this one stays as it is.",
    )
    editor = None  # the signed-in user, set by RuleRowAdmin.get_form

    class Meta:
        model = RuleRow
        fields = ["body"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        row = self.instance
        if not isinstance(body, dict):
            raise ValidationError(RULE_BODY_NOT_A_TABLE)
        if body.get("id") != row.rule_id:
            raise ValidationError(RULE_ID_IS_FIXED.format(rule_id=row.rule_id))
        if body == row.body:
            self.new_version = row.ruleset
            return body
        # edit_rule validates the whole ruleset and writes only when it is valid; calling
        # it here is what lets its error land on this field. The admin view is atomic.
        try:
            self.new_version = services.edit_rule(row, body, by=self.editor)
        except DataFileError as error:
            raise ValidationError(str(error)) from None
        return body


@admin.register(RuleRow)
class RuleRowAdmin(admin.ModelAdmin):
    form = RuleRowForm
    list_display = ["rule_id", "kind", "table", "ruleset"]
    list_filter = ["ruleset", "kind"]
    list_select_related = ["ruleset"]
    search_fields = ["rule_id"]
    fields = ["rule_id", "kind", "table", "ruleset", "body"]
    readonly_fields = ["rule_id", "kind", "table", "ruleset"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Only the current version is edited: a new version built from an older one
        # would silently drop every edit made since.
        if obj is not None and obj.ruleset_id != RulesetVersion.objects.latest().pk:
            return False
        return super().has_change_permission(request, obj)

    def save_form(self, request, form, change):
        # The edited row stays as it is; what the admin goes on with is its copy in the
        # new version (the log entry and the redirect name the copy).
        return form.new_version.rows.get(rule_id=form.instance.rule_id)

    def save_model(self, request, obj, form, change):
        # Nothing to save: services.edit_rule stored the new version with its rows.
        previous = form.instance.ruleset
        if obj.ruleset_id == previous.pk:
            messages.info(request, RULE_UNCHANGED.format(version=previous.version))
        else:
            messages.success(
                request,
                RULE_SAVED_AS_NEW_VERSION.format(
                    version=obj.ruleset.version, previous=previous.version
                ),
            )

    def save_related(self, request, form, formsets, change):
        pass  # no relations or inlines; the form was never saved, so it has no save_m2m

    def construct_change_message(self, request, form, formsets, add=False):
        previous = form.instance.ruleset
        if form.new_version.pk == previous.pk:
            return []
        return f"Edited {form.instance.rule_id} of {previous.version}: {form.new_version.version}."

    def response_change(self, request, obj):
        return HttpResponseRedirect(reverse("admin:programs_rulerow_change", args=[obj.pk]))
