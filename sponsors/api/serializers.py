from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import (
    ModelSerializer,
    NamedRefSerializer,
    OrganizationRefSerializer,
    PersonSerializer,
    person,
    ref,
)

from ..models import Employer, Invitation, InvitationRole, InvitationStatus, Sponsor


class SponsorSerializer(ModelSerializer):
    class Meta:
        model = Sponsor
        fields = [
            "id",
            "name",
            "registration_number",
            "registration_agency",
            "agency_state",
            "sponsor_type",
            "registration_date",
            "contact_name",
            "contact_email",
            "contact_phone",
            "eeo_pledge",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class SponsorUpdateSerializer(ModelSerializer):
    class Meta:
        model = Sponsor
        fields = [
            "name",
            "registration_agency",
            "agency_state",
            "sponsor_type",
            "registration_date",
            "contact_name",
            "contact_email",
            "contact_phone",
            "eeo_pledge",
        ]


class EmployerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "ein",
            "street_address",
            "city",
            "state",
            "zip_code",
            "naics_code",
            "journeyworkers",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class EmployerCreateSerializer(serializers.ModelSerializer):
    sponsor = serializers.UUIDField(
        required=False, help_text="The sponsor whose programs it joins; needed only by admins of several sponsors."
    )

    class Meta:
        model = Employer
        fields = [
            "sponsor",
            "name",
            "ein",
            "street_address",
            "city",
            "state",
            "zip_code",
            "naics_code",
            "journeyworkers",
        ]


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    invited_by = serializers.SerializerMethodField()
    sponsor_detail = serializers.SerializerMethodField()
    employer_detail = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "sponsor",
            "sponsor_detail",
            "employer",
            "employer_detail",
            "status",
            "invited_by",
            "expires_at",
            "accepted_at",
            "revoked_at",
            "created_at",
        ]

    def get_status(self, invitation) -> str:
        return invitation.status_at(self.context["now"])

    @extend_schema_field(PersonSerializer)
    def get_invited_by(self, invitation) -> dict:
        return person(invitation.invited_by)

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_sponsor_detail(self, invitation) -> dict | None:
        return ref(invitation.sponsor, "name")

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_employer_detail(self, invitation) -> dict | None:
        return ref(invitation.employer, "name")


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=InvitationRole.choices)
    sponsor = serializers.UUIDField(required=False, allow_null=True)
    employer = serializers.UUIDField(required=False, allow_null=True)


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)
    password = serializers.CharField(
        required=False, allow_blank=True, write_only=True, style={"input_type": "password"}
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)


class InvitationAcceptedSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=InvitationRole.choices)
    organization = OrganizationRefSerializer()


class InvitationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=InvitationStatus.choices, required=False)
