"""The catalog as the API reads and writes it: occupations, and programs with their standards
(work processes and competencies, wage steps, milestone definitions)."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import (
    ModelSerializer,
    TitledRefSerializer,
    ref,
)

from ...models import (
    Competency,
    MilestoneDefinition,
    MilestoneKind,
    Occupation,
    Program,
    WageStep,
    WorkProcess,
)


class OccupationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Occupation
        fields = ["id", "title", "onet_soc_code", "rapids_code", "training_approach", "description"]
        read_only_fields = ["id"]


# --- programs ---------------------------------------------------------------------------------


class CompetencySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(required=False)

    class Meta:
        model = Competency
        fields = ["id", "code", "title"]


class WorkProcessSerializer(ModelSerializer):
    id = serializers.UUIDField(required=False)
    competencies = CompetencySerializer(many=True, required=False)

    class Meta:
        model = WorkProcess
        fields = ["id", "title", "target_hours", "competencies"]


class WageStepSerializer(ModelSerializer):
    id = serializers.UUIDField(required=False)

    class Meta:
        model = WageStep
        fields = ["id", "name", "starts_at_ojt_hours", "wage", "percent_of_journeyworker_wage"]


class MilestoneDefinitionSerializer(ModelSerializer):
    id = serializers.UUIDField(required=False)
    work_process_title = serializers.CharField(
        required=False, write_only=True, help_text="work_process_competencies: the title of the work process."
    )
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)

    class Meta:
        model = MilestoneDefinition
        fields = ["id", "name", "kind", "threshold_hours", "work_process", "work_process_title", "wage_step"]
        read_only_fields = ["work_process", "wage_step"]


class ProgramSerializer(ModelSerializer):
    work_processes = WorkProcessSerializer(many=True, required=False)
    wage_steps = WageStepSerializer(many=True, required=False)
    milestone_definitions = MilestoneDefinitionSerializer(many=True, required=False)
    occupation = serializers.PrimaryKeyRelatedField(queryset=Occupation.objects.all())
    occupation_detail = serializers.SerializerMethodField()

    class Meta:
        model = Program
        fields = [
            "id",
            "sponsor",
            "occupation",
            "occupation_detail",
            "title",
            "training_approach",
            "ojt_hours_required",
            "rti_hours_required",
            "term_months",
            "probation_hours",
            "ratio_apprentices",
            "ratio_journeyworkers",
            "rti_provider",
            "registered_on",
            "review_interval_months",
            "review_at_wage_steps",
            "wage_step_needs_review",
            "work_processes",
            "wage_steps",
            "milestone_definitions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "sponsor", "occupation_detail", "created_at", "updated_at"]
        extra_kwargs = {
            "title": {"required": False},
            "training_approach": {"required": False},
            "ojt_hours_required": {"min_value": Decimal("0.25")},
            "rti_hours_required": {"min_value": Decimal("0")},
            "probation_hours": {"min_value": Decimal("0")},
            "term_months": {"min_value": 1},
            "ratio_apprentices": {"min_value": 1},
            "ratio_journeyworkers": {"min_value": 1},
            "review_interval_months": {"min_value": 1, "max_value": 24},
        }

    @extend_schema_field(TitledRefSerializer)
    def get_occupation_detail(self, program) -> dict | None:
        return ref(program.occupation, "title")

    def run_validators(self, value):
        # The model's constraints are checked by the service, with messages that name the rule.
        return value


class ProgramCreateSerializer(ProgramSerializer):
    sponsor = serializers.UUIDField(required=False, help_text="Needed only by admins of several sponsors.")

    class Meta(ProgramSerializer.Meta):
        read_only_fields = ["id", "created_at", "updated_at"]
