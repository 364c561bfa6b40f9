"""Hour logs as the API reads and writes them (bulk and import included)."""

from rest_framework import serializers

from portal.api.fields import DateField, DecimalField
from portal.api.serializers import WrittenOut, person, person_of_row, uid

from ...models import HourKind, HourLog

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
    # A declared field, which DRF takes out of the class body: it hides no Serializer.errors.
    errors = serializers.DictField(  # type: ignore[assignment]
        help_text="The line's errors, by column (or non_field_errors)."
    )


class LineErrorsSerializer(serializers.Serializer):
    lines = LineErrorSerializer(many=True, help_text="Each bad line, in the order of the file.")


class FileErrorsSerializer(serializers.Serializer):
    file = serializers.ListField(
        child=serializers.CharField(), help_text="The file is missing, not UTF-8, has no rows or the wrong header."
    )
