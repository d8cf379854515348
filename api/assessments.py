"""/api/v1/assessments/: an assessment, its sections (read and written through the pages'
section forms, at the assessment's lock_version), its findings, and a program suggested
from it. A client's assessments are listed and started under /api/v1/clients/{id}/."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import selectors, services
from assessments.access import get_assessment_for
from assessments.forms import AssessmentForm
from assessments.models import Assessment
from assessments.records import SECTION_RELATIONS, section_of, with_sections
from core.data_files import DataFileError
from programs import services as program_services

from .programs import VersionSerializer, version_for_api
from .sections import API_SECTIONS
from .serializers import FormChecked


class AssessmentSerializer(FormChecked):
    """An assessment: its date and notes (written), who signed it, and which parts are
    recorded (each read and written at /sections/{key}/)."""

    population = serializers.SerializerMethodField(
        help_text="youth, adult, senior or postpartum, on the assessment date"
    )
    recorded_sections = serializers.SerializerMethodField(
        help_text="The keys of the sections recorded (pain: when a pain report is)."
    )

    form_class = AssessmentForm

    class Meta:
        model = Assessment
        fields = [
            "id",
            "client",
            "specialist",
            "assessed_on",
            "notes",
            "population",
            "recorded_sections",
            "lock_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "client",
            "specialist",
            "lock_version",
            "created_at",
            "updated_at",
        ]

    def get_population(self, assessment) -> str:
        return str(assessment.client.population(assessment.assessed_on))

    def get_recorded_sections(self, assessment) -> list[str]:
        keys = [key for key in SECTION_RELATIONS if section_of(assessment, key) is not None]
        return [*keys, "pain"] if assessment.pain_reports.all() else keys

    def form_options(self, instance) -> dict:
        # The page's form checks the date against the client's birth date.
        return {"client": instance.client}


def assessments_of(client):
    """A client's assessments with every section, newest first (the client page's order)."""
    return with_sections(client.assessments.select_related("client")).order_by(
        "-assessed_on", "-id"
    )


def start_assessment(request, client):
    """Start an assessment of ``client`` once consent allows it (the page's checks)."""
    serializer = AssessmentSerializer(data=request.data, context={"client": client})
    serializer.is_valid(raise_exception=True)
    form = serializer.form
    services.check_consent(client, guardian_missing=selectors.guardian_missing(client, form))
    assessment = services.create_assessment(form, client=client, by=request.user)
    return Response(
        AssessmentSerializer(get_assessment_for(request.user, assessment.pk)).data,
        status=status.HTTP_201_CREATED,
    )


class AssessmentViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    # The model for the schema only (the id's type); records come through get_object's door.
    queryset = Assessment.objects.none()
    serializer_class = AssessmentSerializer
    lookup_value_regex = "[0-9]+"  # any other id is no record: 404 at the URL

    def get_object(self):
        return get_assessment_for(self.request.user, self.kwargs["pk"])

    def perform_update(self, serializer):
        serializer.instance = serializer.form.save()


class FindingSerializer(serializers.Serializer):
    """A finding as the case format writes it (shared/design/case-format.md)."""

    code = serializers.CharField()
    severity = serializers.CharField(help_text="info, mild, moderate or marked")
    region = serializers.CharField(help_text="the body region it belongs to")
    measure = serializers.CharField(allow_null=True)
    value = serializers.JSONField(allow_null=True, help_text="a number, a side or null")
    reference = serializers.CharField(allow_null=True, help_text="the norm it was read against")
    source = serializers.CharField(allow_null=True, help_text="a source id (/sources/)")
    explanation = serializers.CharField()
    practice_default = serializers.BooleanField(
        help_text="true: the threshold is a practice default, not a published one"
    )
    provenance = serializers.CharField(
        required=False, help_text="how the value was taken when it came from a photo"
    )


class ReferralSerializer(serializers.Serializer):
    required = serializers.BooleanField(
        help_text="true: the client should see a physician or physiotherapist first"
    )
    reasons = serializers.ListField(child=serializers.CharField())
    details = serializers.ListField(child=serializers.CharField())
    cleared = serializers.BooleanField(
        help_text="a clearance recorded on or after the assessment covers the reasons"
    )


class FindingsSerializer(serializers.Serializer):
    findings = FindingSerializer(many=True)
    referral = ReferralSerializer()


class FindingsView(APIView):
    """What the assessment's numbers and observations mean against published norms, and
    whether a referral comes first. Realign never diagnoses."""

    @extend_schema(responses=FindingsSerializer)
    def get(self, request, pk):
        assessment = get_assessment_for(request.user, pk)
        page = selectors.findings_page(assessment)
        referral = page["referral"]
        body = {
            "findings": [finding.as_case_dict() for finding in page["findings"]],
            "referral": {
                "required": referral.required,
                "reasons": list(referral.reasons),
                "details": list(referral.details),
                "cleared": page["cleared"],
            },
        }
        return Response(FindingsSerializer(body).data)


class SuggestView(APIView):
    """A draft program suggested from the assessment by the current rule tables (the
    assessment page's "Suggest a program"): review it, edit it, publish it."""

    @extend_schema(request=None, responses={201: VersionSerializer})
    def post(self, request, pk):
        assessment = get_assessment_for(request.user, pk)
        try:
            version = program_services.generate_program(assessment, by=request.user)
        except DataFileError as error:
            # The saved records contradict each other (dates, say): named, never a 500.
            raise ValidationError({error.field: error.message}) from error
        return Response(
            VersionSerializer(version_for_api(request.user, version.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class SectionView(APIView):
    """One section of an assessment (``section`` names it): read, replace (PUT) or change
    some values (PATCH), checked by the page's section form."""

    section = None  # an api.sections.ApiSection

    def read(self, request, pk):
        assessment = get_assessment_for(request.user, pk)
        return Response(self.section.serializer(self.section.read(assessment)).data)

    def write(self, request, pk, *, partial: bool):
        assessment = get_assessment_for(request.user, pk)
        sent = request.data  # anything but an object is refused by the serializer
        if partial and isinstance(sent, dict):
            # A change of some values is the saved section with those values replaced,
            # checked as a whole (a list sent replaces the saved list).
            saved = self.section.serializer(self.section.read(assessment)).data
            sent = {**saved, **sent}
        serializer = self.section.serializer(data=sent)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        # The version the caller read, if they sent one (a PATCH's merge carries the
        # current one, which must not stand in for theirs).
        expected = values.pop("lock_version", None) if "lock_version" in request.data else None
        form = self.section.form(assessment, values)
        if not form.is_valid():
            return Response(self.section.errors(form), status=status.HTTP_400_BAD_REQUEST)
        # A stale lock_version raises locking.Conflict (nothing saved): 409, api.errors.
        services.save_section(form, assessment=assessment, expected=expected)
        saved = get_assessment_for(request.user, pk)
        return Response(self.section.serializer(self.section.read(saved)).data)


def section_view(key: str):
    """The view of one section, with its own schema (its fields and vocabularies)."""
    section = API_SECTIONS[key]
    body, spec = section.serializer, section.spec
    title = spec.title.lower()
    read = extend_schema(summary=f"Read {title}", description=spec.summary, responses=body)
    write = extend_schema(
        summary=f"Record {title}", description=spec.summary, request=body, responses=body
    )

    # Each section's view has its own methods, so that each carries its own schema.
    @read
    def get(self, request, pk):
        return self.read(request, pk)

    @write
    def put(self, request, pk):
        return self.write(request, pk, partial=False)

    @write
    def patch(self, request, pk):
        return self.write(request, pk, partial=True)

    view = type(
        f"{body.__name__}View",
        (SectionView,),
        {
            "section": section,
            "conflicts": {"PUT", "PATCH"},
            "get": get,
            "put": put,
            "patch": patch,
            "__doc__": spec.summary,
        },
    )
    return view.as_view()
