"""The completion packet and the interim credentials of an apprenticeship: read by whoever
reads the apprenticeship; regenerated and requested by the sponsor's RAPS admins. The
documents themselves are the vault's."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from apprenticeships.models import WorkProcess
from apprenticeships.selectors import apprenticeships_in_scope
from portal.tenancy import Scope, TenantAPIView, scoped_or_400

from ..models import InterimCredential
from ..packet import services
from .serializers.packet import CompletionPacketSerializer, CredentialRequestSerializer, InterimCredentialSerializer


def _packet_answer(apprenticeship_id, documents: dict) -> dict:
    transcript, application = documents.get("transcript"), documents.get("completion_application")
    return CompletionPacketSerializer(
        {
            "apprenticeship": apprenticeship_id,
            "complete": transcript is not None and application is not None,
            "transcript": transcript,
            "completion_application": application,
        }
    ).data


class CompletionPacketView(TenantAPIView):
    """The transcript and the completion application of an apprenticeship."""

    serializer_class = CompletionPacketSerializer

    def scoped_queryset(self, scope: Scope):
        return apprenticeships_in_scope(scope=scope).select_related("program")

    def get(self, request, pk=None):
        """The current transcript and completion application (ids in the vault, verification codes, issue dates); null until the apprenticeship is completed and they are generated."""
        apprenticeship = self.get_object()
        return Response(_packet_answer(apprenticeship.pk, services.packet_documents(apprenticeship.pk)))

    @extend_schema(request=None, responses={200: CompletionPacketSerializer})
    def post(self, request, pk=None):
        """Regenerate both documents from the record (the sponsor's RAPS admins, a completed apprenticeship): the new ones supersede the current ones, which stay in the vault."""
        apprenticeship = self.get_object()
        documents = services.packet_regenerate(
            scope=self.scope, apprenticeship=apprenticeship, requested_by=request.user
        )
        return Response(_packet_answer(apprenticeship.pk, documents))


class InterimCredentialsView(TenantAPIView):
    """The interim credentials of an apprenticeship, one per completed work process."""

    serializer_class = InterimCredentialSerializer
    pagination_class = None

    def scoped_queryset(self, scope: Scope):
        return apprenticeships_in_scope(scope=scope).select_related("program")

    @extend_schema(responses={200: InterimCredentialSerializer(many=True)})
    def get(self, request, pk=None):
        """The interim credentials issued, oldest first, each with its document in the vault."""
        apprenticeship = self.get_object()
        credentials = InterimCredential.objects.filter(apprenticeship=apprenticeship).select_related(
            "work_process", "document"
        )
        return Response(InterimCredentialSerializer(credentials, many=True).data)

    @extend_schema(request=CredentialRequestSerializer, responses={201: InterimCredentialSerializer})
    def post(self, request, pk=None):
        """Issue the interim credential of a complete work process (the sponsor's RAPS admins): 400 when it is not complete, 409 when it was issued already. The portal issues them on its own when a work process completes."""
        apprenticeship = self.get_object()
        data = CredentialRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        work_process = scoped_or_400(
            WorkProcess.objects.filter(program_id=apprenticeship.program_id),
            data.validated_data["work_process"],
            "work_process",
        )
        with transaction.atomic():
            credential = services.credential_request(
                scope=self.scope, apprenticeship=apprenticeship, work_process=work_process, requested_by=request.user
            )
            answer = InterimCredentialSerializer(
                InterimCredential.objects.select_related("work_process", "document").get(pk=credential.pk)
            ).data
        return Response(answer, status=status.HTTP_201_CREATED)
