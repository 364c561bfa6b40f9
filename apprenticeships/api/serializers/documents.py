"""The document vault's bodies: a document as listed, an upload, a withdrawal, a verification."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.history import HistoryUserSerializer
from portal.api.serializers import person
from portal.tenancy import REASON_MAX_LENGTH

from ...models import Document, DocumentKind, display_code


class DocumentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SerializerMethodField()
    superseded_by = serializers.SerializerMethodField()
    verification_code = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "apprenticeship",
            "kind",
            "title",
            "description",
            "filename",
            "content_type",
            "size",
            "sha256",
            "status",
            "status_reason",
            "supersedes",
            "superseded_by",
            "uploaded_by",
            "generated",
            "credit_evidence",
            "issued_on",
            "verification_code",
            "created_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(HistoryUserSerializer(allow_null=True))
    def get_uploaded_by(self, document: Document):
        return person(document.uploaded_by)

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_superseded_by(self, document: Document):
        try:
            return str(document.superseded_by.pk)
        except ObjectDoesNotExist:
            return None

    @extend_schema_field(
        serializers.CharField(allow_null=True, help_text="As printed on the document: K7QH-9MXR-2TBD (/verify/{code}).")
    )
    def get_verification_code(self, document: Document):
        # Everyone who lists the vault reads the apprenticeship (the list is scoped like it).
        return display_code(document.verification_code) if document.verification_code else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, document: Document) -> str:
        path = reverse(
            "api:document-download", kwargs={"apprenticeship_id": document.apprenticeship_id, "pk": document.pk}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(
        help_text=_("PDF, PNG, JPEG, WebP, HEIC or DOCX, by its content; at most DOCUMENT_MAX_BYTES.")
    )
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    credit_evidence = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Evidence supporting the credit for prior experience (kind evidence)."),
    )
    supersedes = serializers.UUIDField(
        required=False, allow_null=True, help_text=_("A current document of this apprenticeship this one replaces.")
    )
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why: required with `supersedes`."),
    )


class DocumentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)
    issued_on = serializers.DateField(required=False)
