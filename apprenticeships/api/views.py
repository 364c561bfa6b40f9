from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.history import HistoryMixin
from portal.csv import lines
from portal.tenancy import Scope, TenantViewSet, resolve_scope

from .. import selectors, services
from ..rapids.export import rapids_rows
from .serializers import (
    ApprenticeshipRegisterSerializer,
    ApprenticeshipSerializer,
    ApprenticeshipUpdateSerializer,
    OccupationSerializer,
    ProgramCreateSerializer,
    ProgramSerializer,
    RapidsExportFilterSerializer,
    TransitionSerializer,
)


class OccupationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The national occupation catalog: everyone signed in reads it; platform staff keep it."""

    serializer_class = OccupationSerializer
    filterset_fields = ["training_approach", "onet_soc_code", "rapids_code"]
    ordering_fields = ["title", "onet_soc_code"]
    ordering = ["title"]

    def scoped_queryset(self, scope: Scope):
        return selectors.occupation_list()

    @extend_schema(request=OccupationSerializer, responses={201: OccupationSerializer})
    def create(self, request):
        services.check_may_change_catalog(scope=self.scope)  # before the body is read
        data = OccupationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        occupation = services.occupation_create(scope=self.scope, created_by=request.user, **data.validated_data)
        return Response(OccupationSerializer(occupation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OccupationSerializer, responses=OccupationSerializer)
    def partial_update(self, request, pk=None):
        occupation = self.get_object()
        data = OccupationSerializer(occupation, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        occupation = services.occupation_update(
            scope=self.scope, occupation=occupation, changed_by=request.user, data=data.validated_data
        )
        return Response(OccupationSerializer(occupation).data)


class ProgramViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The sponsor's registered standards, with the work process schedule, wage schedule and
    milestone definitions nested. RAPS admins write; members and apprentices read."""

    serializer_class = ProgramSerializer
    # Its history shows its work processes', competencies', wage steps' and milestone definitions'.
    history_record_type = "program"
    filterset_fields = ["occupation", "training_approach", "sponsor"]
    ordering_fields = ["title", "created_at"]
    ordering = ["title"]

    def scoped_queryset(self, scope: Scope):
        return selectors.program_list(scope=scope)

    @extend_schema(request=ProgramCreateSerializer, responses={201: ProgramSerializer})
    def create(self, request):
        services.check_may_register_program(scope=self.scope)  # before the body is read
        data = ProgramCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        program = services.program_create(
            scope=self.scope, created_by=request.user, sponsor_id=fields.pop("sponsor", None), **fields
        )
        return Response(ProgramSerializer(self.get_queryset().get(pk=program.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProgramSerializer, responses=ProgramSerializer)
    def partial_update(self, request, pk=None):
        program = self.get_object()
        data = ProgramSerializer(program, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.program_update(scope=self.scope, program=program, changed_by=request.user, **data.validated_data)
        return Response(ProgramSerializer(self.get_queryset().get(pk=program.pk)).data)


class ApprenticeshipViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Apprentice agreements: RAPS admins register and change them; employer staff and the
    apprentice read their own."""

    serializer_class = ApprenticeshipSerializer
    # Its history shows its registration data's: personal values to their readers only.
    history_record_type = "apprenticeship"
    filterset_fields = ["status", "program", "employer", "apprentice"]
    ordering_fields = ["start_date", "expected_end_date", "created_at"]
    ordering = ["-start_date"]

    def scoped_queryset(self, scope: Scope):
        return selectors.apprenticeship_list(scope=scope).select_related("program")

    def history_personal(self, record) -> bool:
        return selectors.may_read_personal_data(scope=self.scope, apprenticeship=record)

    def get_serializer_context(self):
        scope = self.scope
        return {
            **super().get_serializer_context(),
            "may_read_personal": lambda a: selectors.may_read_personal_data(scope=scope, apprenticeship=a),
            "is_sponsor_admin": lambda a: scope.is_raps_admin(a.program.sponsor_id),
        }

    @extend_schema(request=ApprenticeshipRegisterSerializer, responses={201: ApprenticeshipSerializer})
    def create(self, request):
        services.check_may_register_apprentice(scope=self.scope)  # before the body is read
        data = ApprenticeshipRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        apprenticeship = services.apprenticeship_register(
            scope=self.scope,
            registered_by=request.user,
            program_id=fields.pop("program"),
            employer_id=fields.pop("employer"),
            mentor_id=fields.pop("mentor", None),
            **fields,
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=apprenticeship.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ApprenticeshipUpdateSerializer, responses=ApprenticeshipSerializer)
    def partial_update(self, request, pk=None):
        apprenticeship = self.get_object()
        data = ApprenticeshipUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        registration = fields.pop("registration", None)
        services.apprenticeship_update(
            scope=self.scope,
            apprenticeship=apprenticeship,
            changed_by=request.user,
            fields=fields,
            registration=registration,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=apprenticeship.pk)).data)

    @extend_schema(request=TransitionSerializer, responses=ApprenticeshipSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        apprenticeship = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.apprenticeship_transition(
            scope=self.scope, apprenticeship=apprenticeship, changed_by=request.user, **data.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=apprenticeship.pk)).data)


def _date_or_empty(name: str, description: str) -> OpenApiParameter:
    """A date filter that an empty value leaves out (`?registered_after=`, as an HTML form
    sends a field left blank), as every filter of the API does."""
    schema = {"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]}
    return OpenApiParameter(name, schema, description=f"{description} Empty: not given.")


class RapidsExportView(APIView):
    """The RAPIDS apprentice bulk-upload file of the sponsor, streamed (RAPS admins)."""

    def perform_content_negotiation(self, request, force=False):
        # The body is not JSON: a client asking for this type gets it; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            _date_or_empty("registered_after", "Registered in the portal on or after (YYYY-MM-DD)."),
            _date_or_empty("registered_before", "Registered in the portal on or before (YYYY-MM-DD)."),
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        filters = RapidsExportFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        apprenticeships = selectors.rapids_export_apprenticeships(
            scope=resolve_scope(request), **filters.validated_data
        )
        response = StreamingHttpResponse(lines(rapids_rows(apprenticeships)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="rapids-apprentices-{timezone.localdate():%Y-%m-%d}.csv"'
        )
        return response
