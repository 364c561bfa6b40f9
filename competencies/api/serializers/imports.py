"""Imports of hours as the API shows them: the record of each import, and the answer of one."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import PersonSerializer, person

from ...models import HourImport
from .hours import HourLogSerializer, ImportSerializer


class ImportOptionsSerializer(serializers.Serializer):
    skip_duplicates = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Skip (and count) rows that repeat a log already recorded or an earlier row, "
        "instead of refusing the file.",
    )


class ImportRequestSerializer(ImportSerializer, ImportOptionsSerializer):
    """The form of an import: the file, and what to do with its duplicate rows."""


class ImportOptionsErrorsSerializer(serializers.Serializer):
    skip_duplicates = serializers.ListField(child=serializers.CharField(), help_text="Not a boolean.")


class HourImportSerializer(serializers.ModelSerializer):
    imported_by = serializers.SerializerMethodField()
    imported_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = HourImport
        fields = ["id", "file_name", "checksum", "imported_by", "imported_at", "rows_written", "rows_skipped"]
        read_only_fields = fields

    @extend_schema_field(PersonSerializer)
    def get_imported_by(self, record) -> dict:
        return person(record.imported_by)


class SkippedRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The row's line in the file (the header is line 1).")
    reason = serializers.CharField(help_text="The log or the earlier line it repeats.")


class HourImportResultSerializer(HourImportSerializer):
    """The answer of an import: its record, the rows skipped as duplicates, the logs written."""

    skipped = SkippedRowSerializer(many=True, read_only=True)
    logs = HourLogSerializer(many=True, read_only=True)

    class Meta(HourImportSerializer.Meta):
        fields = [*HourImportSerializer.Meta.fields, "skipped", "logs"]
        read_only_fields = fields
