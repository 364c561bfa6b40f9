from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import DateField, DecimalField
from portal.api.serializers import WrittenOut, person, person_of_row, uid

from ..models import CompetencySignOff, HourKind, HourLog

_HOURS = serializers.DecimalField(max_digits=4, decimal_places=2)


class HourLogSerializer(WrittenOut, serializers.ModelSerializer):
    logged_by = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()

    class Meta:
        model = HourLog
        fields = [
            "id",
            "apprenticeship",
            "date",
            "hours",
            "kind",
            "work_process",
            "course",
            "instruction_provider",
            "description",
            "status",
            "logged_by",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_logged_by(self, log) -> dict | None:
        return person(log.logged_by)

    def get_reviewed_by(self, log) -> dict | None:
        return person(log.reviewed_by)

    # A page of logs is read as these columns, not as models (HourLogViewSet.list): building
    # 50 logs and their people as models cost as much as the page's query.
    ROW_COLUMNS = [
        *("id", "apprenticeship_id", "date", "hours", "kind", "work_process_id", "course"),
        *("instruction_provider", "description", "status", "reviewed_at", "review_note", "created_at", "updated_at"),
        *(f"{who}{column}" for who in ("logged_by", "reviewed_by") for column in ("_id", "__full_name", "__email")),
    ]

    @staticmethod
    def row_of(log: HourLog) -> dict:
        """A log read as a model, as the row its list page reads."""
        row = {column: getattr(log, column) for column in HourLogSerializer.ROW_COLUMNS if "__" not in column}
        for who in ("logged_by", "reviewed_by"):
            user = getattr(log, who)
            row[f"{who}__full_name"], row[f"{who}__email"] = (user.full_name, user.email) if user else (None, None)
        return row

    def to_representation(self, log):
        """Written out: a page of logs is the portal's busiest read, and DRF's per-field
        machinery cost more than its query. The fields above stay the schema; tests hold the two
        equal, and a listed log equal to the same log read alone
        (tests/api/test_written_out_serializers.py)."""
        row = log if isinstance(log, dict) else self.row_of(log)
        return {
            "id": str(row["id"]),
            "apprenticeship": str(row["apprenticeship_id"]),
            "date": row["date"].isoformat(),
            "hours": _HOURS.to_representation(row["hours"]),
            "kind": row["kind"],
            "work_process": uid(row["work_process_id"]),
            "course": row["course"],
            "instruction_provider": row["instruction_provider"],
            "description": row["description"],
            "status": row["status"],
            "logged_by": person_of_row(row["logged_by_id"], row["logged_by__full_name"], row["logged_by__email"]),
            "reviewed_by": person_of_row(
                row["reviewed_by_id"], row["reviewed_by__full_name"], row["reviewed_by__email"]
            ),
            "reviewed_at": self.instant(row["reviewed_at"]),
            "review_note": row["review_note"],
            "created_at": self.instant(row["created_at"]),
            "updated_at": self.instant(row["updated_at"]),
        }


class HourLogInputSerializer(serializers.Serializer):
    apprenticeship = serializers.UUIDField()
    date = DateField()
    hours = DecimalField(max_digits=4, decimal_places=2)
    kind = serializers.ChoiceField(choices=HourKind.choices)
    work_process = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=200, help_text="Its id, or its title."
    )
    course = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    instruction_provider = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class HourLogUpdateSerializer(serializers.Serializer):
    date = DateField(required=False)
    hours = DecimalField(max_digits=4, decimal_places=2, required=False)
    work_process = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=200)
    course = serializers.CharField(required=False, allow_blank=True, max_length=200)
    instruction_provider = serializers.CharField(required=False, allow_blank=True, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=False)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV with the header: apprenticeship,date,hours,kind,work_process,description"
    )


class ItemErrorsSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.DictField(), help_text="One entry per item sent: its errors, or {}."
    )


class LineErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The line's number in the file (the header is line 1).")
    errors = serializers.DictField(help_text="The line's errors, by column (or non_field_errors).")


class LineErrorsSerializer(serializers.Serializer):
    lines = LineErrorSerializer(many=True, help_text="Each bad line, in the order of the file.")


class FileErrorsSerializer(serializers.Serializer):
    file = serializers.ListField(
        child=serializers.CharField(), help_text="The file is missing, not UTF-8, has no rows or the wrong header."
    )


class CompetencySignOffSerializer(serializers.ModelSerializer):
    signed_off_by = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = CompetencySignOff
        fields = [
            "id",
            "apprenticeship",
            "competency",
            "signed_off_by",
            "signed_off_at",
            "rating",
            "evidence",
            "evidence_url",
            "updated_at",
        ]
        read_only_fields = fields

    def get_signed_off_by(self, signoff) -> dict | None:
        return person(signoff.signed_off_by)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_evidence_url(self, signoff) -> str | None:
        """null when there is none: the schema's `format: uri` holds for every string written."""
        return signoff.evidence_url or None


class CompetencySignOffInputSerializer(serializers.Serializer):
    apprenticeship = serializers.UUIDField()
    competency = serializers.UUIDField()
    rating = serializers.ChoiceField(choices=CompetencySignOff.Rating.choices)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    evidence_url = serializers.URLField(
        required=False, allow_blank=True, allow_null=True, default="", help_text="null (or empty) for none."
    )

    def validate_evidence_url(self, value):
        return value or ""


def _hours_field():
    return DecimalField(max_digits=9, decimal_places=2)


_HOURS_TOTAL = _hours_field()
HOURS_BLOCK = ["required", "approved", "pending", "credited", "remaining"]


class HoursProgressSerializer(serializers.Serializer):
    required = _hours_field()
    approved = _hours_field()
    pending = _hours_field()
    credited = _hours_field()
    remaining = _hours_field()
    percent = serializers.FloatField()


class WorkProcessProgressSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    target_hours = _hours_field()
    approved_hours = _hours_field()
    percent = serializers.FloatField()


class ProgressSerializer(serializers.Serializer):
    apprenticeship = serializers.UUIDField()
    status = serializers.CharField()
    ojt = HoursProgressSerializer()
    rti = HoursProgressSerializer()
    work_processes = WorkProcessProgressSerializer(many=True)
    competencies = serializers.DictField(child=serializers.IntegerField())
    milestones = serializers.ListField(child=serializers.DictField())
    current_wage_step = serializers.DictField(allow_null=True)
    pace = serializers.DictField()

    def to_representation(self, progress):
        """Written out: progress is what apprentices open most, and DRF's nested fields cost
        more than its queries. The fields above stay the schema; a test holds the two equal
        (tests/api/test_written_out_serializers.py)."""
        step, pace = progress["current_wage_step"], progress["pace"]
        projected = pace["projected_completion_date"]
        return {
            "apprenticeship": str(progress["apprenticeship"]),
            "status": progress["status"],
            "ojt": _hours_block(progress["ojt"]),
            "rti": _hours_block(progress["rti"]),
            "work_processes": [
                {
                    "id": str(process["id"]),
                    "title": process["title"],
                    "target_hours": _HOURS_TOTAL.to_representation(process["target_hours"]),
                    "approved_hours": _HOURS_TOTAL.to_representation(process["approved_hours"]),
                    "percent": float(process["percent"]),
                }
                for process in progress["work_processes"]
            ],
            "competencies": {key: int(value) for key, value in progress["competencies"].items()},
            "milestones": [{**milestone, "id": str(milestone["id"])} for milestone in progress["milestones"]],
            "current_wage_step": {"name": step["name"], "wage": f"{step['wage']:.2f}"} if step else None,
            "pace": {
                "hours_per_week": f"{pace['hours_per_week']:.2f}",
                "projected_completion_date": projected.isoformat() if projected else None,
                "expected_end_date": pace["expected_end_date"].isoformat(),
                "on_track": pace["on_track"],
            },
        }


def _hours_block(block: dict) -> dict:
    return {
        **{key: _HOURS_TOTAL.to_representation(block[key]) for key in HOURS_BLOCK},
        "percent": float(block["percent"]),
    }


class SummaryFilterSerializer(serializers.Serializer):
    sponsor = serializers.UUIDField(required=False)
    employer = serializers.UUIDField(required=False)


class _Numbers(serializers.Serializer):
    apprenticeships_by_status = serializers.DictField(child=serializers.IntegerField())
    enrolled = serializers.IntegerField()
    completed = serializers.IntegerField()
    placements = serializers.IntegerField(
        help_text="Apprenticeships that started work with their employer (past registered)."
    )
    ojt_hours_approved = DecimalField(max_digits=12, decimal_places=2)
    rti_hours_approved = DecimalField(max_digits=12, decimal_places=2)
    pending_hour_logs = serializers.IntegerField()
    pending_milestones = serializers.IntegerField()


class _ProgramNumbers(_Numbers):
    id = serializers.UUIDField()
    title = serializers.CharField()


class _EmployerNumbers(_Numbers):
    id = serializers.UUIDField()
    name = serializers.CharField()


class SummarySerializer(_Numbers):
    partners = serializers.IntegerField(help_text="Employers taking part in the sponsor's programs.")
    by_program = _ProgramNumbers(many=True)
    by_employer = _EmployerNumbers(many=True)

    def to_representation(self, summary):
        """Written out: a sponsor's summary holds a set of numbers per program and per employer
        (61 sets at 50 employers), and DRF's per-field machinery cost more than its queries. The
        fields above stay the schema; a test holds the two equal
        (tests/api/test_written_out_serializers.py)."""
        return {
            **_numbers(summary),
            "partners": summary["partners"],
            "by_program": [
                {**_numbers(group), "id": str(group["id"]), "title": group["title"]} for group in summary["by_program"]
            ],
            "by_employer": [
                {**_numbers(group), "id": str(group["id"]), "name": group["name"]} for group in summary["by_employer"]
            ],
        }


_SUMMARY_HOURS = serializers.DecimalField(max_digits=12, decimal_places=2)


def _numbers(numbers: dict) -> dict:
    return {
        "apprenticeships_by_status": {key: int(value) for key, value in numbers["apprenticeships_by_status"].items()},
        "enrolled": numbers["enrolled"],
        "completed": numbers["completed"],
        "placements": numbers["placements"],
        "ojt_hours_approved": _SUMMARY_HOURS.to_representation(numbers["ojt_hours_approved"]),
        "rti_hours_approved": _SUMMARY_HOURS.to_representation(numbers["rti_hours_approved"]),
        "pending_hour_logs": numbers["pending_hour_logs"],
        "pending_milestones": numbers["pending_milestones"],
    }
