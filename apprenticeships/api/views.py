from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from portal.tenancy import TenantViewSet

from .. import selectors, services
from .serializers import OccupationSerializer


class OccupationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The national occupation catalog: everyone signed in reads it; platform staff keep it."""

    serializer_class = OccupationSerializer
    filterset_fields = ["training_approach", "onet_soc_code", "rapids_code"]
    ordering_fields = ["title", "onet_soc_code"]
    ordering = ["title"]

    def scoped_queryset(self, scope):
        return selectors.occupation_list()

    @extend_schema(request=OccupationSerializer, responses={201: OccupationSerializer})
    def create(self, request):
        self.deny_unless(self.scope.is_platform_staff, "Only platform staff change the occupation catalog.")
        data = OccupationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        occupation = services.occupation_create(created_by=request.user, **data.validated_data)
        return Response(OccupationSerializer(occupation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OccupationSerializer, responses=OccupationSerializer)
    def partial_update(self, request, pk=None):
        occupation = self.get_object()
        self.deny_unless(self.scope.is_platform_staff, "Only platform staff change the occupation catalog.")
        data = OccupationSerializer(occupation, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        occupation = services.occupation_update(
            occupation=occupation, changed_by=request.user, data=data.validated_data
        )
        return Response(OccupationSerializer(occupation).data)
