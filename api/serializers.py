"""What the API reads and writes. Input is checked twice in one order: the field types
here, then the page's own form (its ranges, refusals and messages), so that no rule is
written twice; the record is saved by the page's service."""

from __future__ import annotations

from django.forms.models import model_to_dict
from rest_framework import serializers

from clients.forms import ClearanceForm, ClientForm, ConsentForm, ScreeningForm
from clients.models import Clearance, Client, Consent, Screening
from programs import adherence
from programs.models import SessionLog

from .errors import form_errors


class FormChecked(serializers.ModelSerializer):
    """A serializer whose input is also checked by ``form_class``, the page's form (a
    partial update keeps the record's other values)."""

    form_class = None

    def form_options(self, instance) -> dict:
        """More arguments the page's form takes, besides its data and instance."""
        return {}

    def validate(self, attrs):
        names = self.form_class.Meta.fields
        data = model_to_dict(self.instance, fields=names) if self.instance else {}
        data.update({key: value for key, value in self.initial_data.items() if key in names})
        # A new record carries its client, as on the page: a form may depend on it (the
        # consent of a minor needs a guardian's).
        instance = self.instance
        if instance is None and "client" in self.context:
            instance = self.form_class.Meta.model(client=self.context["client"])
        form = self.form_class(
            data={key: "" if value is None else value for key, value in data.items()},
            instance=instance,
            **self.form_options(instance),
        )
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form.errors))
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


class ConsentSerializer(FormChecked):
    """Informed consent, needed before an assessment; for a client under 18, a parent or
    guardian's as well (the guardian fields are then required)."""

    form_class = ConsentForm

    class Meta:
        model = Consent
        read_only_fields = ["id", "created_at"]
        fields = [*ConsentForm.Meta.fields, *read_only_fields]


class SessionLogSerializer(serializers.ModelSerializer):
    """A session the client logged at home (read-only: the client logs it in the portal)."""

    alert = serializers.SerializerMethodField(
        help_text="pain at or above the attention level, or a warning sign: the specialist "
        "was emailed"
    )
    acknowledged = serializers.SerializerMethodField(
        help_text="the specialist's note answering the alert, or null"
    )

    class Meta:
        model = SessionLog
        fields = ["id", "version", "done_on", "pain", "note", "red_flag", "alert", "acknowledged"]
        fields = [*fields, "created_at"]

    def get_alert(self, session) -> bool:
        return adherence.session_alert(session.pain, session.red_flag)

    def get_acknowledged(self, session) -> str | None:
        answer = getattr(session, "acknowledgement", None)
        return answer.note if answer is not None else None
