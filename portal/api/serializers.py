from collections.abc import Callable
from typing import Any, ClassVar, overload

from django.conf import settings
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


class Written:
    """One field of a written-out serializer: the columns of the row it reads (a list page reads
    rows, `.values(*row_columns())`), and how it writes them: `write(serializer, *values)`."""

    def __init__(self, *columns: str, write: Callable[..., Any] | None = None):
        self.columns, self.write = columns, write
        # What the serializer calls for each record: a plain column is read straight from the
        # row, with no call at all (a page of 50 hour logs writes 800 values).
        self.plain_column = columns[0] if write is None and len(columns) == 1 else None


def id_of(column: str) -> Written:
    return Written(column, write=lambda _serializer, value: None if value is None else str(value))


def day_of(column: str) -> Written:
    return Written(column, write=lambda _serializer, value: None if value is None else value.isoformat())


def instant_of(column: str) -> Written:
    return Written(column, write=lambda serializer, value: serializer.instant(value))


def decimal_of(column: str, *, max_digits: int, decimal_places: int) -> Written:
    """As DRF writes a declared decimal field; null stays null (the field alone would write "")."""
    field = serializers.DecimalField(max_digits=max_digits, decimal_places=decimal_places)
    return Written(column, write=lambda _serializer, value: None if value is None else field.to_representation(value))


def person_of(relation: str) -> Written:
    """A user on the record as {id, name} (`person`), read as three columns."""
    return Written(
        f"{relation}_id",
        f"{relation}__full_name",
        f"{relation}__email",
        write=lambda _serializer, *values: person_of_row(*values),
    )


def apprentice_of(relation: str) -> Written:
    """The apprentice of a record as {id, name, email} (`apprentice_ref`), read as three columns."""
    return Written(
        f"{relation}_id",
        f"{relation}__full_name",
        f"{relation}__email",
        write=lambda _serializer, *values: apprentice_of_row(*values),
    )


def ref_of(relation: str, label: str) -> Written:
    """A related record as {id, <label>} (`ref`): a program's or work process's title, an
    employer's name, read as two columns; null when the record names none."""
    return Written(f"{relation}_id", f"{relation}__{label}", write=lambda _serializer, *values: ref_row(label, *values))


def _column_of(record, column: str):
    """The value `column` of a row, read from a model: `reviewed_by__email` follows the relation."""
    value = record
    for name in column.split("__"):
        value = getattr(value, name, None) if value is not None else None
    return value


class WrittenOut:
    """The seam of the busiest reads: a serializer whose records are written out field by field
    instead of through DRF's per-field machinery, which cost more than the page's query (a page of
    50 hour logs). Its fields are ONE list, `WRITTEN` ({API field: Written}): the list page reads
    those columns as rows, a record read alone is turned into the same row, and both are written
    from it. `Meta.fields` is `list(WRITTEN)`, so adding a field is one edit; the declared DRF
    fields stay the schema, and tests/api/test_written_out_serializers.py holds the output equal to
    what DRF writes from them.

    It also reads the current time zone once for all the records of one response (a serializer
    of many uses one child for every record), not once for each date and time."""

    WRITTEN: ClassVar[dict[str, Written]] = {}

    @cached_property
    def time_zone(self):
        return timezone.get_current_timezone()

    def instant(self, value) -> str | None:
        return instant(value, self.time_zone)

    @classmethod
    def row_columns(cls) -> list[str]:
        return [column for written in cls.WRITTEN.values() for column in written.columns]

    @classmethod
    def row_of(cls, record) -> dict:
        """A record read as a model, as the row its list page reads."""
        return {column: _column_of(record, column) for column in cls.row_columns()}

    def to_representation(self, record):
        row = record if isinstance(record, dict) else self.row_of(record)
        out = {}
        for name, written in self.WRITTEN.items():
            column = written.plain_column
            if column is not None:
                out[name] = row[column]
            elif len(written.columns) == 1:
                out[name] = written.write(self, row[written.columns[0]])  # type: ignore[misc]
            else:
                out[name] = written.write(self, *[row[column] for column in written.columns])  # type: ignore[misc]
        return out


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


def apprentice_ref(user: User) -> dict:
    """An apprentice as every list and detail names them beside the id: {id, name, email}
    (the name is the full name, or the e-mail until they give one)."""
    return apprentice_of_row(user.pk, user.full_name, user.email)  # type: ignore[return-value]


def apprentice_of_row(user_id, full_name: str | None, email: str | None) -> dict | None:
    return None if user_id is None else {"id": str(user_id), "name": full_name or email, "email": email}


def ref(record, label: str) -> dict | None:
    """A related record as a list names it beside its id: {id, title} or {id, name}."""
    return None if record is None else ref_row(label, record.pk, getattr(record, label))


def ref_row(label: str, record_id, text) -> dict | None:
    return None if record_id is None else {"id": str(record_id), label: text}


class TitledRefSerializer(serializers.Serializer):
    """A program or work process named beside its id (`program_detail`, `work_process_detail`)."""

    id = serializers.UUIDField()
    title = serializers.CharField()


class NamedRefSerializer(serializers.Serializer):
    """An employer or sponsor named beside its id (`employer_detail`, `sponsor_detail`)."""

    id = serializers.UUIDField()
    name = serializers.CharField()


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
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        help_text="The language of the portal's answers, notifications and e-mails to me.",
    )
    memberships = MembershipSerializer(many=True)
    apprenticeships = serializers.ListField(child=serializers.UUIDField())


class MeUpdateSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        help_text="The language of the portal's answers, notifications and e-mails to me.",
    )


# The shapes of the objects that serializers write out themselves (method fields, written-out
# representations), for the schema: a generated client gets typed objects, not free-form dicts.
class PersonSerializer(serializers.Serializer):
    """A person on a record (`person`): their full name, or their e-mail until they give one."""

    id = serializers.UUIDField()
    name = serializers.CharField()


class PersonWithEmailSerializer(PersonSerializer):
    """A person named with their e-mail beside the id (`apprentice_detail`, `mentor_detail`)."""

    email = serializers.EmailField()


class OrganizationRefSerializer(NamedRefSerializer):
    kind = serializers.ChoiceField(choices=["sponsor", "employer"])


def field_errors(help_text: str) -> serializers.DictField:
    """A 400's messages by field (`non_field_errors` for the whole), as the schema types them."""
    return serializers.DictField(child=serializers.ListField(child=serializers.CharField()), help_text=help_text)
