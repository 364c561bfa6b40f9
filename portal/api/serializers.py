from typing import overload

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from rest_framework import serializers

from portal.models import User

from . import fields


class ModelSerializer(serializers.ModelSerializer):
    """A model serializer whose decimals and dates are read strictly (portal.api.fields)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: fields.DecimalField,
        models.DateField: fields.DateField,
    }


def instant(value, time_zone=None) -> str | None:
    """A date and time as the whole API writes it, for serializers that write their records out
    field by field: what DRF's DateTimeField writes (ISO 8601 in the current time zone, UTC as
    "Z"), without its per-value settings lookups (a page of hour logs writes 150 of them).
    `time_zone`: the current one, when the caller has read it already (`WrittenOut`).
    tests/api/test_written_out_serializers.py holds the two equal."""
    if value is None:
        return None
    text = value.astimezone(time_zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class WrittenOut:
    """For a serializer that writes its records out: the current time zone, read once for all
    the records of one response (a serializer of many uses one child for every record), not
    once for each date and time."""

    @cached_property
    def time_zone(self):
        return timezone.get_current_timezone()

    def instant(self, value) -> str | None:
        return instant(value, self.time_zone)


def uid(value) -> str | None:
    """An id, or null."""
    return None if value is None else str(value)


@overload
def person(user: User) -> dict: ...
@overload
def person(user: User | None) -> dict | None: ...
def person(user: User | None) -> dict | None:
    """A user as the API shows people on records: {id, name}."""
    return {"id": str(user.pk), "name": user.display_name} if user else None


def person_of_row(user_id, full_name: str | None, email: str | None) -> dict | None:
    """`person`, from the columns a list page reads instead of the user (`User.display_name`:
    the full name, or the e-mail until they give one)."""
    return None if user_id is None else {"id": str(user_id), "name": full_name or email}


class NonFieldErrorsSerializer(serializers.Serializer):
    """The 400 of a request refused as a whole (a body that is not JSON, or not the shape asked)."""

    non_field_errors = serializers.ListField(child=serializers.CharField())


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
