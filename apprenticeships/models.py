"""The occupation catalog, programs (the sponsor's registered standards) and apprenticeships."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from encrypted_fields.fields import EncryptedCharField

from portal.history import HistoricalRecords
from portal.models import TimestampedModel

from . import rapids


class TrainingApproach(models.TextChoices):
    TIME_BASED = "time_based", "Time-based"
    COMPETENCY_BASED = "competency_based", "Competency-based"
    HYBRID = "hybrid", "Hybrid"


onet_soc_validator = RegexValidator(r"^\d{2}-\d{4}(\.\d{2})?$", "An O*NET-SOC code is written NN-NNNN or NN-NNNN.NN.")
rapids_code_validator = RegexValidator(
    r"^\d{4}(CB|HY)?$", "A RAPIDS code is four digits, with CB or HY for competency-based or hybrid."
)


class Occupation(TimestampedModel):
    """An apprenticeable occupation of the national catalog. Platform staff keep it."""

    title = models.CharField(max_length=150, unique=True)
    onet_soc_code = models.CharField("O*NET-SOC code", max_length=10, validators=[onet_soc_validator])
    rapids_code = models.CharField(
        "RAPIDS code",
        max_length=6,
        blank=True,
        validators=[rapids_code_validator],
        help_text="Blank where none is known.",
    )
    training_approach = models.CharField(max_length=20, choices=TrainingApproach.choices)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


# --- programs: the sponsor's registered standards --------------------------------------------

# A year of full-time on-the-job learning, the yardstick of "one year" for probation in hours.
HOURS_IN_A_WORK_YEAR = 2000


class Program(TimestampedModel):
    """The sponsor's registered standards for one occupation (29 CFR 29.5)."""

    sponsor = models.ForeignKey("sponsors.Sponsor", on_delete=models.PROTECT, related_name="programs")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="programs")
    title = models.CharField(max_length=200)
    training_approach = models.CharField(max_length=20, choices=TrainingApproach.choices)
    ojt_hours_required = models.DecimalField("OJT hours required", max_digits=7, decimal_places=2)
    rti_hours_required = models.DecimalField("RTI hours required", max_digits=7, decimal_places=2)
    term_months = models.PositiveSmallIntegerField()
    probation_hours = models.DecimalField(max_digits=7, decimal_places=2)
    ratio_apprentices = models.PositiveSmallIntegerField(default=1, help_text="Apprentices per ...")
    ratio_journeyworkers = models.PositiveSmallIntegerField(default=1, help_text="... this many journeyworkers.")
    rti_provider = models.CharField("RTI provider", max_length=200, blank=True)
    registered_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            # One program per occupation in a sponsor's standards.
            models.UniqueConstraint(fields=["sponsor", "occupation"], name="program_one_per_sponsor_occupation"),
            models.CheckConstraint(condition=Q(ojt_hours_required__gt=0), name="program_ojt_hours_positive"),
            models.CheckConstraint(condition=Q(rti_hours_required__gte=0), name="program_rti_hours_not_negative"),
            models.CheckConstraint(condition=Q(term_months__gt=0), name="program_term_positive"),
            # 29 CFR 29.5(b)(2): a time-based program is at least 2,000 hours of OJT.
            models.CheckConstraint(
                condition=~Q(training_approach=TrainingApproach.TIME_BASED) | Q(ojt_hours_required__gte=2000),
                name="program_time_based_at_least_2000_hours",
            ),
            # 29 CFR 29.5(b)(20): probation is at most 25% of the term or one year, the shorter.
            models.CheckConstraint(
                condition=Q(probation_hours__gte=0)
                & Q(probation_hours__lte=F("ojt_hours_required") * Decimal("0.25"))
                & Q(probation_hours__lte=HOURS_IN_A_WORK_YEAR),
                name="program_probation_at_most_quarter_term_or_year",
            ),
            models.CheckConstraint(
                condition=Q(ratio_apprentices__gt=0) & Q(ratio_journeyworkers__gt=0), name="program_ratio_positive"
            ),
        ]

    def __str__(self):
        return self.title


class WorkProcess(TimestampedModel):
    """A line of the work process schedule ("Appendix A"): a kind of work and its target hours."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="work_processes")
    title = models.CharField(max_length=200)
    target_hours = models.DecimalField(max_digits=7, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["program", "title"], name="work_process_title_unique_in_program"),
            models.CheckConstraint(condition=Q(target_hours__gt=0), name="work_process_target_positive"),
        ]

    def __str__(self):
        return self.title


class Competency(TimestampedModel):
    """A skill under a work process that employer staff sign off."""

    work_process = models.ForeignKey(WorkProcess, on_delete=models.PROTECT, related_name="competencies")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=255)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["work_process", "code"], name="competency_code_unique_in_work_process"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class WageStep(TimestampedModel):
    """A step of the progressive wage schedule, starting at a number of OJT hours."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="wage_steps")
    name = models.CharField(max_length=100)
    starts_at_ojt_hours = models.DecimalField(max_digits=7, decimal_places=2)
    wage = models.DecimalField(max_digits=8, decimal_places=2, help_text="Hourly wage, in dollars.")
    percent_of_journeyworker_wage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at_ojt_hours"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "starts_at_ojt_hours"], name="wage_step_start_unique_in_program"
            ),
            models.CheckConstraint(condition=Q(starts_at_ojt_hours__gte=0), name="wage_step_start_not_negative"),
            models.CheckConstraint(condition=Q(wage__gt=0), name="wage_step_wage_positive"),
        ]

    def __str__(self):
        return f"{self.name} (${self.wage}/h from {self.starts_at_ojt_hours} h)"


class MilestoneKind(models.TextChoices):
    OJT_HOURS = "ojt_hours", "OJT hours reached"
    RTI_HOURS = "rti_hours", "RTI hours reached"
    PROBATION = "probation", "Probation complete"
    WORK_PROCESS_COMPETENCIES = "work_process_competencies", "All competencies of a work process"
    WAGE_STEP = "wage_step", "Wage step reached"
    COMPLETION = "completion", "Completion"


class MilestoneDefinition(TimestampedModel):
    """What the program counts as a milestone; `threshold_hours` is the OJT (or RTI) hours at
    which it is reached, or null where hours do not decide it."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="milestone_definitions")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices)
    threshold_hours = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    work_process = models.ForeignKey(
        WorkProcess, null=True, blank=True, on_delete=models.PROTECT, related_name="milestone_definitions"
    )
    wage_step = models.ForeignKey(
        WageStep, null=True, blank=True, on_delete=models.PROTECT, related_name="milestone_definitions"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["threshold_hours", "name"]
        constraints = [
            # Hours decide OJT, RTI, probation and wage-step milestones; a work process's
            # competencies and completion are decided otherwise.
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        MilestoneKind.OJT_HOURS,
                        MilestoneKind.RTI_HOURS,
                        MilestoneKind.PROBATION,
                        MilestoneKind.WAGE_STEP,
                    ],
                    threshold_hours__isnull=False,  # a NULL passes a CHECK: say it
                    threshold_hours__gt=0,
                )
                | Q(
                    kind__in=[MilestoneKind.WORK_PROCESS_COMPETENCIES, MilestoneKind.COMPLETION],
                    threshold_hours__isnull=True,
                ),
                name="milestone_definition_threshold_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=MilestoneKind.WORK_PROCESS_COMPETENCIES, work_process__isnull=False)
                | (~Q(kind=MilestoneKind.WORK_PROCESS_COMPETENCIES) & Q(work_process__isnull=True)),
                name="milestone_definition_work_process_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=MilestoneKind.WAGE_STEP, wage_step__isnull=False)
                | (~Q(kind=MilestoneKind.WAGE_STEP) & Q(wage_step__isnull=True)),
                name="milestone_definition_wage_step_fits_kind",
            ),
            # One completion milestone per program.
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(kind=MilestoneKind.COMPLETION),
                name="milestone_definition_one_completion",
            ),
            # What a milestone's (definition, program) refers to: a milestone is of a definition
            # of its apprenticeship's program.
            models.UniqueConstraint(fields=["id", "program"], name="milestone_definition_id_program"),
        ]

    def __str__(self):
        return self.name


# --- apprenticeships: the apprentice agreements ----------------------------------------------


class ApprenticeshipStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"


# The status machine of DOMAIN.md, the one place that says which moves exist. `completed` is
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
    cancelled_during_probation = models.BooleanField(default=False)
    ojt_credit_hours = models.DecimalField(
        "credit for prior experience (OJT hours)", max_digits=7, decimal_places=2, default=Decimal("0")
    )
    rti_credit_hours = models.DecimalField(
        "credit for prior related training (RTI hours)", max_digits=7, decimal_places=2, default=Decimal("0")
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
            models.CheckConstraint(
                condition=~Q(status=ApprenticeshipStatus.COMPLETED) | Q(ended_on__isnull=False),
                name="apprenticeship_completion_has_date",
            ),
            models.UniqueConstraint(
                fields=["rapids_apprentice_id"],
                condition=~Q(rapids_apprentice_id=""),
                name="apprenticeship_rapids_id_unique",
            ),
        ]
        indexes = [
            # Employer staff's list and the ratio check: an employer's apprenticeships by status.
            models.Index(fields=["employer", "status"], name="apprenticeship_employer_status"),
            # A sponsor's lists and reports go through its programs.
            models.Index(fields=["program", "status"], name="apprenticeship_program_status"),
        ]

    def __str__(self):
        return f"{self.apprentice} – {self.program}"


class ApprenticeRegistration(TimestampedModel):
    """The apprentice's RAPIDS registration data. Only RAPS admins and the apprentice read it;
    the SSN is encrypted at rest and never returned whole."""

    apprenticeship = models.OneToOneField(Apprenticeship, on_delete=models.PROTECT, related_name="registration")
    first_name = models.CharField(max_length=55)
    middle_name = models.CharField(max_length=55, blank=True)
    last_name = models.CharField(max_length=55)
    suffix = models.CharField(max_length=3, choices=rapids.Suffix.choices, blank=True)
    # NULL when not given: the encrypted field stores an empty value as NULL.
    ssn = EncryptedCharField("SSN", max_length=11, blank=True, null=True)
    ssn_last4 = models.CharField(max_length=4, blank=True, editable=False)
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

    history = HistoricalRecords(excluded_fields=["ssn"])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ssn_last4__regex=r"^(\d{4})?$"), name="registration_ssn_last4_digits"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Milestone(TimestampedModel):
    """An apprenticeship reached a milestone definition, and a RAPS admin decides on it."""

    apprenticeship = models.ForeignKey(Apprenticeship, on_delete=models.PROTECT, related_name="milestones")
    definition = models.ForeignKey(MilestoneDefinition, on_delete=models.PROTECT, related_name="milestones")
    # The apprenticeship's program and employer (which never change), copied so that a sponsor's
    # or an employer's milestones are found by their own columns instead of among every
    # apprenticeship. On PostgreSQL the database holds the copy equal to the apprenticeship's,
    # and the definition to one of that program's (migration 0011). Filled on save.
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("sponsors.Employer", on_delete=models.PROTECT, related_name="+")
    reached_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    # The figures that reached it ("ojt=1000.00"): a rejected milestone is reached again only
    # when they change.
    basis = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reached_at"]
        constraints = [
            # At most one pending milestone per apprenticeship and definition.
            models.UniqueConstraint(
                fields=["apprenticeship", "definition"],
                condition=Q(status="pending"),
                name="milestone_one_pending_per_definition",
            ),
            # A decision names who and when; a rejection says why.
            models.CheckConstraint(
                condition=Q(status__in=["pending", "withdrawn"])
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="milestone_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(note=""), name="milestone_rejection_has_reason"
            ),
        ]
        indexes = [
            # milestones/?status=pending of a sponsor, and an apprenticeship's milestones.
            models.Index(fields=["status", "apprenticeship"], name="milestone_status_appr"),
        ]

    def save(self, *args, **kwargs):
        if self.program_id is None or self.employer_id is None:
            self.program_id, self.employer_id = self.apprenticeship.program_id, self.apprenticeship.employer_id
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.definition} – {self.apprenticeship}"


# --- running totals of hours (derived; kept by competencies.services) ------------------------


class HourTotals(models.Model):
    """Running totals of an apprenticeship's hours, kept by the competencies app's services in the same
    transaction as every change to its logs, so that progress reads one row instead of summing every log. Derived data: the
    logs and their history are the record; `hour_totals_recompute` rebuilds these from them."""

    apprenticeship = models.OneToOneField(
        Apprenticeship, primary_key=True, on_delete=models.CASCADE, related_name="hour_totals"
    )
    # The apprenticeship's program, employer and status, copied so that the sponsor's numbers
    # (competencies.reports.summary) add up these rows alone, grouped in the database, without
    # joining every apprenticeship. Held equal to the apprenticeship's by a reference to
    # (id, program, employer, status), checked at commit (PostgreSQL, migration 0010); a status
    # change moves them (apprenticeships.services).
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("sponsors.Employer", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ApprenticeshipStatus.choices)
    ojt_approved = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    ojt_pending = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    rti_approved = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    rti_pending = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    pending_logs = models.PositiveIntegerField(default=0, help_text="Logs waiting for approval (reports).")
    logs = models.PositiveIntegerField(
        default=0, help_text="Every log, whatever its status (hour-logs/'s count); logs are never deleted."
    )
    last_logged_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "hour totals"
        constraints = [
            models.CheckConstraint(
                condition=Q(ojt_approved__gte=0)
                & Q(ojt_pending__gte=0)
                & Q(rti_approved__gte=0)
                & Q(rti_pending__gte=0),
                name="hour_totals_not_negative",
            ),
        ]

    def __str__(self):
        return f"totals of {self.apprenticeship_id}"

    @staticmethod
    def copied_from(apprenticeship) -> dict:
        """The fields a totals row copies from its apprenticeship."""
        return {
            "apprenticeship_id": apprenticeship.pk,
            "program_id": apprenticeship.program_id,
            "employer_id": apprenticeship.employer_id,
            "status": apprenticeship.status,
        }


class WorkProcessTotal(models.Model):
    """Approved OJT hours and signed-off competencies of an apprenticeship in one work process
    (running totals)."""

    apprenticeship = models.ForeignKey(Apprenticeship, on_delete=models.CASCADE, related_name="work_process_totals")
    work_process = models.ForeignKey(WorkProcess, on_delete=models.CASCADE, related_name="+")
    approved_hours = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    competencies_signed_off = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["apprenticeship", "work_process"], name="work_process_total_unique"),
            models.CheckConstraint(condition=Q(approved_hours__gte=0), name="work_process_total_not_negative"),
        ]

    def __str__(self):
        return f"{self.approved_hours} h in {self.work_process_id}"
