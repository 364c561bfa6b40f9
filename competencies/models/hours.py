"""Hour logs: what the apprentice did, on the job (OJT) and in related instruction (RTI)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords
from portal.models import TimestampedModel

MAX_HOURS_PER_DAY = Decimal("24")


class HourKind(models.TextChoices):
    OJT = "ojt", _("On-the-job training")
    RTI = "rti", _("Related technical instruction")


class HourLogStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    VOIDED = "voided", _("Voided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The only moves of a log: a submitted log is approved or rejected, or withdrawn by its author;
# an approved log can only be voided. Rejected, voided and withdrawn are final. Approved on entry
# is a log's first state, not a move.
HOUR_LOG_TRANSITIONS: dict[str, set[str]] = {
    HourLogStatus.SUBMITTED: {HourLogStatus.APPROVED, HourLogStatus.REJECTED, HourLogStatus.WITHDRAWN},
    HourLogStatus.APPROVED: {HourLogStatus.VOIDED},
    HourLogStatus.REJECTED: set(),
    HourLogStatus.VOIDED: set(),
    HourLogStatus.WITHDRAWN: set(),
}
# Logs that count toward the 24 hours of a day.
COUNTING_STATUSES = [HourLogStatus.SUBMITTED, HourLogStatus.APPROVED]


class HourLog(TimestampedModel):
    # Every index of this table is written on each log logged and on each decided (a decision
    # changes the status, which indexes hold, so no update is in place): the foreign keys that
    # an index below already begins with have no index of their own (db_index=False).
    apprenticeship = models.ForeignKey(
        "apprenticeships.Apprenticeship", on_delete=models.PROTECT, related_name="hour_logs", db_index=False
    )
    # The apprenticeship's employer, kept on the log so that an employer's hours are read newest
    # first from one index (hour_log_employer_recent) instead of scanning every employer's. The
    # database holds it equal to the apprenticeship's (hour_log_employer_is_apprenticeships).
    employer = models.ForeignKey("sponsors.Employer", on_delete=models.PROTECT, related_name="+", db_index=False)
    date = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    kind = models.CharField(max_length=3, choices=HourKind.choices)
    work_process = models.ForeignKey(
        "apprenticeships.WorkProcess", null=True, blank=True, on_delete=models.PROTECT, related_name="hour_logs"
    )
    course = models.CharField(max_length=200, blank=True, help_text="RTI: the course.")
    instruction_provider = models.CharField(max_length=200, blank=True, help_text="RTI: who taught it.")
    description = models.TextField(blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=HourLogStatus.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    # The import that wrote the log, if a file did (hour-logs/?hour_import=).
    hour_import = models.ForeignKey(
        "competencies.HourImport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="logs",
        db_index=False,  # hour_log_import, of the imported logs only
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at"]
        constraints = [
            # More than 0, at most 24, in quarter hours.
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS_PER_DAY), name="hour_log_hours_between_0_and_24"
            ),
            models.CheckConstraint(condition=Exact(Mod(F("hours") * 4, 1), 0), name="hour_log_quarter_hours"),
            # An OJT log names a work process; an RTI log names none.
            models.CheckConstraint(
                condition=Q(kind=HourKind.OJT, work_process__isnull=False)
                | Q(kind=HourKind.RTI, work_process__isnull=True),
                name="hour_log_work_process_fits_kind",
            ),
            # A decided log names who decided and when (a withdrawn one: its author, when they
            # withdrew it); rejecting and voiding say why.
            models.CheckConstraint(
                condition=Q(status=HourLogStatus.SUBMITTED) | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="hour_log_review_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[HourLogStatus.REJECTED, HourLogStatus.VOIDED]) | ~Q(review_note=""),
                name="hour_log_rejection_or_void_has_reason",
            ),
        ]
        indexes = [
            # The 24-hours-a-day rule and the pace of the last 8 weeks: an apprenticeship's logs by date.
            models.Index(fields=["apprenticeship", "date"], name="hour_log_apprenticeship_date"),
            # The pace (progress, the roster): approved OJT hours of the last 8 weeks, summed from
            # the index alone (hours included) for each row of a roster page.
            models.Index(
                fields=["apprenticeship", "date"],
                include=["hours"],
                condition=Q(kind=HourKind.OJT, status=HourLogStatus.APPROVED),
                name="hour_log_approved_ojt_pace",
            ),
            # The review queue, oldest first: employer staff's submitted OJT by employer, RAPS
            # admins' submitted RTI by kind, counted and paged from the index alone. The id ends
            # the key as it ends the queue's order (waiting since, id): without it, every
            # submitted log of the employer was read and sorted for a page of 50.
            models.Index(
                fields=["employer", "created_at", "id"],
                include=["kind", "logged_by", "apprenticeship"],
                condition=Q(status=HourLogStatus.SUBMITTED),
                name="hour_log_queue_by_employer",
            ),
            models.Index(
                fields=["kind", "created_at", "id"],
                include=["logged_by", "apprenticeship"],
                condition=Q(status=HourLogStatus.SUBMITTED),
                name="hour_log_queue_by_kind",
            ),
            # Pending approvals: hour-logs/?status=submitted for a reviewer.
            models.Index(fields=["status", "apprenticeship"], name="hour_log_status_apprenticeship"),
            # hour-logs/ newest first: scanned backwards until a page of the caller's logs is found.
            models.Index(fields=["-date", "-created_at"], name="hour_log_recent"),
            # hour-logs/ of employer staff, newest first: their employer's logs and no others.
            models.Index(fields=["employer", "-date", "-created_at"], name="hour_log_employer_recent"),
            # A bulk decision locks the ids asked within the caller's employers: read by
            # (employer, id), not by a bitmap of all of the employer's logs and'ed with the ids'
            # (2.8 ms -> 1.9 ms, and 5 ms -> 2.7 ms for the apprenticeships it locks, for 200).
            models.Index(fields=["employer", "id"], name="hour_log_employer_id"),
            # hour-logs/?hour_import=, and the check that an import is not deleted under its logs:
            # most logs come from no file, and an index of them all would be written for nothing.
            models.Index(fields=["hour_import"], condition=Q(hour_import__isnull=False), name="hour_log_import"),
        ]

    def __str__(self):
        return f"{self.hours} h {self.kind} on {self.date}"
