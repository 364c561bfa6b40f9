"""`reports/equity/`: the equity report (competencies/equity.py), as JSON or `?format=csv`."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apprenticeships.models import Program
from portal.api.fields import DateField
from portal.csv import lines
from portal.tenancy import resolve_scope

from .. import equity, reports


class EquityFilterSerializer(serializers.Serializer):
    sponsor = serializers.UUIDField(required=False)
    employer = serializers.UUIDField(required=False)
    program = serializers.UUIDField(
        required=False, help_text="A program of the sponsor: its figures beside the sponsor's."
    )
    after = DateField(required=False, help_text="Apprenticeships that started on or after this date.")
    before = DateField(required=False, help_text="Apprenticeships that started on or before this date.")
    format = serializers.ChoiceField(
        choices=["json", "csv"], required=False, help_text="csv: the same table, as a file."
    )

    def validate(self, attrs):
        if "after" in attrs and "before" in attrs and attrs["after"] > attrs["before"]:
            raise serializers.ValidationError({"before": [_("The period ends before it starts.")]})
        return attrs


class _Cell(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True, help_text="null when suppressed.")
    suppressed = serializers.BooleanField()


class _Rate(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True, help_text="completed / (completed + cancelled); null when suppressed or nobody ended."
    )
    suppressed = serializers.BooleanField()


class _Cells(serializers.Serializer):
    registered = _Cell()
    active = _Cell()
    completed = _Cell()
    cancelled_in_probation = _Cell()
    cancelled_after_probation = _Cell()
    completion_rate = _Rate()


class _Pair(serializers.Serializer):
    filtered = _Cells(help_text="The program and employer asked for (the whole sponsor without them).")
    sponsor = _Cells(help_text="All of the sponsor's apprenticeships of the period.")


class _Group(_Pair):
    value = serializers.CharField(help_text="The RAPIDS code, the age band, or `not_recorded`.")
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label


class _Breakdown(serializers.Serializer):
    dimension = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    groups = _Group(many=True)


class EquityReportSerializer(serializers.Serializer):
    sponsor = serializers.UUIDField()
    employer = serializers.UUIDField(allow_null=True)
    program = serializers.UUIDField(allow_null=True)
    after = DateField(allow_null=True)
    before = DateField(allow_null=True)
    threshold = serializers.IntegerField(help_text="Counts of 1 to threshold - 1 people are suppressed.")
    total = _Pair()
    breakdowns = _Breakdown(many=True)


class EquityReportView(APIView):
    """Who the sponsor's apprenticeships reach and how they end, by demographic, with small cells
    suppressed: RAPS admins (their sponsor, or one employer or program of it), employer admins
    (their employer)."""

    def perform_content_negotiation(self, request, force=False):
        # ?format=csv is this view's own (a file); errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[EquityFilterSerializer],
        responses={(200, "application/json"): EquityReportSerializer, (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        """Apprentices registered, active, completed and cancelled (in and after probation) and the completion rate, by ethnicity, race, sex, veteran status, disability, age at start and education level, beside the sponsor's; counts under the threshold suppressed."""
        given = {name: value for name, value in request.query_params.items() if value != ""}
        filters = EquityFilterSerializer(data=given)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        sponsor_id, employer_id = reports.report_scope(
            scope=resolve_scope(request), sponsor=data.get("sponsor"), employer=data.get("employer")
        )
        program_id = data.get("program")
        if program_id is not None and not Program.objects.filter(pk=program_id, sponsor_id=sponsor_id).exists():
            raise ValidationError({"program": [_("Not a program of this sponsor.")]})
        report = equity.equity_report(
            sponsor_id=sponsor_id,
            employer_id=employer_id,
            program_id=program_id,
            after=data.get("after"),
            before=data.get("before"),
        )
        if data.get("format") == "csv":
            response = HttpResponse(lines(equity.equity_csv_rows(report)), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="equity-{timezone.localdate():%Y-%m-%d}.csv"'
            return response
        return Response(EquityReportSerializer(report).data)
