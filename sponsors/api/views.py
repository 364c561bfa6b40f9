from django.db import transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from portal.api.history import HistoryMixin
from portal.api.throttling import AnonRateThrottle
from portal.tenancy import TenantViewSet

from .. import selectors, services
from .serializers import (
    EmployerCreateSerializer,
    EmployerSerializer,
    InvitationAcceptedSerializer,
    InvitationAcceptSerializer,
    InvitationCreateSerializer,
    InvitationFilterSerializer,
    InvitationSerializer,
    SponsorSerializer,
    SponsorUpdateSerializer,
)


class SponsorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Sponsors the caller belongs to. Their RAPS admins change them."""

    serializer_class = SponsorSerializer
    ordering_fields = ["name", "registration_date"]
    ordering = ["name"]

    def scoped_queryset(self, scope):
        return selectors.sponsor_list(scope=scope)

    @extend_schema(request=SponsorUpdateSerializer, responses=SponsorSerializer)
    def partial_update(self, request, pk=None):
        """Change the sponsor's record (its RAPS administrators): name, registration, contact."""
        sponsor = self.get_object()
        data = SponsorUpdateSerializer(sponsor, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        sponsor = services.sponsor_update(
            scope=self.scope, sponsor=sponsor, changed_by=request.user, data=data.validated_data
        )
        return Response(SponsorSerializer(sponsor).data)


class EmployerViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Employers in the caller's sponsors' programs, or the caller's own employer."""

    serializer_class = EmployerSerializer
    filterset_fields = ["naics_code", "state"]
    search_fields = ["name", "naics_code"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def scoped_queryset(self, scope):
        return selectors.employer_list(scope=scope)

    @extend_schema(request=EmployerCreateSerializer, responses={201: EmployerSerializer})
    def create(self, request):
        """Add an employer to the caller's sponsor (RAPS administrators; `sponsor` names it when they administer several), with its count of journeyworkers."""
        services.check_may_add_employer(scope=self.scope)  # before the body is read
        data = EmployerCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        employer = services.employer_create(
            scope=self.scope, created_by=request.user, sponsor_id=fields.pop("sponsor", None), **fields
        )
        return Response(EmployerSerializer(employer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EmployerSerializer, responses=EmployerSerializer)
    def partial_update(self, request, pk=None):
        """Change an employer's record (RAPS administrators of a sponsor it takes part in), its count of journeyworkers included."""
        employer = self.get_object()
        data = EmployerSerializer(employer, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        employer = services.employer_update(
            scope=self.scope, employer=employer, changed_by=request.user, data=data.validated_data
        )
        return Response(EmployerSerializer(employer).data)


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Invitations sent by RAPS admins (for their sponsor) and employer admins (for their staff)."""

    serializer_class = InvitationSerializer
    filterset_fields = ["role", "employer"]
    extra_query_parameters = ["status"]  # read by scoped_queryset (InvitationFilterSerializer)
    ordering_fields = ["created_at", "expires_at", "email"]
    ordering = ["-created_at"]

    def scoped_queryset(self, scope):
        queryset = selectors.invitation_list(scope=scope)
        if self.action == "list":
            filters = InvitationFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if filters.validated_data.get("status"):
                queryset = selectors.invitation_filter_by_status(queryset, filters.validated_data["status"])
        return queryset

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=["pending", "accepted", "revoked", "expired"])]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def create(self, request):
        """Invite someone by e-mail to a role in the caller's sponsor or employer; the e-mail carries the token that `invitations/accept/` takes."""
        services.check_may_invite(scope=self.scope)  # before the body is read
        data = InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        invitation, _token = services.invitation_create(
            scope=self.scope,
            invited_by=request.user,
            email=fields["email"],
            role=fields["role"],
            sponsor_id=fields.get("sponsor"),
            employer_id=fields.get("employer"),
        )
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke a pending invitation: its token no longer lets anyone join."""
        invitation = self.get_object()
        with transaction.atomic():  # the answer read in the write's transaction (docs/api.md, "Errors", 503)
            invitation = services.invitation_revoke(scope=self.scope, invitation=invitation, revoked_by=request.user)
            answer = self.get_serializer(invitation).data
        return Response(answer)

    @extend_schema(request=InvitationAcceptSerializer, responses={200: InvitationAcceptedSerializer})
    @action(detail=False, methods=["post"], permission_classes=[AllowAny], throttle_classes=[AnonRateThrottle])
    def accept(self, request):
        """Accept with the token from the e-mailed link. Signed in: attaches the account; not
        signed in: creates it with `password` (and `name`). Then sign in as usual."""
        data = InvitationAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_accept(
            token=data.validated_data["token"],
            user=request.user,
            password=data.validated_data.get("password", ""),
            full_name=data.validated_data.get("name", ""),
        )
        organization = invitation.organization
        return Response(
            InvitationAcceptedSerializer(
                {
                    "email": invitation.email,
                    "role": invitation.role,
                    "organization": {
                        "id": str(organization.id),
                        "name": organization.name,
                        "kind": "employer" if invitation.employer_id else "sponsor",
                    },
                }
            ).data
        )
