"""Milestones as the API reads them, and the decisions it takes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import (
    NamedRefSerializer,
    PersonWithEmailSerializer,
    TitledRefSerializer,
    Written,
    WrittenOut,
    apprentice_of,
    apprentice_ref,
    decimal_of,
    id_of,
    instant_of,
    ref,
    ref_of,
)

from ...models import Milestone

# The fields of a milestone as the API writes it, in order: the one list (WrittenOut).
MILESTONE_FIELDS = {
    "id": id_of("id"),
    "apprenticeship": id_of("apprenticeship_id"),
    # Names beside the ids, read in the page's one query (docs/api.md, "Names beside ids").
    "apprentice_detail": apprentice_of("apprenticeship__apprentice"),
    "program_detail": ref_of("program", "title"),
    "employer_detail": ref_of("employer", "name"),
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
    apprentice_detail = serializers.SerializerMethodField()
    program_detail = serializers.SerializerMethodField()
    employer_detail = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = list(MILESTONE_FIELDS)
        read_only_fields = fields

    @extend_schema_field(PersonWithEmailSerializer)
    def get_apprentice_detail(self, milestone) -> dict:
        return apprentice_ref(milestone.apprenticeship.apprentice)

    @extend_schema_field(TitledRefSerializer)
    def get_program_detail(self, milestone) -> dict | None:
        return ref(milestone.program, "title")

    @extend_schema_field(NamedRefSerializer)
    def get_employer_detail(self, milestone) -> dict | None:
        return ref(milestone.employer, "name")


class MilestoneDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MilestoneRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
