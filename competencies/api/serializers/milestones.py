"""Milestones as the API reads them, and the decisions it takes."""

from rest_framework import serializers

from portal.api.serializers import WrittenOut, uid

from ...models import Milestone

_THRESHOLD = serializers.DecimalField(max_digits=7, decimal_places=2)


def _decimal_or_none(field: serializers.DecimalField, value):
    """As DRF writes a declared decimal field: null stays null (the field alone would write "")."""
    return None if value is None else field.to_representation(value)


class MilestoneSerializer(WrittenOut, serializers.ModelSerializer):
    name = serializers.CharField(source="definition.name", read_only=True)
    kind = serializers.CharField(source="definition.kind", read_only=True)
    threshold_hours = serializers.DecimalField(
        source="definition.threshold_hours", max_digits=7, decimal_places=2, read_only=True
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "apprenticeship",
            "definition",
            "name",
            "kind",
            "threshold_hours",
            "reached_at",
            "status",
            "decided_by",
            "decided_at",
            "note",
        ]
        read_only_fields = fields

    # A page of milestones is read as these columns, not as models (MilestoneViewSet.list).
    ROW_COLUMNS = [
        *("id", "apprenticeship_id", "definition_id", "definition__name", "definition__kind"),
        *("definition__threshold_hours", "reached_at", "status", "decided_by_id", "decided_at", "note"),
    ]

    @staticmethod
    def row_of(milestone: Milestone) -> dict:
        """A milestone read as a model, as the row its list page reads."""
        definition = milestone.definition
        return {
            **{column: getattr(milestone, column) for column in MilestoneSerializer.ROW_COLUMNS if "__" not in column},
            "definition__name": definition.name,
            "definition__kind": definition.kind,
            "definition__threshold_hours": definition.threshold_hours,
        }

    def to_representation(self, milestone):
        """Written out: RAPS admins' list of pending milestones is a busy read, and DRF's
        per-field machinery cost more than its query. The fields above stay the schema; tests
        hold the two equal, and a listed milestone equal to the same one read alone
        (tests/api/test_written_out_serializers.py)."""
        row = milestone if isinstance(milestone, dict) else self.row_of(milestone)
        return {
            "id": str(row["id"]),
            "apprenticeship": str(row["apprenticeship_id"]),
            "definition": str(row["definition_id"]),
            "name": row["definition__name"],
            "kind": row["definition__kind"],
            "threshold_hours": _decimal_or_none(_THRESHOLD, row["definition__threshold_hours"]),
            "reached_at": self.instant(row["reached_at"]),
            "status": row["status"],
            "decided_by": uid(row["decided_by_id"]),
            "decided_at": self.instant(row["decided_at"]),
            "note": row["note"],
        }


class MilestoneDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MilestoneRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
