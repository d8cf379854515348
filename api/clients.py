"""/api/v1/clients/: the client list (search, filters, order, pages), a client, create,
update and archive, through the pages' door and services."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from clients import services
from clients.access import clients_for, get_client_for
from clients.population import Population
from programs.selectors import adherence_log

from .assessments import AssessmentSerializer, assessments_of, start_assessment
from .serializers import (
    ClearanceSerializer,
    ClientSerializer,
    ConsentSerializer,
    ScreeningSerializer,
    SessionLogSerializer,
)

ORDERS = ("recent", "name")  # recent: most recently active first (the list page's order)
VERSION_FILTER = OpenApiParameter("version", int, description="only this program version's")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="words of the first or last name"),
            OpenApiParameter(
                "population", str, enum=[p.value for p in Population], description="today's"
            ),
            OpenApiParameter("archived", bool, description="archived clients instead"),
            OpenApiParameter("ordering", str, enum=list(ORDERS), description="recent first"),
        ]
    )
)
class ClientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ClientSerializer
    lookup_value_regex = "[0-9]+"  # any other id is no record: 404 at the URL

    def get_queryset(self):
        clients = clients_for(self.request.user)
        if self.action != "list":
            return clients
        query = self.request.query_params
        archived = query.get("archived", "").lower() in ("1", "true", "yes")
        clients = clients.archived() if archived else clients.active()
        if query.get("search"):
            clients = clients.search(query["search"][:100])
        if query.get("population") in Population.__members__.values():
            clients = clients.in_population(query["population"], on=timezone.localdate())
        if query.get("ordering") == "name":
            return clients.order_by("last_name", "first_name", "id")
        return clients.recent_first(archived=archived)

    def perform_create(self, serializer):
        client = serializer.form.save(commit=False)
        serializer.instance = services.add_client(client, by=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.save_client(serializer.form.save(commit=False))

    @extend_schema(request=None, responses=ClientSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Hide the client from the lists (nothing is deleted)."""
        client = self.get_object()
        services.archive_client(client)
        return Response(self.get_serializer(client).data)

    def _records(self, request, serializer_class, related: str):
        """The client's dated records of one kind (GET, newest first, in pages like every
        list) or a new one (POST), saved by the pages' service with who recorded it."""
        client = self.get_object()
        if request.method == "GET":
            rows = getattr(client, related).order_by("-created_at", "-id")
            page = self.paginate_queryset(rows)
            return self.get_paginated_response(serializer_class(page, many=True).data)
        serializer = serializer_class(data=request.data, context={"client": client})
        serializer.is_valid(raise_exception=True)
        record = serializer.form.save(commit=False)
        record.client = client
        services.add_record(record, by=request.user)
        return Response(serializer_class(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=ScreeningSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ScreeningSerializer, responses={201: ScreeningSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def screenings(self, request, pk=None):
        """The client's PAR-Q+ screenings, or a new one."""
        return self._records(request, ScreeningSerializer, "screenings")

    @extend_schema(methods=["GET"], responses=ClearanceSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ClearanceSerializer, responses={201: ClearanceSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def clearances(self, request, pk=None):
        """The client's medical clearances, or a new one."""
        return self._records(request, ClearanceSerializer, "clearances")

    @extend_schema(methods=["GET"], responses=ConsentSerializer(many=True))
    @extend_schema(methods=["POST"], request=ConsentSerializer, responses={201: ConsentSerializer})
    @action(detail=True, methods=["get", "post"])
    def consents(self, request, pk=None):
        """The client's informed consents, or a new one (needed before an assessment)."""
        return self._records(request, ConsentSerializer, "consents")

    @extend_schema(methods=["GET"], responses=AssessmentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=AssessmentSerializer, responses={201: AssessmentSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request, pk=None):
        """The client's assessments, newest first, or a new one (refused until the client's
        consent, and a guardian's for a minor, is recorded)."""
        client = get_client_for(request.user, pk)  # the page's door: with consent status
        if request.method == "POST":
            return start_assessment(request, client)
        page = self.paginate_queryset(assessments_of(client))
        return self.get_paginated_response(AssessmentSerializer(page, many=True).data)

    @extend_schema(parameters=[VERSION_FILTER], responses=SessionLogSerializer(many=True))
    @action(detail=True, methods=["get"])
    def sessions(self, request, pk=None):
        """The sessions the client logged at home, newest first: pain, warning signs,
        notes, and whether a high rating was acknowledged."""
        client = self.get_object()
        rows = adherence_log(client)
        version = request.query_params.get("version", "")
        if version.isdigit():
            rows = rows.filter(version_id=int(version))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SessionLogSerializer(page, many=True).data)
