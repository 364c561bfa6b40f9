"""Running totals of an apprenticeship's hours and sign-offs: derived data, kept by
competencies/ledger.py in the transaction of every change."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from apprenticeships.models import Apprenticeship, ApprenticeshipStatus, Program, WorkProcess


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
