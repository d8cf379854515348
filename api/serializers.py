"""What the API reads and writes. Input is checked twice in one order: the field types
here, then the page's own form (its ranges, refusals and messages), so that no rule is
written twice; the record is saved by the page's service."""

from __future__ import annotations

from django.forms.models import model_to_dict
from rest_framework import serializers

from clients.forms import ClearanceForm, ClientForm, ScreeningForm
from clients.models import Clearance, Client, Screening


class FormChecked(serializers.ModelSerializer):
    """A serializer whose input is also checked by ``form_class``, the page's form (a
    partial update keeps the record's other values)."""

    form_class = None

    def validate(self, attrs):
        names = self.form_class.Meta.fields
        data = model_to_dict(self.instance, fields=names) if self.instance else {}
        data.update({key: value for key, value in self.initial_data.items() if key in names})
        form = self.form_class(
            data={key: "" if value is None else value for key, value in data.items()},
            instance=self.instance,
        )
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    field: [error["message"] for error in errors]
                    for field, errors in form.errors.get_json_data().items()
                }
            )
        self.form = form
        return attrs


class ClientSerializer(FormChecked):
    form_class = ClientForm
    population = serializers.SerializerMethodField(
        help_text="youth, adult, senior or postpartum, today"
    )
    archived = serializers.SerializerMethodField()

    class Meta:
        model = Client
        read_only_fields = ["id", "population", "archived", "specialist", "last_activity_at"]
        fields = [*ClientForm.Meta.fields, *read_only_fields]

    def get_population(self, client) -> str:
        return str(client.population())

    def get_archived(self, client) -> bool:
        return client.archived_at is not None


class ScreeningSerializer(FormChecked):
    """A PAR-Q+ screening: the seven general questions, each answered true or false."""

    form_class = ScreeningForm
    needs_clearance = serializers.SerializerMethodField()

    class Meta:
        model = Screening
        read_only_fields = ["id", "needs_clearance", "created_at"]
        fields = [*ScreeningForm.Meta.fields, *read_only_fields]

    def get_needs_clearance(self, screening) -> bool:
        """Any "yes": medical clearance is recommended (until one is recorded after it)."""
        return bool(screening.yes_numbers)


class ClearanceSerializer(FormChecked):
    """A medical clearance: when, by whom, and a note."""

    form_class = ClearanceForm

    class Meta:
        model = Clearance
        read_only_fields = ["id", "created_at"]
        fields = [*ClearanceForm.Meta.fields, *read_only_fields]
