"""Hour logs as the API reads and writes them (bulk and import included)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import DateField, DecimalField
from portal.api.serializers import (
    NamedRefSerializer,
    PersonSerializer,
    PersonWithEmailSerializer,
    TitledRefSerializer,
    Written,
    WrittenOut,
    apprentice_of,
    apprentice_ref,
    day_of,
    decimal_of,
    field_errors,
    id_of,
    instant_of,
    person,
    person_of,
    ref,
    ref_of,
    uid,
)

from ...models import HourKind, HourLog

# The fields of an hour log as the API writes it, in order: the one list (WrittenOut).
HOUR_LOG_FIELDS = {
    "id": id_of("id"),
    "apprenticeship": id_of("apprenticeship_id"),
    # Names beside the ids, read in the page's one query (docs/api.md, "Names beside ids").
    "apprentice_detail": apprentice_of("apprenticeship__apprentice"),
    "program_detail": ref_of("apprenticeship__program", "title"),
    "employer_detail": ref_of("employer", "name"),
    "date": day_of("date"),
    "hours": decimal_of("hours", max_digits=4, decimal_places=2),
    "kind": Written("kind"),
    "work_process": id_of("work_process_id"),
    "work_process_detail": ref_of("work_process", "title"),
    "course": Written("course"),
    "instruction_provider": Written("instruction_provider"),
    "description": Written("description"),
    "status": Written("status"),
    "logged_by": person_of("logged_by"),
    "reviewed_by": person_of("reviewed_by"),
    "reviewed_at": instant_of("reviewed_at"),
    "review_note": Written("review_note"),
    "created_at": instant_of("created_at"),
    "updated_at": instant_of("updated_at"),
}
_HOURS = HOUR_LOG_FIELDS["hours"]


class HourLogSerializer(WrittenOut, serializers.ModelSerializer):
    """Written out (WrittenOut): a page of logs is the portal's busiest read."""

    WRITTEN = HOUR_LOG_FIELDS
    logged_by = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()
    apprentice_detail = serializers.SerializerMethodField()
    program_detail = serializers.SerializerMethodField()
    employer_detail = serializers.SerializerMethodField()
    work_process_detail = serializers.SerializerMethodField()

    class Meta:
        model = HourLog
        fields = list(HOUR_LOG_FIELDS)
        read_only_fields = fields

    def to_representation(self, record):
        """A list page's row as WrittenOut writes it; a log read as a model (one read or written
        alone, and the 200 of a bulk decision's answer) straight from the model, without making
        it a row first, which cost the answer of 200 logs more than writing it. The same fields,
        in the same order (tests/api/test_written_out_serializers.py)."""
        if isinstance(record, dict):
            return super().to_representation(record)
        log, instant = record, self.instant
        apprenticeship = log.apprenticeship
        return {
            "id": str(log.id),
            "apprenticeship": str(log.apprenticeship_id),
            "apprentice_detail": apprentice_ref(apprenticeship.apprentice),
            "program_detail": ref(apprenticeship.program, "title"),
            "employer_detail": ref(log.employer, "name"),
            "date": log.date.isoformat(),
            "hours": _HOURS.write(self, log.hours),  # type: ignore[misc]
            "kind": log.kind,
            "work_process": uid(log.work_process_id),
            "work_process_detail": ref(log.work_process, "title"),
            "course": log.course,
            "instruction_provider": log.instruction_provider,
            "description": log.description,
            "status": log.status,
            "logged_by": person(log.logged_by),
            "reviewed_by": person(log.reviewed_by),
            "reviewed_at": instant(log.reviewed_at),
            "review_note": log.review_note,
            "created_at": instant(log.created_at),
            "updated_at": instant(log.updated_at),
        }

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_logged_by(self, log) -> dict | None:
        return person(log.logged_by)

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_reviewed_by(self, log) -> dict | None:
        return person(log.reviewed_by)

    @extend_schema_field(PersonWithEmailSerializer)
    def get_apprentice_detail(self, log) -> dict:
        return apprentice_ref(log.apprenticeship.apprentice)

    @extend_schema_field(TitledRefSerializer)
    def get_program_detail(self, log) -> dict | None:
        return ref(log.apprenticeship.program, "title")

    @extend_schema_field(NamedRefSerializer)
    def get_employer_detail(self, log) -> dict | None:
        return ref(log.employer, "name")

    @extend_schema_field(TitledRefSerializer(allow_null=True))
    def get_work_process_detail(self, log) -> dict | None:
        return ref(log.work_process, "title")


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
        help_text="CSV with a header naming the columns apprenticeship,date,hours,kind and any of "
        "work_process,course,instruction_provider,description, in any order."
    )


class ItemErrorsSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=field_errors("An item's errors, by field."), help_text="One entry per item sent: its errors, or {}."
    )


class LineErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The line's number in the file (the header is line 1).")
    # A declared field, which DRF takes out of the class body: it hides no Serializer.errors.
    errors = field_errors("The line's errors, by column (or non_field_errors).")  # type: ignore[assignment]


class LineErrorsSerializer(serializers.Serializer):
    lines = LineErrorSerializer(many=True, help_text="Each bad line, in the order of the file.")


class FileErrorsSerializer(serializers.Serializer):
    file = serializers.ListField(
        child=serializers.CharField(), help_text="The file is missing, not UTF-8, has no rows or the wrong header."
    )
