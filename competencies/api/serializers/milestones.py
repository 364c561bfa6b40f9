"""Milestones as the API reads them, and the decisions it takes."""

from rest_framework import serializers

from portal.api.serializers import Written, WrittenOut, decimal_of, id_of, instant_of

from ...models import Milestone

# The fields of a milestone as the API writes it, in order: the one list (WrittenOut).
MILESTONE_FIELDS = {
    "id": id_of("id"),
    "apprenticeship": id_of("apprenticeship_id"),
    "definition": id_of("definition_id"),
    "name": Written("definition__name"),
    "kind": Written("definition__kind"),
    "threshold_hours": decimal_of("definition__threshold_hours", max_digits=7, decimal_places=2),
    "reached_at": instant_of("reached_at"),
    "status": Written("status"),
    "decided_by": id_of("decided_by_id"),
    "decided_at": instant_of("decided_at"),
    "note": Written("note"),
}


class MilestoneSerializer(WrittenOut, serializers.ModelSerializer):
    """Written out (WrittenOut): RAPS admins' list of pending milestones is a busy read."""

    WRITTEN = MILESTONE_FIELDS
    name = serializers.CharField(source="definition.name", read_only=True)
    kind = serializers.CharField(source="definition.kind", read_only=True)
    threshold_hours = serializers.DecimalField(
        source="definition.threshold_hours", max_digits=7, decimal_places=2, read_only=True
    )

    class Meta:
        model = Milestone
        fields = list(MILESTONE_FIELDS)
        read_only_fields = fields


class MilestoneDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MilestoneRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
