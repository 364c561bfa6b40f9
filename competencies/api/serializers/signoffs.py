"""Competency sign-offs as the API reads and writes them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import (
    PersonSerializer,
    PersonWithEmailSerializer,
    TitledRefSerializer,
    apprentice_ref,
    person,
    ref,
)

from ...models import CompetencySignOff


class CompetencySignOffSerializer(serializers.ModelSerializer):
    signed_off_by = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()
    superseded_by = serializers.SerializerMethodField()
    apprentice_detail = serializers.SerializerMethodField()
    competency_detail = serializers.SerializerMethodField()
    work_process_detail = serializers.SerializerMethodField()

    class Meta:
        model = CompetencySignOff
        fields = [
            "id",
            "apprenticeship",
            "apprentice_detail",
            "competency",
            "competency_detail",
            "work_process_detail",
            "signed_off_by",
            "signed_off_at",
            "rating",
            "evidence",
            "evidence_url",
            "is_current",
            "supersedes",
            "superseded_by",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonWithEmailSerializer)
    def get_apprentice_detail(self, signoff) -> dict:
        return apprentice_ref(signoff.apprenticeship.apprentice)

    @extend_schema_field(TitledRefSerializer)
    def get_competency_detail(self, signoff) -> dict | None:
        return ref(signoff.competency, "title")

    @extend_schema_field(TitledRefSerializer)
    def get_work_process_detail(self, signoff) -> dict | None:
        return ref(signoff.competency.work_process, "title")

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_signed_off_by(self, signoff) -> dict | None:
        return person(signoff.signed_off_by)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_evidence_url(self, signoff) -> str | None:
        """null when there is none: the schema's `format: uri` holds for every string written."""
        return signoff.evidence_url or None

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_superseded_by(self, signoff) -> str | None:
        """The later sign-off of the same competency that replaced this one as the current rating."""
        later = getattr(signoff, "superseded_by", None)
        return str(later.pk) if later else None


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
