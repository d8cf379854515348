"""/api/v1/programs/, /versions/ and /items/: programs and their versions (read, edit a
draft's exercises, publish with the clearance gate, start a new version), the plan and the
specialist's report as PDFs, and a plan's high pain ratings acknowledged; all through the
pages' doors, forms and services, each write at the version's lock_version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from core import locking
from programs import services, sharing
from programs.access import get_item_for, get_version_for
from programs.downloads import pdf_response, report_response
from programs.forms import AcknowledgeForm, AddExerciseForm, ItemForm
from programs.models import Download, Exercise, Phase, Program, ProgramExercise, ProgramVersion

from .errors import form_errors
from .serializers import FormChecked

LOCK_VERSION_HELP = (
    "The version's lock_version you read: if the program was changed since, nothing is "
    "changed and the answer is 409. Left out, the change is made regardless."
)
NOT_A_PHASE = "This version has no phase with this id."
NOT_IN_LIBRARY = "No exercise of the library has this slug."


def version_for_api(user, pk: int) -> ProgramVersion:
    """The version through the pages' door, with its phases and exercises in order."""
    version = get_version_for(user, pk)
    items = Prefetch("items", ProgramExercise.objects.select_related("exercise"))
    phases = Prefetch("phases", Phase.objects.order_by("position").prefetch_related(items))
    prefetch_related_objects([version], phases)
    return version


def _expected(request) -> int | None:
    """The lock_version a write carries (in its body, or the query of a DELETE)."""
    data = request.data if hasattr(request.data, "get") else {}
    return (
        locking.read_version(data)
        if "lock_version" in data
        else locking.read_version(request.query_params)
    )


# --- What is read ---------------------------------------------------------------------------


class ItemSerializer(FormChecked):
    """An exercise of a program: its dose (written through the page's form) and why the
    rules chose it."""

    form_class = ItemForm  # the page's form checks the dose (ranges, tempo, reps or a hold)
    exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lock_version = serializers.IntegerField(
        write_only=True, required=False, help_text=LOCK_VERSION_HELP
    )

    class Meta:
        model = ProgramExercise
        fields = [
            "id",
            "exercise",
            "name",
            "position",
            "sets",
            "reps",
            "hold_s",
            "tempo",
            "notes",
            "cues",
            "equipment",
            "why",
            "findings",
            "rules",
            "override_reason",
            "lock_version",
        ]
        read_only_fields = [
            "id",
            "exercise",
            "name",
            "position",
            "cues",
            "equipment",
            "why",
            "findings",
            "rules",
            "override_reason",
        ]


class PhaseSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Phase
        fields = [
            "id",
            "key",
            "title",
            "position",
            "weeks",
            "sessions_per_week",
            "criteria",
            "items",
        ]


class ReferralStateSerializer(serializers.Serializer):
    required = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    may_publish = serializers.BooleanField(
        help_text="false: a referral waits for a medical clearance (recorded on or after "
        "the assessment) before the program may be published"
    )


class VersionSerializer(serializers.ModelSerializer):
    """A version of a program: a draft (edited) or published (read-only, frozen PDF)."""

    client = serializers.IntegerField(source="program.client_id", read_only=True)
    ruleset = serializers.CharField(source="ruleset.version", read_only=True)
    referral = serializers.SerializerMethodField()
    phases = PhaseSerializer(many=True, read_only=True)

    class Meta:
        model = ProgramVersion
        fields = [
            "id",
            "program",
            "client",
            "number",
            "status",
            "population",
            "assessment",
            "ruleset",
            "starts_on",
            "retest_on",
            "notes",
            "created_at",
            "published_at",
            "lock_version",
            "referral",
            "phases",
        ]
        read_only_fields = fields

    @extend_schema_field(ReferralStateSerializer)
    def get_referral(self, version) -> dict:
        check = services.publish_check(version)
        return {
            "required": bool(check.reasons),
            "reasons": list(check.reasons),
            "may_publish": check.allowed,
        }


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgramVersion
        fields = ["id", "number", "status", "published_at", "assessment"]


class ProgramSerializer(serializers.ModelSerializer):
    versions = VersionSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = ["id", "client", "created_at", "versions"]


# --- The resources ------------------------------------------------------------------------------


class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Programs (one per run of suggestions, with its versions), newest first."""

    serializer_class = ProgramSerializer
    lookup_value_regex = "[0-9]+"  # any other id is no record: 404 at the URL

    def get_queryset(self):
        versions = Prefetch("versions", ProgramVersion.objects.defer("draft"))
        programs = Program.objects.for_user(self.request.user).prefetch_related(versions)
        client = self.request.query_params.get("client", "")
        if self.action == "list" and client.isdigit():
            programs = programs.filter(client_id=int(client))
        return programs.order_by("-created_at", "-id")

    @extend_schema(
        parameters=[OpenApiParameter("client", int, description="only this client's programs")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class LockVersionBody(serializers.Serializer):
    lock_version = serializers.IntegerField(required=False, help_text=LOCK_VERSION_HELP)


class AddItemBody(LockVersionBody):
    phase = serializers.IntegerField(help_text="the id of one of the version's phases")
    exercise = serializers.CharField(help_text="a library exercise's slug")
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="needed only for an exercise a safety rule excludes for this client",
    )


class MoveBody(LockVersionBody):
    direction = serializers.ChoiceField(["up", "down"])


class SwapBody(LockVersionBody):
    to = serializers.ChoiceField(list(services.VARIANTS), help_text="regression or progression")
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="needed only when a safety rule excludes the replacement for this client",
    )


class AcknowledgeBody(serializers.Serializer):
    note = serializers.CharField(help_text="what you did about it (a call, advice, a referral)")


class AcknowledgedSerializer(serializers.Serializer):
    acknowledged = serializers.IntegerField(help_text="how many pain ratings it answered")


class PdfFirst(BaseContentNegotiation):
    """The PDF views answer a PDF, and their errors JSON, whatever the Accept header says
    (a script that asks for application/pdf still reads why it got none)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


PDF = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="the PDF")}


class VersionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A version of a program, its edits, its publication and its documents."""

    # The model for the schema only (the id's type); records come through get_object's door.
    queryset = ProgramVersion.objects.none()
    serializer_class = VersionSerializer
    lookup_value_regex = "[0-9]+"  # any other id is no record: 404 at the URL
    conflicts = {"publish", "items"}  # they carry the version's lock_version

    def get_object(self):
        return version_for_api(self.request.user, self.kwargs["pk"])

    def _answer(self, version_pk: int, code=status.HTTP_200_OK) -> Response:
        version = version_for_api(self.request.user, version_pk)
        return Response(VersionSerializer(version).data, status=code)

    @extend_schema(request=LockVersionBody, responses=VersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the draft: the client sees it, it becomes read-only and its PDF is
        frozen. Refused (400) while a referral waits for a medical clearance."""
        version = get_version_for(request.user, pk)
        body = LockVersionBody(data=request.data)
        body.is_valid(raise_exception=True)
        expected = body.validated_data.get("lock_version")
        with locking.claimed(ProgramVersion, version.pk, expected):
            services.publish(version, by=request.user)
        return self._answer(version.pk)

    @extend_schema(request=None, responses=VersionSerializer)
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """The draft to edit a published version: a copy of it (or the draft already
        started)."""
        version = get_version_for(request.user, pk)
        if not version.is_published:
            raise ValidationError("This version is a draft already: edit it.")
        draft = services.new_version(version, by=request.user)
        return self._answer(draft.pk)

    @extend_schema(request=AddItemBody, responses={201: ItemSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        """Add a library exercise at the end of one of the draft's phases (the page's
        form: the phase's steps, the client's population, safety exclusions)."""
        version = get_version_for(request.user, pk)
        body = AddItemBody(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        phase = Phase.objects.filter(version=version, pk=values["phase"]).first()
        if phase is None:
            raise ValidationError({"phase": NOT_A_PHASE})
        exercise = Exercise.objects.filter(slug=values["exercise"], in_library=True).first()
        if exercise is None:
            raise ValidationError({"exercise": NOT_IN_LIBRARY})
        form = AddExerciseForm(
            {"exercise": exercise.pk, "override_reason": values.get("override_reason", "")},
            phase=phase,
            population=version.population,
            blocked=services.excluded_tags(version),
        )
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form.errors))
        chosen = form.cleaned_data
        with locking.claimed(ProgramVersion, version.pk, values.get("lock_version")):
            item = services.add_exercise(
                version, phase, chosen["exercise"], override_reason=chosen["override_reason"]
            )
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AcknowledgeBody, responses=AcknowledgedSerializer)
    @action(detail=True, methods=["post"], url_path="acknowledge-pain")
    def acknowledge_pain(self, request, pk=None):
        """Answer the plan's high pain ratings and warning signs with a note: the client
        leaves the attention list until a new one is logged."""
        version = get_version_for(request.user, pk)
        form = AcknowledgeForm(request.data if hasattr(request.data, "get") else {})
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form.errors))
        count = services.acknowledge_pain(version, by=request.user, note=form.cleaned_data["note"])
        return Response({"acknowledged": count})

    @extend_schema(responses=PDF)
    @action(detail=True, methods=["get"], content_negotiation_class=PdfFirst)
    def plan(self, request, pk=None):
        """The client's plan as a PDF: the frozen one once published, else drawn now."""
        version = get_version_for(request.user, pk, with_pdf=True)
        sharing.record_download(request, version, channel=Download.Channel.SPECIALIST)
        return pdf_response(version, sharing.plan_pdf(version))

    @extend_schema(responses=PDF)
    @action(detail=True, methods=["get"], content_negotiation_class=PdfFirst)
    def report(self, request, pk=None):
        """The specialist's report: findings, citations, referral and the rules used."""
        version = get_version_for(request.user, pk)
        return report_response(version, today=timezone.localdate())


class ItemViewSet(
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """An exercise of a draft: its dose and notes, its place, its removal."""

    # The model for the schema only (the id's type); records come through get_object's door.
    queryset = ProgramExercise.objects.none()
    serializer_class = ItemSerializer
    lookup_value_regex = "[0-9]+"  # any other id is no record: 404 at the URL
    conflicts = {"update", "partial_update", "destroy", "move", "swap"}  # at the version's

    def get_object(self):
        return get_item_for(self.request.user, self.kwargs["pk"])

    def perform_update(self, serializer):
        item = serializer.instance
        version = item.phase.version
        expected = serializer.validated_data.get("lock_version")
        with locking.claimed(ProgramVersion, version.pk, expected):
            if version.is_published:
                raise ValidationError(services.PUBLISHED_IS_READ_ONLY)
            serializer.form.save()

    @extend_schema(
        parameters=[OpenApiParameter("lock_version", int, description=LOCK_VERSION_HELP)]
    )
    def destroy(self, request, *args, **kwargs):
        item = self.get_object()
        with locking.claimed(ProgramVersion, item.phase.version_id, _expected(request)):
            services.remove_exercise(item)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveBody, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Swap the exercise with its neighbour in the phase (up: earlier)."""
        item = self.get_object()
        body = MoveBody(data=request.data)
        body.is_valid(raise_exception=True)
        up = body.validated_data["direction"] == "up"
        with locking.claimed(
            ProgramVersion, item.phase.version_id, body.validated_data.get("lock_version")
        ):
            services.move_exercise(item, up=up)
        return Response(ItemSerializer(self.get_object()).data)

    @extend_schema(request=SwapBody, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def swap(self, request, pk=None):
        """Replace the exercise by its regression or progression, keeping its place; an
        exercise a safety rule excludes needs a reason."""
        item = self.get_object()
        body = SwapBody(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        with locking.claimed(ProgramVersion, item.phase.version_id, values.get("lock_version")):
            services.swap_exercise(
                item, to=values["to"], override_reason=values.get("override_reason", "")
            )
        return Response(ItemSerializer(self.get_object()).data)
