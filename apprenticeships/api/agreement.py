"""The apprenticeship agreement of an apprenticeship: its state and PDF, and signing it online
(`agreement/`, `agreement/sign/`, actions of the apprenticeships' view set)."""

import ipaddress

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.middleware import client_address

from ..models import AgreementVersion, Apprenticeship
from ..services import signatures


class AgreementSignSerializer(serializers.Serializer):
    typed_name = serializers.CharField(max_length=150, allow_blank=True)
    consent = serializers.BooleanField()
    sha256 = serializers.CharField(max_length=64, allow_blank=True)
    # A plain string (the service refuses any other than the three): an enum named "role" would
    # collide in the schema with the memberships' and invitations' roles.
    role = serializers.CharField(
        required=False,
        max_length=20,
        help_text="apprentice, employer or sponsor: needed only by a caller who may sign in two roles.",
    )


class AgreementSignatureSerializer(serializers.Serializer):
    role = serializers.CharField()
    signer = serializers.CharField(help_text="The signer's name in the portal.")
    typed_name = serializers.CharField()
    signed_at = serializers.DateTimeField()
    ip_address = serializers.CharField(required=False, help_text="RAPS administrators of the sponsor only.")
    user_agent = serializers.CharField(required=False, help_text="RAPS administrators of the sponsor only.")


class AgreementStateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    sha256 = serializers.CharField()
    pdf_url = serializers.CharField()
    status = serializers.CharField()
    signatures = AgreementSignatureSerializer(many=True)
    awaiting = serializers.ListField(child=serializers.CharField(), help_text="Roles that still must sign.")
    fully_signed = serializers.BooleanField()
    signed_document = serializers.UUIDField(allow_null=True, help_text="The signed copy in the vault.")
    may_sign_as = serializers.ListField(child=serializers.CharField(), help_text="Roles the caller may sign in now.")
    consent_text = serializers.CharField(help_text="What a signer agrees to by signing.")


def _address(request) -> str | None:
    """The client's address as the portal counts it (behind TRUSTED_PROXY_COUNT proxies, the one
    the nearest saw), or None when it cannot tell."""
    try:
        address = client_address(request)
    except (PermissionDenied, ImproperlyConfigured):
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class AgreementActions:
    """Mixed into the apprenticeships' view set (a TenantViewSet): the record is read within the
    caller's scope, so an apprenticeship they cannot see is a 404."""

    def perform_content_negotiation(self, request, force=False):
        if getattr(self, "action", None) == "agreement":
            # `?format=pdf` answers the PDF itself; errors stay JSON.
            force = True
        return super().perform_content_negotiation(request, force=force)  # type: ignore[misc]

    def _state(self, version: AgreementVersion, apprenticeship: Apprenticeship) -> dict:
        scope = self.scope  # type: ignore[attr-defined]
        sees_origin = scope.is_raps_admin(apprenticeship.program.sponsor_id)
        rows = []
        for signature in version.signatures.select_related("signer"):
            row = {
                "role": signature.role,
                "signer": signature.signer.display_name,
                "typed_name": signature.typed_name,
                "signed_at": signature.signed_at,
            }
            if sees_origin:
                row |= {"ip_address": signature.ip_address or "", "user_agent": signature.user_agent}
            rows.append(row)
        awaiting = [role for role in signatures.SIGNER_ROLES if role not in {row["role"] for row in rows}]
        held = signatures.signer_roles(scope=scope, apprenticeship=apprenticeship)
        return {
            "version": version.number,
            "sha256": version.sha256,
            "pdf_url": self.request.build_absolute_uri(  # type: ignore[attr-defined]
                f"/api/v1/apprenticeships/{apprenticeship.pk}/agreement/?format=pdf"
            ),
            "status": version.status,
            "signatures": rows,
            "awaiting": [str(role) for role in awaiting],
            "fully_signed": not awaiting,
            "signed_document": version.signed_document_id,
            "may_sign_as": [role for role in held if role in awaiting],
            "consent_text": signatures.consent_text(),
        }

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["json", "pdf"], description="`pdf`: the current version's PDF.")
        ],
        responses={200: AgreementStateSerializer, (200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def agreement(self, request, pk=None):
        """The apprenticeship agreement: its current version (made from the record), the SHA-256 of its PDF, who signed and who still must; `?format=pdf` downloads the PDF whose SHA-256 a signer sends."""
        apprenticeship = self.get_object()  # type: ignore[attr-defined]
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "pdf"):
            raise ValidationError({"format": ["json or pdf."]})
        with transaction.atomic():
            version = signatures.agreement_current(apprenticeship, by=request.user)
            if fmt == "pdf":
                with version.file.open("rb") as stored:
                    content = stored.read()
                response = HttpResponse(content, content_type="application/pdf")
                response["Content-Disposition"] = f'inline; filename="agreement-v{version.number}.pdf"'
                return response
            return Response(self._state(version, apprenticeship))

    @extend_schema(request=AgreementSignSerializer, responses={201: AgreementStateSerializer})
    @action(detail=True, methods=["post"], url_path="agreement/sign")
    def agreement_sign(self, request, pk=None):
        """Sign the agreement's current version in the caller's role (the apprentice, an administrator of the employer, a RAPS administrator of the sponsor): the typed name, `consent: true` and the SHA-256 of the PDF read. A stale SHA-256 or a role that signed already is a 409."""
        apprenticeship = self.get_object()  # type: ignore[attr-defined]
        data = AgreementSignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            signature = signatures.agreement_sign(
                scope=self.scope,  # type: ignore[attr-defined]
                apprenticeship=apprenticeship,
                signer=request.user,
                ip_address=_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                **data.validated_data,
            )
            version = AgreementVersion.objects.get(pk=signature.version_id)
            answer = self._state(version, apprenticeship)
        return Response(answer, status=201)
