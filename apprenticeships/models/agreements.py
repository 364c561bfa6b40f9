"""Apprenticeships: the apprentice agreements (ETA-671), their status machine and the
apprentice's registration data."""

import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.fields import KeyedEncryptedCharField
from portal.history import HistoricalRecords
from portal.models import TimestampedModel

from .. import rapids
from .programs import Program, WageStep


class ApprenticeshipStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


class ExitReason(models.TextChoices):
    """Why a cancelled apprenticeship ended, as the registration agency asks for it. The RAPIDS
    bulk-upload specification (rapids/tableschema.json) defines no exit column or codes, so the
    portal keeps its own documented list (docs/domain.md), with the free text beside it, and
    exports the exits in a file of their own (rapids/export.py `exit_rows`)."""

    VOLUNTARY_QUIT = "voluntary_quit", _("Voluntary quit")
    INVOLUNTARY_TERMINATION = "involuntary_termination", _("Involuntary termination")
    TRANSFERRED = "transferred", _("Transferred to another program or sponsor")
    FOUND_OTHER_EMPLOYMENT = "found_other_employment", _("Found other employment")
    MILITARY = "military", _("Called to military service")
    MEDICAL = "medical", _("Medical reasons")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


# The status machine of docs/domain.md, the one place that says which moves exist. `completed` is
# reached only by approving the completion milestone (issue: milestones), never by a transition
# request. cancelled and completed are final.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    ApprenticeshipStatus.REGISTERED: {ApprenticeshipStatus.ACTIVE, ApprenticeshipStatus.CANCELLED},
    ApprenticeshipStatus.ACTIVE: {
        ApprenticeshipStatus.SUSPENDED,
        ApprenticeshipStatus.CANCELLED,
        ApprenticeshipStatus.COMPLETED,
    },
    ApprenticeshipStatus.SUSPENDED: {ApprenticeshipStatus.ACTIVE, ApprenticeshipStatus.CANCELLED},
    ApprenticeshipStatus.CANCELLED: set(),
    ApprenticeshipStatus.COMPLETED: set(),
}
# Moves a RAPS admin asks for through `transition/`; completion has its own path.
REQUESTABLE_TRANSITIONS = {
    source: targets - {ApprenticeshipStatus.COMPLETED} for source, targets in STATUS_TRANSITIONS.items()
}
STATUSES_TAKING_HOURS = {ApprenticeshipStatus.REGISTERED, ApprenticeshipStatus.ACTIVE}
OPEN_STATUSES = {ApprenticeshipStatus.REGISTERED, ApprenticeshipStatus.ACTIVE, ApprenticeshipStatus.SUSPENDED}


class Apprenticeship(TimestampedModel):
    """An apprentice agreement (ETA-671): who learns what, where, with whom, from when."""

    apprentice = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="apprenticeships")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="apprenticeships")
    employer = models.ForeignKey("sponsors.Employer", on_delete=models.PROTECT, related_name="apprenticeships")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentored_apprenticeships",
    )
    start_date = models.DateField()
    expected_end_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ApprenticeshipStatus.choices, default=ApprenticeshipStatus.REGISTERED
    )
    status_changed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True, help_text="Date of cancellation or completion.")
    cancellation_reason = models.TextField(blank=True)
    exit_reason = models.CharField(max_length=30, choices=ExitReason.choices, blank=True)
    cancelled_during_probation = models.BooleanField(default=False)
    ojt_credit_hours = models.DecimalField(
        "credit for prior experience (OJT hours)", max_digits=7, decimal_places=2, default=Decimal("0")
    )
    rti_credit_hours = models.DecimalField(
        "credit for prior related training (RTI hours)", max_digits=7, decimal_places=2, default=Decimal("0")
    )
    credit_basis = models.TextField(
        blank=True,
        help_text="What the credit for prior experience or training rests on (required with any credit).",
    )
    entry_wage = models.DecimalField(max_digits=8, decimal_places=2, help_text="Hourly entry wage, in dollars.")
    current_wage_step = models.ForeignKey(
        WageStep, null=True, blank=True, on_delete=models.PROTECT, related_name="apprenticeships"
    )
    rapids_apprentice_id = models.CharField("RAPIDS apprentice id", max_length=30, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            # What an hour log's (apprenticeship, employer) refers to: its employer is the
            # apprenticeship's (competencies.HourLog.employer).
            models.UniqueConstraint(fields=["id", "employer"], name="apprenticeship_id_employer"),
            # What its running totals' copy refers to (HourTotals.program, employer, status).
            models.UniqueConstraint(
                fields=["id", "program", "employer", "status"], name="apprenticeship_id_program_employer_status"
            ),
            # What a milestone's copy refers to (Milestone.program, employer).
            models.UniqueConstraint(fields=["id", "program", "employer"], name="apprenticeship_id_program_employer"),
            models.CheckConstraint(
                condition=Q(expected_end_date__gt=F("start_date")), name="apprenticeship_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_date")),
                name="apprenticeship_ended_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ojt_credit_hours__gte=0) & Q(rti_credit_hours__gte=0),
                name="apprenticeship_credit_not_negative",
            ),
            models.CheckConstraint(condition=Q(entry_wage__gt=0), name="apprenticeship_entry_wage_positive"),
            # A cancellation always says why, and the date it took effect.
            models.CheckConstraint(
                condition=~Q(status=ApprenticeshipStatus.CANCELLED)
                | (~Q(cancellation_reason="") & Q(ended_on__isnull=False)),
                name="apprenticeship_cancellation_has_reason_and_date",
            ),
            # An exit reason is one of the documented codes, and only a cancellation has one.
            # (Cancellations recorded before the codes existed have none: the service requires it.)
            models.CheckConstraint(
                condition=Q(exit_reason="")
                | (Q(status=ApprenticeshipStatus.CANCELLED) & Q(exit_reason__in=ExitReason.values)),
                name="apprenticeship_exit_reason_only_when_cancelled",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApprenticeshipStatus.COMPLETED) | Q(ended_on__isnull=False),
                name="apprenticeship_completion_has_date",
            ),
            models.UniqueConstraint(
                fields=["rapids_apprentice_id"],
                condition=~Q(rapids_apprentice_id=""),
                name="apprenticeship_rapids_id_unique",
            ),
            # One open apprenticeship per apprentice and program: the part of the service's rule
            # (one open per person per sponsor, services/registration.py) that the database can
            # hold on this table's columns. The sponsor and the SSN's hash are not columns of it.
            models.UniqueConstraint(
                fields=["apprentice", "program"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="apprenticeship_one_open_per_apprentice_program",
            ),
        ]
        indexes = [
            # Employer staff's list and the ratio check: an employer's apprenticeships by status.
            models.Index(fields=["employer", "status"], name="apprenticeship_employer_status"),
            # A sponsor's lists and reports go through its programs.
            models.Index(fields=["program", "status"], name="apprenticeship_program_status"),
            # apprenticeships/ (and the roster) newest start first: a page is read from this
            # index instead of sorting every row of the sponsor.
            models.Index(fields=["start_date", "id"], name="apprenticeship_start_date"),
        ]

    def __str__(self):
        return f"{self.apprentice} – {self.program}"


def ssn_lookup_for(digits: str) -> str:
    """HMAC-SHA256 of an SSN's nine digits under `settings.SSN_LOOKUP_KEY` (hex), "" for none. The
    key is not the encryption keys', so rotating those leaves every lookup value as it was."""
    if not digits:
        return ""
    return hmac.new(settings.SSN_LOOKUP_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()


class ApprenticeRegistration(TimestampedModel):
    """The apprentice's RAPIDS registration data. Only RAPS admins and the apprentice read it;
    the SSN is encrypted at rest and never returned whole."""

    apprenticeship = models.OneToOneField(Apprenticeship, on_delete=models.PROTECT, related_name="registration")
    first_name = models.CharField(max_length=55)
    middle_name = models.CharField(max_length=55, blank=True)
    last_name = models.CharField(max_length=55)
    suffix = models.CharField(max_length=3, choices=rapids.Suffix.choices, blank=True)
    # NULL when not given: the encrypted field stores an empty value as NULL.
    ssn = KeyedEncryptedCharField("SSN", max_length=11, blank=True, null=True)
    ssn_last4 = models.CharField(max_length=4, blank=True, editable=False)
    # A keyed hash of the SSN's nine digits (`ssn_lookup_for`), blank without an SSN: how the
    # portal finds the same person under another account without decrypting anything.
    ssn_lookup = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=rapids.Gender.choices)
    employment_status = models.CharField(max_length=2, choices=rapids.EmploymentStatus.choices)
    street_address = models.CharField(max_length=55)
    city = models.CharField(max_length=55)
    state = models.CharField(max_length=2)
    zip_code = models.CharField(max_length=5, validators=[RegexValidator(r"^\d{5}$", "Five digits.")])
    telephone = models.CharField(max_length=20, blank=True)
    ethnicity = models.PositiveSmallIntegerField(choices=rapids.Ethnicity.choices)
    race_american_indian_alaskan_native = models.PositiveSmallIntegerField(choices=rapids.RaceAnswer.choices)
    race_asian = models.PositiveSmallIntegerField(choices=rapids.RaceAnswer.choices)
    race_black_african_american = models.PositiveSmallIntegerField(choices=rapids.RaceAnswer.choices)
    race_native_hawaiian_pacific_islander = models.PositiveSmallIntegerField(choices=rapids.RaceAnswer.choices)
    race_white = models.PositiveSmallIntegerField(choices=rapids.RaceAnswer.choices)
    veteran_status = models.PositiveSmallIntegerField(choices=rapids.VeteranStatus.choices)
    disability_status = models.PositiveSmallIntegerField(choices=rapids.DisabilityStatus.choices)
    education_level = models.PositiveSmallIntegerField(choices=rapids.EducationLevel.choices)
    prior_wage = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    prior_wage_unit = models.CharField(max_length=1, choices=rapids.WageUnit.choices, default=rapids.WageUnit.HOURLY)
    career_connection = models.CharField(max_length=1, choices=rapids.CareerConnection.choices, blank=True)
    wioa_participant = models.BooleanField(null=True, blank=True)
    participant_type = models.CharField(max_length=2, choices=rapids.ParticipantType.choices, blank=True)
    career_linkage = models.CharField(max_length=2, choices=rapids.CareerLinkage.choices, blank=True)
    taa_participant = models.BooleanField(null=True, blank=True)
    ojt_funding_sources = models.CharField(max_length=255, blank=True)
    student_status = models.CharField(
        max_length=5, choices=rapids.StudentStatus.choices, default=rapids.StudentStatus.NOT_APPLICABLE
    )

    history = HistoricalRecords(excluded_fields=["ssn", "ssn_lookup"])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ssn_last4__regex=r"^(\d{4})?$"), name="registration_ssn_last4_digits"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
