from rest_framework import serializers


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
