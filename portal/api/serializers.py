from rest_framework import serializers

_INSTANT = serializers.DateTimeField()


def instant(value) -> str | None:
    """A date and time as the whole API writes it (DRF's DateTimeField: ISO 8601, in the
    portal's time zone): for serializers that write their records out field by field."""
    return None if value is None else _INSTANT.to_representation(value)


def uid(value) -> str | None:
    """An id, or null."""
    return None if value is None else str(value)


def person(user) -> dict | None:
    """A user as the API shows people on records: {id, name}."""
    return {"id": str(user.pk), "name": user.display_name} if user else None


class OrganizationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="organization_id")
    name = serializers.CharField(source="organization_name")
    kind = serializers.ChoiceField(choices=["sponsor", "employer"], source="organization_kind")


class MembershipSerializer(serializers.Serializer):
    organization = OrganizationSerializer(source="*")
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    name = serializers.CharField(source="full_name")
    is_platform_staff = serializers.BooleanField(source="is_staff")
    memberships = MembershipSerializer(many=True)
    apprenticeships = serializers.ListField(child=serializers.UUIDField())
