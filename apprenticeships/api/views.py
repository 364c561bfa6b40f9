from django.db import transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.history import HistoryMixin
from portal.csv import lines
from portal.tenancy import Scope, TenantViewSet, resolve_scope

from .. import record, selectors, services
from ..rapids.export import exit_rows, rapids_rows
from ..selectors import list_rows
from .agreement import AgreementActions
from .serializers import (
    ApprenticeshipRegisterSerializer,
    ApprenticeshipSerializer,
    ApprenticeshipUpdateSerializer,
    OccupationSerializer,
    ProgramCreateSerializer,
    ProgramSerializer,
    RapidsExitsFilterSerializer,
    RapidsExportFilterSerializer,
    TransitionSerializer,
)


class OccupationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The national occupation catalog: everyone signed in reads it; platform staff keep it."""

    serializer_class = OccupationSerializer
    filterset_fields = ["training_approach", "onet_soc_code", "rapids_code"]
    search_fields = ["title", "onet_soc_code", "rapids_code"]
    ordering_fields = ["title", "onet_soc_code"]
    ordering = ["title"]

    def scoped_queryset(self, scope: Scope):
        return selectors.occupation_list()

    @extend_schema(request=OccupationSerializer, responses={201: OccupationSerializer})
    def create(self, request):
        """Add an occupation to the national catalog (platform staff only)."""
        services.check_may_change_catalog(scope=self.scope)  # before the body is read
        data = OccupationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        occupation = services.occupation_create(scope=self.scope, created_by=request.user, **data.validated_data)
        return Response(OccupationSerializer(occupation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OccupationSerializer, responses=OccupationSerializer)
    def partial_update(self, request, pk=None):
        """Change an occupation of the catalog (platform staff only); the fields sent are changed, the others kept."""
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
        """Register a program's standards (RAPS administrators; `sponsor` names the sponsor when they administer several), with its work processes, wage steps and milestones."""
        services.check_may_register_program(scope=self.scope)  # before the body is read
        data = ProgramCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        with transaction.atomic():  # the answer read in the write's transaction (docs/api.md, "Errors", 503)
            program = services.program_create(
                scope=self.scope, created_by=request.user, sponsor_id=fields.pop("sponsor", None), **fields
            )
            answer = ProgramSerializer(self.get_queryset().get(pk=program.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProgramSerializer, responses=ProgramSerializer)
    def partial_update(self, request, pk=None):
        """Change a program's standards (the sponsor's RAPS administrators): nested lines with an `id` are changed, lines without one added."""
        program = self.get_object()
        data = ProgramSerializer(program, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        with transaction.atomic():  # the answer read in the write's transaction
            services.program_update(scope=self.scope, program=program, changed_by=request.user, **data.validated_data)
            answer = ProgramSerializer(self.get_queryset().get(pk=program.pk)).data
        return Response(answer)


# The roster's orderings (`?include=progress&ordering=-percent`): by each row's progress, as
# `record.roster_progress` computes it (no second formula in SQL); rows without one go last.
ROSTER_ORDERINGS = {
    "percent": lambda progress: progress["percent"],
    "projected_end": lambda progress: progress["pace"]["projected_completion_date"],
    "last_logged_on": lambda progress: progress["last_logged_on"],
}


def _roster_sorted(rows: list, name: str, descending: bool) -> list:
    key = ROSTER_ORDERINGS[name]
    known = [row for row in rows if key(row.roster_progress) is not None]
    unknown = [row for row in rows if key(row.roster_progress) is None]
    return sorted(known, key=lambda row: key(row.roster_progress), reverse=descending) + unknown


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "include",
                str,
                enum=["progress"],
                description="`progress`: each row's hours, pace, pending counts and last day logged (the roster).",
            ),
            OpenApiParameter(
                "ordering",
                str,
                description="A field, `-` first for descending: start_date, expected_end_date, created_at; with "
                "include=progress also percent, projected_end, last_logged_on.",
            ),
        ]
    )
)
class ApprenticeshipViewSet(
    AgreementActions, HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Apprentice agreements: RAPS admins register and change them; employer staff and the
    apprentice read their own. `?include=progress` adds each row's progress (the roster)."""

    serializer_class = ApprenticeshipSerializer
    # Its history shows its registration data's: personal values to their readers only.
    history_record_type = "apprenticeship"
    filterset_fields = ["status", "program", "employer", "apprentice"]
    search_fields = ["apprentice__full_name", "apprentice__email", "rapids_apprentice_id"]
    include_values = ["progress"]
    ordering_fields = ["start_date", "expected_end_date", "created_at"]
    ordering = ["-start_date", "-id"]  # newest first, from the index apprenticeship_start_date

    def scoped_queryset(self, scope: Scope):
        queryset = selectors.apprenticeship_list(scope=scope)
        if self._roster():
            self.today = timezone.localdate()
            queryset = record.roster_apprenticeships(queryset, today=self.today)
        return queryset

    def _roster(self) -> bool:
        """The list asked with `?include=progress`; a 400 for anything else to include, or for a
        roster ordering without it."""
        if self.action != "list":
            return False
        include = self.request.query_params.get("include")
        if include not in (None, "progress"):
            raise ValidationError({"include": [_("Only `progress` can be included.")]})
        if include is None and self._roster_ordering():
            raise ValidationError({"ordering": [_("percent, projected_end and last_logged_on need include=progress.")]})
        return include == "progress"

    def _roster_ordering(self) -> tuple[str, bool] | None:
        """(name, descending) of a roster ordering asked, or None."""
        terms = [term.strip() for term in self.request.query_params.get("ordering", "").split(",") if term.strip()]
        if not any(term.lstrip("-") in ROSTER_ORDERINGS for term in terms):
            return None
        if len(terms) > 1:
            raise ValidationError(
                {"ordering": [_("A roster ordering (percent, projected_end, last_logged_on) is alone.")]}
            )
        return terms[0].lstrip("-"), terms[0].startswith("-")

    def _rows(self, values) -> list:
        """A page's (or the whole roster's) values as rows (apprenticeships/selectors/list_rows.py), each
        with its progress for the roster."""
        rows = list_rows.rows(values, roster=self._roster())
        if self._roster():
            for row in rows:
                row.roster_progress = record.roster_progress(row, today=self.today)
        return rows

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        values = list_rows.page_values(queryset, roster=self._roster())
        ordering = self._roster_ordering() if self._roster() else None
        if ordering is None:
            return values
        # Every row of the caller's roster in the one query, each row's progress computed once,
        # sorted by it, then paged: a sponsor's roster is hundreds of rows, not millions.
        return _roster_sorted(self._rows(values), *ordering)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list" and isinstance(queryset, QuerySet):  # values, not yet rows
            page = self._rows(page)
        return page

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
        """Register an apprentice in a program with an employer (RAPS administrators of the program's sponsor), with the RAPIDS registration data; the SSN is stored encrypted and read back masked."""
        services.check_may_register_apprentice(scope=self.scope)  # before the body is read
        data = ApprenticeshipRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        with transaction.atomic():  # the answer read in the write's transaction
            apprenticeship = services.apprenticeship_register(
                scope=self.scope,
                registered_by=request.user,
                program_id=fields.pop("program"),
                employer_id=fields.pop("employer"),
                mentor_id=fields.pop("mentor", None),
                **fields,
            )
            answer = self.get_serializer(self.get_queryset().get(pk=apprenticeship.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApprenticeshipUpdateSerializer, responses=ApprenticeshipSerializer)
    def partial_update(self, request, pk=None):
        """Change an apprenticeship's agreement (the sponsor's RAPS administrators): mentor, dates, registration data. Its status changes through `transition/`."""
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
        """Move the apprenticeship to `active`, `suspended` or `cancelled` (the sponsor's RAPS administrators), with a reason to suspend or cancel and an exit reason to cancel; a change the current status forbids is a 409."""
        apprenticeship = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():  # the answer read in the write's transaction
            services.apprenticeship_transition(
                scope=self.scope, apprenticeship=apprenticeship, changed_by=request.user, **data.validated_data
            )
            answer = self.get_serializer(self.get_queryset().get(pk=apprenticeship.pk)).data
        return Response(answer)


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
        """The RAPIDS apprentice file (CSV) of the caller's sponsors (RAPS administrators), optionally limited to apprentices registered in a date range."""
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


class RapidsExitsView(RapidsExportView):
    """The sponsor's exits for RAPIDS, streamed (RAPS admins): the registration file carries no
    exit, so the completions and cancellations, with their effective dates and exit reason
    codes, are a file of their own."""

    @extend_schema(
        parameters=[
            _date_or_empty("ended_after", "Exits that took effect on or after (YYYY-MM-DD)."),
            _date_or_empty("ended_before", "Exits that took effect on or before (YYYY-MM-DD)."),
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        """The completions and cancellations of the caller's sponsors (CSV, RAPS administrators): each with the date it took effect and, for a cancellation, its exit reason code and the free text."""
        filters = RapidsExitsFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        apprenticeships = selectors.rapids_exit_apprenticeships(scope=resolve_scope(request), **filters.validated_data)
        response = StreamingHttpResponse(lines(exit_rows(apprenticeships)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rapids-exits-{timezone.localdate():%Y-%m-%d}.csv"'
        return response
