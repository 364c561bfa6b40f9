"""competency-signoffs/: sign-offs of competencies, with their evidence and history."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from apprenticeships.selectors import apprenticeships_in_scope, competencies_in_scope
from portal.api.history import HistoryMixin
from portal.tenancy import Scope, TenantViewSet, scoped_or_400

from .. import selectors, services
from .serializers import (
    CompetencySignOffInputSerializer,
    CompetencySignOffSerializer,
)

# The 400s of bulk and import: the errors of each item or line, or of the request as a whole
# (a body that is not JSON or not a list, a file that cannot be read).


class CompetencySignOffViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Sign-offs of the apprenticeships the caller reads; employer staff sign off."""

    serializer_class = CompetencySignOffSerializer
    filterset_fields = ["apprenticeship", "competency", "rating", "is_current"]
    ordering_fields = ["signed_off_at"]
    ordering = ["-signed_off_at"]

    def scoped_queryset(self, scope: Scope):
        return selectors.competency_signoff_list(scope=scope)

    @extend_schema(
        request=CompetencySignOffInputSerializer,
        responses={201: CompetencySignOffSerializer},
    )
    def create(self, request):
        """Sign off a competency of an apprenticeship with a rating (the apprentice's employer staff). Signing off again is a new sign-off that supersedes the current one, which is kept unchanged."""
        data = CompetencySignOffInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        apprenticeship = scoped_or_400(
            apprenticeships_in_scope(scope=self.scope), fields.pop("apprenticeship"), "apprenticeship"
        )
        competency = scoped_or_400(competencies_in_scope(scope=self.scope), fields.pop("competency"), "competency")
        # Every sign-off is a new evaluation, a first one or one that supersedes the current.
        with transaction.atomic():  # the answer read in the write's transaction (docs/api.md, "Errors", 503)
            signoff, _ = services.competency_sign_off(
                scope=self.scope,
                apprenticeship=apprenticeship,
                competency=competency,
                signed_off_by=request.user,
                **fields,
            )
            answer = CompetencySignOffSerializer(signoff).data
        return Response(answer, status=status.HTTP_201_CREATED)
