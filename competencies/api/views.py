from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from portal.api.errors import PayloadTooLarge
from portal.api.history import HistoryMixin
from portal.api.pagination import asks_only_paging, values_of
from portal.api.serializers import NonFieldErrorsSerializer
from portal.tenancy import Scope, TenantViewSet

from .. import selectors, services
from ..services import HourEntry, ItemErrors, RefusedItems
from .filters import HourLogFilter
from .serializers import (
    BulkDecisionSerializer,
    BulkMilestoneApproveSerializer,
    BulkRejectSerializer,
    FileErrorsSerializer,
    HourImportResultSerializer,
    HourImportSerializer,
    HourLogInputSerializer,
    HourLogSerializer,
    HourLogUpdateSerializer,
    ImportOptionsErrorsSerializer,
    ImportOptionsSerializer,
    ImportRequestSerializer,
    ItemErrorsSerializer,
    LineErrorsSerializer,
    MilestoneDecisionSerializer,
    MilestoneRejectSerializer,
    MilestoneSerializer,
    ReasonSerializer,
)

# The 400s of bulk and import: the errors of each item or line, or of the request as a whole
# (a body that is not JSON or not a list, a file that cannot be read).
BULK_ERRORS = PolymorphicProxySerializer(
    component_name="HourLogBulkErrors",
    serializers=[ItemErrorsSerializer, NonFieldErrorsSerializer],
    resource_type_field_name=None,
)
IMPORT_ERRORS = PolymorphicProxySerializer(
    component_name="HourLogImportErrors",
    serializers=[LineErrorsSerializer, FileErrorsSerializer, ImportOptionsErrorsSerializer, NonFieldErrorsSerializer],
    resource_type_field_name=None,
)


# The answer of a refused bulk decision: each refused id's errors ({"<id>": {"field": [...]}}),
# 400, 403 or 409 (services.milestones_bulk.RefusedItems); or the body's own errors ({"ids": [...]}).
class RefusedItemsSerializer(serializers.Serializer):
    """A refused bulk decision: beside `detail` (403 and 409), one key per refused id, each the
    errors of that id by field (`{"<id>": {"status": ["…"]}}`); nothing was decided. A 400 may
    instead name the body's own fields (`ids`, `reason`)."""

    detail = serializers.CharField(required=False, help_text="Why nothing was decided (403, 409).")


REFUSED_ITEMS = RefusedItemsSerializer
BULK_DECISION_RESPONSES = {400: REFUSED_ITEMS, 403: REFUSED_ITEMS, 409: REFUSED_ITEMS}


def bulk_decision(request, input_serializer, decide):
    """Validate a bulk decision's body (413 past BULK_DECISION_MAX_ITEMS ids), call
    `decide(**validated)`, and answer the refused items by id (RefusedItems) or the records
    decided."""
    ids = request.data.get("ids") if isinstance(request.data, dict) else None
    if isinstance(ids, list) and len(ids) > settings.BULK_DECISION_MAX_ITEMS:
        raise PayloadTooLarge(
            _("At most %(max)s ids per request; this one has %(count)s.")
            % {"max": settings.BULK_DECISION_MAX_ITEMS, "count": len(ids)}
        )
    data = input_serializer(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        return decide(**data.validated_data)
    except RefusedItems as refused:
        if refused.status == 400:  # a 400 is by field: here, by id
            return Response(refused.errors, status=400)
        detail = _("Nothing was decided: %(count)s of the ids were refused, each named by its id.") % {
            "count": len(refused.errors)
        }
        return Response({"detail": detail, **refused.errors}, status=refused.status)


def _written(logs):
    """Logs just written, as the answer names them: the services load what it names inside
    their transaction (services/hours.py `ANSWER_RELATIONS`), so writing it reads nothing."""
    return HourLogSerializer(logs, many=True).data


def _milestones_written(milestones):
    """Milestones just decided, as the answer names them: what the lock did not load, one query
    per relation for all of them."""
    prefetch_related_objects(milestones, "definition", "program", "employer", "apprenticeship__apprentice")
    return MilestoneSerializer(milestones, many=True).data


class HourLogViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Hours of the apprenticeships the caller reads. Employer staff log OJT and RAPS admins RTI,
    approved on entry; apprentices submit theirs for approval."""

    serializer_class = HourLogSerializer
    filterset_class = HourLogFilter
    search_fields = ["apprenticeship__apprentice__full_name", "apprenticeship__apprentice__email"]
    ordering_fields = ["date", "hours", "created_at", "status"]
    ordering = ["-date", "-created_at"]

    def scoped_queryset(self, scope: Scope):
        return selectors.hour_log_list(scope=scope)

    def paginate_queryset(self, queryset):
        if self.action == "list":
            # A page of the list reads the columns it shows, and of the people only their names.
            queryset = values_of(queryset, HourLogSerializer.row_columns())
            if asks_only_paging(self.request):
                queryset.known_count = selectors.hour_log_count(scope=self.scope)
        return super().paginate_queryset(queryset)

    @extend_schema(request=HourLogInputSerializer, responses={201: HourLogSerializer})
    def create(self, request):
        """Log hours on an apprenticeship: the apprentice's own are submitted for review; OJT logged by employer staff and RTI by the sponsor's RAPS administrators are approved on entry."""
        data = HourLogInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        entry = HourEntry(apprenticeship_id=fields.pop("apprenticeship"), **fields)
        log = services.hour_log_create(scope=self.scope, logged_by=request.user, entry=entry)
        return Response(HourLogSerializer(log).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HourLogUpdateSerializer, responses=HourLogSerializer)
    def partial_update(self, request, pk=None):
        """Change a submitted log (its author only, while it is submitted); a reviewed log is a 409."""
        log = self.get_object()
        data = HourLogUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        log = services.hour_log_update(
            scope=self.scope, log=log, changed_by=request.user, changes=dict(data.validated_data)
        )
        return Response(HourLogSerializer(log).data)

    @extend_schema(
        request=HourLogInputSerializer(many=True),
        responses={201: HourLogSerializer(many=True), 400: BULK_ERRORS},
    )
    # Not a page of the list: the logs written, as a plain list, with no filter or paging.
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def bulk(self, request):
        """A list of logs: all are written, or none, with the errors of each item."""
        items = request.data
        if not isinstance(items, list) or not items:
            return Response({"non_field_errors": [_("Send a non-empty JSON list of hour logs.")]}, status=400)
        if len(items) > settings.HOUR_LOG_BULK_MAX_ITEMS:
            raise PayloadTooLarge(
                _("At most %(max)s logs per request; this one has %(count)s.")
                % {"max": settings.HOUR_LOG_BULK_MAX_ITEMS, "count": len(items)}
            )
        try:
            logs = services.hour_logs_create_from_items(scope=self.scope, logged_by=request.user, items=items)
        except ItemErrors as failed:
            return Response({"items": [failed.errors.get(position, {}) for position in range(len(items))]}, status=400)
        return Response(_written(logs), status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={201: HourImportResultSerializer, 400: IMPORT_ERRORS},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser],
        pagination_class=None,
        filter_backends=[],
    )
    def import_csv(self, request):
        """A CSV file of logs (columns `apprenticeship,date,hours,kind` and any of `work_process,
        course,instruction_provider,description`): all rows or none, with the errors of each bad
        line, and the import's record. 409 for a file the sponsor already imported."""
        options = ImportOptionsSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"file": [_("Attach the CSV file as `file`.")]}, status=400)
        if upload.size > settings.HOUR_LOG_IMPORT_MAX_BYTES:
            raise PayloadTooLarge(
                _("The file is larger than %(max)s bytes.") % {"max": settings.HOUR_LOG_IMPORT_MAX_BYTES}
            )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            return Response({"file": [_("The file is not UTF-8 text.")]}, status=400)
        result = services.hour_logs_import(
            scope=self.scope,
            imported_by=request.user,
            text=text,
            file_name=upload.name or "",
            skip_duplicates=options.validated_data["skip_duplicates"],
        )
        answer = {
            **HourImportSerializer(result.record).data,
            "skipped": result.skipped,
            "logs": _written(result.logs),
        }
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=HourLogSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted log (OJT: the employer's staff; RTI: the sponsor's RAPS administrators; never its author). A log that is not submitted is a 409."""
        log = services.hour_log_approve(scope=self.scope, log=self.get_object(), reviewer=request.user)
        return Response(HourLogSerializer(log).data)

    @extend_schema(request=ReasonSerializer, responses=HourLogSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a submitted log with a reason (the reviewers who may approve it); a rejected log counts for nothing."""
        log = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        log = services.hour_log_reject(
            scope=self.scope, log=log, reviewer=request.user, reason=data.validated_data["reason"]
        )
        return Response(HourLogSerializer(log).data)

    @extend_schema(
        operation_id="v1_hour_logs_approve_all_create",
        request=BulkDecisionSerializer,
        responses={200: HourLogSerializer(many=True), **BULK_DECISION_RESPONSES},
    )
    @action(detail=False, methods=["post"], url_path="approve", pagination_class=None, filter_backends=[])
    def approve_all(self, request):
        """Approve every log of `ids`, or none: each refused id's errors by id."""

        def decide(ids):
            logs = services.hour_logs_approve_all(scope=self.scope, ids=ids, reviewer=self.acting_user)
            return Response(_written(logs))

        return bulk_decision(request, BulkDecisionSerializer, decide)

    @extend_schema(
        operation_id="v1_hour_logs_reject_all_create",
        request=BulkRejectSerializer,
        responses={200: HourLogSerializer(many=True), **BULK_DECISION_RESPONSES},
    )
    @action(detail=False, methods=["post"], url_path="reject", pagination_class=None, filter_backends=[])
    def reject_all(self, request):
        """Reject every log of `ids` with the one `reason`, or none."""

        def decide(ids, reason):
            logs = services.hour_logs_reject_all(scope=self.scope, ids=ids, reviewer=self.acting_user, reason=reason)
            return Response(_written(logs))

        return bulk_decision(request, BulkRejectSerializer, decide)

    @extend_schema(request=ReasonSerializer, responses=HourLogSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void a log with a reason (OJT: the employer's staff; any log: the sponsor's RAPS administrators): it stays on record but counts for nothing."""
        log = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        log = services.hour_log_void(
            scope=self.scope, log=log, voided_by=request.user, reason=data.validated_data["reason"]
        )
        return Response(HourLogSerializer(log).data)

    @extend_schema(request=None, responses=HourLogSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw a submitted log (its author only): it becomes `withdrawn` and counts for nothing."""
        log = services.hour_log_withdraw(scope=self.scope, log=self.get_object(), withdrawn_by=request.user)
        return Response(HourLogSerializer(log).data)


class HourImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Imports of hours (hour-logs/import/): the caller's own, and those of the sponsors they are a
    RAPS administrator of. The logs of one: hour-logs/?hour_import=."""

    serializer_class = HourImportSerializer
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def scoped_queryset(self, scope: Scope):
        return selectors.hour_import_list(scope=scope)


class MilestoneViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Milestones of the apprenticeships the caller reads (`?status=pending`)."""

    serializer_class = MilestoneSerializer
    filterset_fields = ["status", "apprenticeship", "definition__kind"]
    search_fields = ["apprenticeship__apprentice__full_name", "apprenticeship__apprentice__email"]
    ordering_fields = ["reached_at", "decided_at"]
    ordering = ["-reached_at"]

    def scoped_queryset(self, scope: Scope):
        return selectors.milestone_list(scope=scope)

    def paginate_queryset(self, queryset):
        if self.action == "list":  # a page of the list reads the columns it shows
            queryset = values_of(queryset, MilestoneSerializer.row_columns())
        return super().paginate_queryset(queryset)

    @extend_schema(request=MilestoneDecisionSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """RAPS admins of the sponsor only; 409 once decided."""
        milestone = self.get_object()
        data = MilestoneDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = services.milestone_approve(
            scope=self.scope, milestone=milestone, decided_by=request.user, note=data.validated_data.get("note", "")
        )
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(request=MilestoneRejectSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a pending milestone with a reason (the sponsor's RAPS administrators); one already decided is a 409."""
        milestone = self.get_object()
        data = MilestoneRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = services.milestone_reject(
            scope=self.scope, milestone=milestone, decided_by=request.user, reason=data.validated_data["reason"]
        )
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(
        operation_id="v1_milestones_approve_all_create",
        request=BulkMilestoneApproveSerializer,
        responses={200: MilestoneSerializer(many=True), **BULK_DECISION_RESPONSES},
    )
    @action(detail=False, methods=["post"], url_path="approve", pagination_class=None, filter_backends=[])
    def approve_all(self, request):
        """Approve every milestone of `ids` (RAPS admins of the sponsor), or none."""

        def decide(ids, note=""):
            milestones = services.milestones_approve_all(
                scope=self.scope, ids=ids, decided_by=self.acting_user, note=note
            )
            return Response(_milestones_written(milestones))

        return bulk_decision(request, BulkMilestoneApproveSerializer, decide)

    @extend_schema(
        operation_id="v1_milestones_reject_all_create",
        request=BulkRejectSerializer,
        responses={200: MilestoneSerializer(many=True), **BULK_DECISION_RESPONSES},
    )
    @action(detail=False, methods=["post"], url_path="reject", pagination_class=None, filter_backends=[])
    def reject_all(self, request):
        """Reject every milestone of `ids` with the one `reason`, or none."""

        def decide(ids, reason):
            milestones = services.milestones_reject_all(
                scope=self.scope, ids=ids, decided_by=self.acting_user, reason=reason
            )
            return Response(_milestones_written(milestones))

        return bulk_decision(request, BulkRejectSerializer, decide)
