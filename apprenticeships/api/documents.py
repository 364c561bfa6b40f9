"""The document vault of an apprenticeship: `apprenticeships/{apprenticeship_id}/documents/`.

Scoped exactly like the apprenticeship: one outside the caller's scope is a 404, and so is each
of its documents. The file itself is only ever served here (`download/`), every download is
recorded (the audit trail and the document's history), and nothing is deleted: a new version
supersedes a document, or it is withdrawn with a reason.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from portal.api.history import HistoryMixin
from portal.errors import TooLarge
from portal.middleware import client_address
from portal.tenancy import Scope, TenantViewSet

from .. import selectors, services
from ..models import Apprenticeship, Document
from .serializers.documents import DocumentSerializer, DocumentUploadSerializer, DocumentWithdrawSerializer
from .uploads import limit_uploads, too_large

APPRENTICESHIP = OpenApiParameter(
    "apprenticeship_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The apprenticeship's id."
)


def _too_large() -> TooLarge:
    from django.conf import settings

    return TooLarge(
        _("The file is larger than %(limit)d bytes, the most a document may be.")
        % {"limit": settings.DOCUMENT_MAX_BYTES}
    )


@extend_schema_view(
    list=extend_schema(parameters=[APPRENTICESHIP]),
    retrieve=extend_schema(parameters=[APPRENTICESHIP]),
    history=extend_schema(
        parameters=[APPRENTICESHIP],
        description="The document's changes and its downloads (`downloads.*`), newest first, paged: who, when "
        "and why. Scoped like the apprenticeship: outside the caller's scope, 404.",
    ),
)
class DocumentViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The documents of an apprenticeship: its readers list and download them; the apprentice,
    the employer's staff and the sponsor's RAPS administrators upload; the uploader or a RAPS
    administrator withdraws."""

    serializer_class = DocumentSerializer
    # Its history shows its downloads ("downloads.downloaded_by"), from the audit index.
    history_record_type = "document"
    filterset_fields = ["kind", "status", "credit_evidence"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    @cached_property
    def apprenticeship(self) -> Apprenticeship:
        """The apprenticeship of the path, in the caller's scope, else 404."""
        found = selectors.apprenticeships_in_scope(scope=self.scope).select_related("program")
        return get_object_or_404(found, pk=self.kwargs["apprenticeship_id"])

    def scoped_queryset(self, scope: Scope):
        if getattr(self, "swagger_fake_view", False):  # the schema's, with no apprenticeship
            return Document.objects.none()
        return selectors.document_list(apprenticeship=self.apprenticeship)

    def get_object(self) -> Document:
        document = super().get_object()
        document.apprenticeship = self.apprenticeship  # already read, with its program
        return document

    def get_parsers(self):
        # A form upload to the list's POST; JSON elsewhere (withdraw).
        request = getattr(self, "request", None)
        action_name = getattr(self, "action", None) or (
            self.action_map.get(request.method.lower()) if request is not None and request.method else None
        )
        if action_name == "create":
            return [MultiPartParser(), FormParser()]
        return [JSONParser()]

    def perform_content_negotiation(self, request, force=False):
        # A download is not JSON: a client asking for the file's type gets it; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    def initial(self, request, *args, **kwargs):
        # Before the body is parsed (the tenancy base reads its `reason`).
        creating = request.method == "POST" and self.action == "create"
        if creating and limit_uploads(request._request) and request.user.is_authenticated:
            raise _too_large()
        super().initial(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        """One document of the apprenticeship, by its id: 404 outside the caller's scope, and for a document of another apprenticeship."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[APPRENTICESHIP],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    def create(self, request, apprenticeship_id=None):
        """Upload a document (multipart: `kind`, `title`, `file`, optional `description`, `credit_evidence`, `supersedes` with `reason`). The type is checked by the file's content: PDF, PNG, JPEG, WebP, HEIC or DOCX. Over DOCUMENT_MAX_BYTES: 413, nothing written."""
        apprenticeship = self.apprenticeship  # 404 before anything else
        if too_large(request._request):
            raise _too_large()
        data = DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        supersedes = None
        if fields.get("supersedes") is not None:
            supersedes = Document.objects.filter(pk=fields["supersedes"], apprenticeship=apprenticeship).first()
            if supersedes is None:
                raise DjangoValidationError({"supersedes": [_("Not a current document of this apprenticeship.")]})
        with transaction.atomic():  # the answer read in the write's transaction
            document = services.document_upload(
                scope=self.scope,
                apprenticeship=apprenticeship,
                kind=fields["kind"],
                title=fields["title"],
                upload=fields["file"],
                by=self.acting_user,
                description=fields["description"],
                credit_evidence=fields["credit_evidence"],
                supersedes=supersedes,
                reason=fields["reason"].strip(),
            )
            answer = self.get_serializer(self.get_queryset().get(pk=document.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[APPRENTICESHIP],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request, apprenticeship_id=None, pk=None):
        """The file, as uploaded or generated (its sniffed type, as an attachment). Every download is recorded: in the audit trail and in the document's history. A withdrawn document: staff only."""
        document = self.get_object()
        services.check_may_download(scope=self.scope, document=document)
        handle = document.file.open("rb")
        with transaction.atomic():
            services.document_download_record(
                document=document, by=self.acting_user, ip_address=client_address(request._request)
            )
        response = FileResponse(
            handle, as_attachment=True, filename=document.filename, content_type=document.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    @extend_schema(parameters=[APPRENTICESHIP], request=DocumentWithdrawSerializer, responses=DocumentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, apprenticeship_id=None, pk=None):
        """Withdraw a current document with a `reason` (the uploader, or the sponsor's RAPS administrators; a generated document only they): it is kept and shown as withdrawn, never deleted. Not current: 409."""
        document = self.get_object()
        data = DocumentWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            services.document_withdraw_by(
                scope=self.scope, document=document, reason=data.validated_data["reason"], by=self.acting_user
            )
            answer = self.get_serializer(self.get_queryset().get(pk=document.pk)).data
        return Response(answer)
