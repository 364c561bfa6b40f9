"""`priority-populations/`: the groups a sponsor means to reach, which its summary counts
(docs/api.md). Its RAPS administrators read and write them; nobody else sees any."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from portal.api.history import HistoryMixin
from portal.tenancy import Scope, TenantViewSet

from .. import services
from ..models import PriorityPopulation
from ..models.populations import criterion_values_errors


class PriorityPopulationSerializer(serializers.ModelSerializer):
    values = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        help_text=_("The criterion's codes: ZIP codes, or RAPIDS codes; none for veteran and disability."),
    )

    class Meta:
        model = PriorityPopulation
        fields = ["id", "sponsor", "name", "description", "criterion", "values", "active", "created_at", "updated_at"]
        read_only_fields = ["id", "sponsor", "created_at", "updated_at"]
        # The active name's uniqueness is the service's check (and the constraint's), not a
        # validator that would need the sponsor in the body.
        validators: list = []

    def validate(self, attrs):
        criterion = attrs.get("criterion", getattr(self.instance, "criterion", None))
        values = attrs.get("values", getattr(self.instance, "values", []))
        if criterion is not None and ("criterion" in attrs or "values" in attrs):
            errors = criterion_values_errors(criterion, values)
            if errors:
                raise serializers.ValidationError({"values": errors})
        return attrs


class PriorityPopulationCreateSerializer(PriorityPopulationSerializer):
    sponsor = serializers.UUIDField(
        required=False, help_text=_("The sponsor, for an administrator of several; else theirs.")
    )

    class Meta(PriorityPopulationSerializer.Meta):
        read_only_fields = ["id", "created_at", "updated_at"]


class PriorityPopulationViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The caller's sponsors' priority populations, active and inactive (`?active=true`)."""

    serializer_class = PriorityPopulationSerializer
    filterset_fields = ["active", "criterion", "sponsor"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[PriorityPopulation]:
        return PriorityPopulation.objects.filter(sponsor_id__in=scope.admin_sponsor_ids)

    @extend_schema(request=PriorityPopulationCreateSerializer, responses={201: PriorityPopulationSerializer})
    def create(self, request):
        """Define a priority population of the sponsor (RAPS administrators): a name and one criterion over the registration data."""
        services.check_may_manage_populations(scope=self.scope)  # before the body is read
        data = PriorityPopulationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        population = services.population_create(
            scope=self.scope, created_by=request.user, sponsor_id=fields.pop("sponsor", None), **fields
        )
        return Response(PriorityPopulationSerializer(population).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PriorityPopulationSerializer, responses=PriorityPopulationSerializer)
    def partial_update(self, request, pk=None):
        """Change a priority population, or make it inactive with `{"active": false}` (never deleted)."""
        population = self.get_object()
        data = PriorityPopulationSerializer(population, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        population = services.population_update(
            scope=self.scope, population=population, changed_by=request.user, data=data.validated_data
        )
        return Response(PriorityPopulationSerializer(population).data)
