"""Progress and reports: an apprenticeship's progress and its chart, the sponsor's summary and the
work summary."""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.csv import lines
from portal.tenancy import Scope, TenantAPIView, resolve_scope

from .. import reports, selectors
from ..summary_csv import summary_csv_rows
from .serializers import (
    ProgressSerializer,
    SummaryFilterSerializer,
    SummarySerializer,
    WorkSummarySerializer,
)

# The 400s of bulk and import: the errors of each item or line, or of the request as a whole
# (a body that is not JSON or not a list, a file that cannot be read).


class ApprenticeshipProgressView(TenantAPIView):
    """Hours, work processes, competencies, milestones, wage step and pace of one apprenticeship."""

    serializer_class = ProgressSerializer

    def scoped_queryset(self, scope: Scope):
        self.today = timezone.localdate()
        return selectors.progress_apprenticeships(scope=scope, today=self.today)

    def get(self, request, pk=None):
        """An apprenticeship's progress: OJT and RTI hours against their targets, each work process, competencies signed off, milestones, the current wage step and the pace."""
        apprenticeship = self.get_object()
        progress = selectors.apprenticeship_progress(apprenticeship=apprenticeship, today=self.today)
        return Response(ProgressSerializer(progress).data)


class ApprenticeshipProgressChartView(TenantAPIView):
    """Cumulative approved OJT and RTI hours over time against the required hours, with the
    milestones marked, as SVG. Scoped like progress."""

    def scoped_queryset(self, scope: Scope):
        # The chart's title names the apprentice; progress itself does not.
        return selectors.progress_apprenticeships(scope=scope).select_related("apprentice")

    def perform_content_negotiation(self, request, force=False):
        # The body is not JSON: a client asking for this type gets it; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(responses={(200, "image/svg+xml"): OpenApiTypes.STR})
    def get(self, request, pk=None):
        """An apprenticeship's progress as an SVG chart, for a page or a report."""
        apprenticeship = self.get_object()
        return HttpResponse(selectors.progress_chart(apprenticeship=apprenticeship), content_type="image/svg+xml")


class SummaryReportView(APIView):
    """The sponsor's numbers by program and by employer: RAPS admins see the whole sponsor (or
    one of its employers with `?employer=`), employer admins their employer."""

    def perform_content_negotiation(self, request, force=False):
        # ?format=csv is this view's own (a file); errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[SummaryFilterSerializer],
        responses={(200, "application/json"): SummarySerializer, (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        """Numbers of a sponsor or an employer: apprenticeships by status, enrolled, completed, placements, approved OJT and RTI hours, logs and milestones awaiting a decision; per program and per employer too; the funders' outcomes (RAPS administrators and employer administrators)."""
        filters = SummaryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = dict(filters.validated_data)
        as_csv = wanted.pop("format", "json") == "csv"
        sponsor_id, employer_id = reports.report_scope(scope=resolve_scope(request), **wanted)
        data = SummarySerializer(reports.summary(sponsor_id=sponsor_id, employer_id=employer_id)).data
        if as_csv:
            response = HttpResponse(lines(summary_csv_rows(data)), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="summary-{timezone.localdate():%Y-%m-%d}.csv"'
            return response
        return Response(data)


class WorkSummaryView(APIView):
    """What is missing or due this week, with names: RAPS admins read their sponsor's
    apprenticeships, employer staff their employer's (docs/api.md)."""

    @extend_schema(responses=WorkSummarySerializer)
    def get(self, request):
        summary = reports.work_summary(scope=resolve_scope(request), today=timezone.localdate())
        return Response(WorkSummarySerializer(summary).data)
