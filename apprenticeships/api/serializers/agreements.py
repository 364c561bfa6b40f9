"""Apprenticeships as the API reads and writes them: the agreement with its registration data
(written out field by field for the roster), and the register, update and transition bodies."""

import functools
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import DateField, DecimalField
from portal.api.serializers import (
    ModelSerializer,
    NamedRefSerializer,
    PersonWithEmailSerializer,
    TitledRefSerializer,
    instant,
    uid,
)

from ...models import (
    ApprenticeRegistration,
    Apprenticeship,
    ApprenticeshipStatus,
    ExitReason,
)


class RegistrationSerializer(ModelSerializer):
    """The RAPIDS registration data; SSN is write-only and read back masked to RAPS admins."""

    ssn = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=11)

    class Meta:
        model = ApprenticeRegistration
        exclude = ["id", "apprenticeship", "ssn_last4", "ssn_lookup", "created_at", "updated_at"]

    def run_validators(self, value):
        return value


class RegistrationReadSerializer(RegistrationSerializer):
    """The registration as an apprenticeship reads it, for the schema: every field may be left
    out (a reader who is neither a RAPS admin nor the apprentice sees the names only)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
        return fields


def _hours(value) -> str:
    return f"{value:.2f}"


class RosterHoursSerializer(serializers.Serializer):
    # A declared field, which DRF takes out of the class body: it hides no Field.required.
    required = DecimalField(max_digits=9, decimal_places=2)  # type: ignore[assignment]
    approved = DecimalField(max_digits=9, decimal_places=2)
    pending = DecimalField(max_digits=9, decimal_places=2)
    credited = DecimalField(max_digits=9, decimal_places=2)
    remaining = DecimalField(max_digits=9, decimal_places=2)
    percent = serializers.FloatField()


class RosterPaceSerializer(serializers.Serializer):
    hours_per_week = DecimalField(max_digits=9, decimal_places=2)
    projected_completion_date = DateField(allow_null=True)
    expected_end_date = DateField()
    on_track = serializers.BooleanField()


class RosterProgressSerializer(serializers.Serializer):
    """A roster row's progress (`?include=progress`): the hours and pace the progress endpoint
    shows, computed by the same code (apprenticeships/record.py `roster_progress`)."""

    ojt = RosterHoursSerializer()
    rti = RosterHoursSerializer()
    percent = serializers.FloatField(help_text="The OJT percent: approved and credited hours of those required.")
    pace = RosterPaceSerializer()
    pending_logs = serializers.IntegerField(help_text="Hour logs waiting for approval.")
    pending_milestones = serializers.IntegerField(help_text="Milestones waiting for a decision.")
    last_logged_on = DateField(allow_null=True, help_text="The last day hours were logged for.")

    def to_representation(self, progress):
        """Written out (a page of 200 rows): the fields above are the schema."""
        return _roster_progress(progress)


def _roster_progress(progress: dict) -> dict:
    """A roster row's progress as the API writes it (RosterProgressSerializer's fields)."""
    pace, projected, last = (
        progress["pace"],
        progress["pace"]["projected_completion_date"],
        progress["last_logged_on"],
    )
    return {
        "ojt": _roster_hours(progress["ojt"]),
        "rti": _roster_hours(progress["rti"]),
        "percent": float(progress["percent"]),
        "pace": {
            "hours_per_week": _hours(pace["hours_per_week"]),
            "projected_completion_date": projected.isoformat() if projected else None,
            "expected_end_date": pace["expected_end_date"].isoformat(),
            "on_track": pace["on_track"],
        },
        "pending_logs": progress["pending_logs"],
        "pending_milestones": progress["pending_milestones"],
        "last_logged_on": last.isoformat() if last else None,
    }


def _roster_hours(block: dict) -> dict:
    return {
        **{key: _hours(block[key]) for key in ("required", "approved", "pending", "credited", "remaining")},
        "percent": float(block["percent"]),
    }


class ApprenticeshipSerializer(serializers.ModelSerializer):
    apprentice = serializers.SerializerMethodField()
    # Who the apprentice works and trains with, by name: the apprentice reads no employers/ or
    # sponsors/ record, so the ids alone would tell them nothing.
    employer_detail = serializers.SerializerMethodField()
    sponsor = serializers.SerializerMethodField()
    program_detail = serializers.SerializerMethodField()
    mentor_detail = serializers.SerializerMethodField()
    # Blank until a cancellation records it: the schema says so ("" is a value it can take).
    exit_reason = serializers.ChoiceField(choices=ExitReason.choices, allow_blank=True, read_only=True)
    registration = serializers.SerializerMethodField()
    ssn_masked = serializers.SerializerMethodField()
    # The roster: null unless asked with `?include=progress`.
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Apprenticeship
        fields = [
            "id",
            "apprentice",
            "program",
            "program_detail",
            "employer",
            "employer_detail",
            "sponsor",
            "mentor",
            "mentor_detail",
            "start_date",
            "expected_end_date",
            "status",
            "status_changed_on",
            "ended_on",
            "cancellation_reason",
            "exit_reason",
            "cancelled_during_probation",
            "ojt_credit_hours",
            "rti_credit_hours",
            "credit_basis",
            "entry_wage",
            "current_wage_step",
            "rapids_apprentice_id",
            "registration",
            "ssn_masked",
            "progress",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonWithEmailSerializer)
    def get_apprentice(self, apprenticeship) -> dict:
        user = apprenticeship.apprentice
        return {"id": str(user.id), "email": user.email, "name": user.full_name}

    @extend_schema_field(NamedRefSerializer)
    def get_employer_detail(self, apprenticeship) -> dict:
        return {"id": str(apprenticeship.employer_id), "name": apprenticeship.employer.name}

    @extend_schema_field(NamedRefSerializer)
    def get_sponsor(self, apprenticeship) -> dict:
        sponsor = apprenticeship.program.sponsor
        return {"id": str(sponsor.id), "name": sponsor.name}

    @extend_schema_field(TitledRefSerializer)
    def get_program_detail(self, apprenticeship) -> dict:
        return {"id": str(apprenticeship.program_id), "title": apprenticeship.program.title}

    @extend_schema_field(PersonWithEmailSerializer(allow_null=True))
    def get_mentor_detail(self, apprenticeship) -> dict | None:
        mentor = apprenticeship.mentor
        if mentor is None:
            return None
        return {"id": str(mentor.id), "name": mentor.display_name, "email": mentor.email}

    @extend_schema_field(RosterProgressSerializer(allow_null=True))
    def get_progress(self, apprenticeship) -> dict | None:
        progress = getattr(apprenticeship, "roster_progress", None)
        return None if progress is None else _roster_progress(progress)

    def _personal(self, apprenticeship) -> bool:
        return self.context["may_read_personal"](apprenticeship)

    @extend_schema_field(RegistrationReadSerializer(allow_null=True))
    def get_registration(self, apprenticeship) -> dict | None:
        """Names for everyone who reads the apprenticeship; date of birth, address and
        demographics only for RAPS admins and the apprentice."""
        registration = getattr(apprenticeship, "registration", None)
        if registration is None:
            return None
        if not self._personal(apprenticeship):
            return {name: getattr(registration, name) for name in REGISTRATION_NAMES}
        return {name: write(getattr(registration, name)) for name, write in _registration_writers()}

    def get_ssn_masked(self, apprenticeship) -> str | None:
        registration = getattr(apprenticeship, "registration", None)
        if registration is None or not registration.ssn_last4 or not self.context["is_sponsor_admin"](apprenticeship):
            return None
        return f"***-**-{registration.ssn_last4}"

    def to_representation(self, instance):
        """Written out (a roster page is 200 rows, which DRF's per-field machinery took most of
        the request to write): the declared fields above are the schema, and
        tests/api/test_written_out_serializers.py holds the two equal."""
        a, time_zone = instance, self._time_zone
        return {
            "id": str(a.id),
            "apprentice": self.get_apprentice(a),
            "program": str(a.program_id),
            "program_detail": self.get_program_detail(a),
            "employer": str(a.employer_id),
            "employer_detail": self.get_employer_detail(a),
            "sponsor": self.get_sponsor(a),
            "mentor": uid(a.mentor_id),
            "mentor_detail": self.get_mentor_detail(a),
            "start_date": a.start_date.isoformat(),
            "expected_end_date": a.expected_end_date.isoformat(),
            "status": a.status,
            "status_changed_on": _day(a.status_changed_on),
            "ended_on": _day(a.ended_on),
            "cancellation_reason": a.cancellation_reason,
            "exit_reason": a.exit_reason,
            "cancelled_during_probation": a.cancelled_during_probation,
            "ojt_credit_hours": _hours(a.ojt_credit_hours),
            "rti_credit_hours": _hours(a.rti_credit_hours),
            "credit_basis": a.credit_basis,
            "entry_wage": _hours(a.entry_wage),
            "current_wage_step": uid(a.current_wage_step_id),
            "rapids_apprentice_id": a.rapids_apprentice_id,
            "registration": self.get_registration(a),
            "ssn_masked": self.get_ssn_masked(a),
            "progress": self.get_progress(a),
            "created_at": instant(a.created_at, time_zone),
            "updated_at": instant(a.updated_at, time_zone),
        }

    @cached_property
    def _time_zone(self):
        return timezone.get_current_timezone()


# Who is not a RAPS admin of the sponsor nor the apprentice reads these of the registration.
REGISTRATION_NAMES = ("first_name", "middle_name", "last_name", "suffix")


@functools.cache
def _registration_writers() -> list[tuple[str, Any]]:
    """How RegistrationSerializer writes each field it shows, taken from its fields once: dates,
    decimals and times through their DRF field (null stays null); every other value as stored."""
    writers = []
    for name, field in RegistrationSerializer().fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.DateField | serializers.DecimalField | serializers.DateTimeField):
            writers.append((name, _or_null(field.to_representation)))
        else:
            writers.append((name, _as_stored))
    return writers


def _as_stored(value):
    return value


def _or_null(write):
    return lambda value: None if value is None else write(value)


def _day(value) -> str | None:
    return None if value is None else value.isoformat()


def _credit_basis_field() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="What the credit for prior experience or training rests on: required with any credit.",
    )


class ApprenticeshipRegisterSerializer(serializers.Serializer):
    apprentice_email = serializers.EmailField()
    program = serializers.UUIDField()
    employer = serializers.UUIDField()
    mentor = serializers.UUIDField(required=False, allow_null=True)
    start_date = DateField()
    expected_end_date = DateField()
    entry_wage = DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"))
    ojt_credit_hours = DecimalField(max_digits=7, decimal_places=2, min_value=0, required=False)
    rti_credit_hours = DecimalField(max_digits=7, decimal_places=2, min_value=0, required=False)
    credit_basis = _credit_basis_field()
    rapids_apprentice_id = serializers.CharField(max_length=30, required=False, allow_blank=True)
    registration = RegistrationSerializer()


class ApprenticeshipUpdateSerializer(serializers.Serializer):
    mentor = serializers.UUIDField(required=False, allow_null=True)
    expected_end_date = DateField(required=False)
    entry_wage = DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"), required=False)
    ojt_credit_hours = DecimalField(max_digits=7, decimal_places=2, min_value=0, required=False)
    rti_credit_hours = DecimalField(max_digits=7, decimal_places=2, min_value=0, required=False)
    credit_basis = _credit_basis_field()
    rapids_apprentice_id = serializers.CharField(max_length=30, required=False, allow_blank=True)
    registration = RegistrationSerializer(required=False, partial=True)


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ApprenticeshipStatus.choices)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Why: required to suspend or cancel.",
    )
    effective_date = DateField(
        required=False,
        help_text="The day the change takes effect (default today): not in the future, not before the start "
        "date nor the last status change.",
    )
    exit_reason = serializers.ChoiceField(
        choices=ExitReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to cancel, and only then.",
    )
