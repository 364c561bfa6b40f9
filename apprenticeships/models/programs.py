"""Programs: a sponsor's registered standards for one occupation (work processes and their
competencies, the wage schedule, the milestone definitions)."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords
from portal.models import TimestampedModel

from .catalog import Occupation, TrainingApproach

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
    # Progress reviews (competencies/models/reviews.py): every this many months from the start
    # date (None: no periodic reviews), at each wage step reached, and whether approving a wage
    # step waits for a review the apprentice signed.
    review_interval_months = models.PositiveSmallIntegerField(null=True, blank=True)
    review_at_wage_steps = models.BooleanField(default=False)
    wage_step_needs_review = models.BooleanField(default=False)

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
            models.CheckConstraint(
                condition=Q(review_interval_months__isnull=True)
                | Q(review_interval_months__gte=1, review_interval_months__lte=24),
                name="program_review_interval_1_to_24_months",
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
    OJT_HOURS = "ojt_hours", _("OJT hours reached")
    RTI_HOURS = "rti_hours", _("RTI hours reached")
    PROBATION = "probation", _("Probation complete")
    WORK_PROCESS_COMPETENCIES = "work_process_competencies", _("All competencies of a work process")
    WAGE_STEP = "wage_step", _("Wage step reached")
    COMPLETION = "completion", _("Completion")


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
