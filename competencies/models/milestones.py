"""Milestones an apprenticeship reached, and the RAPS admins' decisions on them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apprenticeships.models import Apprenticeship, MilestoneDefinition, Program
from portal.history import HistoricalRecords
from portal.models import TimestampedModel


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # Closed unanswered because the apprenticeship was completed: nothing is left to decide.
    SUPERSEDED = "superseded", _("Superseded")


# Closed without a decision: no longer reached (withdrawn), or its apprenticeship ended (withdrawn
# on cancellation, superseded on completion). Never decided, never counted as pending.
CLOSED_STATUSES = {MilestoneStatus.WITHDRAWN, MilestoneStatus.SUPERSEDED}


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
            # A definition is reached once until it is decided: at most one pending or approved
            # milestone per apprenticeship and definition. An approved one is a decision and stays;
            # it is reached again only after a withdrawal or a rejection (milestones_reconcile).
            models.UniqueConstraint(
                fields=["apprenticeship", "definition"],
                condition=Q(status__in=["approved", "pending"]),
                name="milestone_one_standing_per_definition",
            ),
            # A decision names who and when; a rejection says why. A closed milestone was not
            # decided: its history names who closed it and when.
            models.CheckConstraint(
                condition=Q(status__in=["pending", "withdrawn", "superseded"])
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="milestone_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(note=""), name="milestone_rejection_has_reason"
            ),
            # A milestone closed by its apprenticeship's completion says so.
            models.CheckConstraint(
                condition=~Q(status="superseded") | ~Q(note=""), name="milestone_superseded_has_reason"
            ),
        ]
        indexes = [
            # milestones/?status=pending of a sponsor, and an apprenticeship's milestones.
            models.Index(fields=["status", "apprenticeship"], name="milestone_status_appr"),
            # A page of milestones/?status=pending, newest first (the list's order, then id): read
            # from the index up to the page, not sorted from every pending milestone of the sponsor.
            models.Index(fields=["status", "-reached_at", "id"], name="milestone_status_reached"),
        ]

    def save(self, *args, **kwargs):
        if self.program_id is None or self.employer_id is None:
            self.program_id, self.employer_id = self.apprenticeship.program_id, self.apprenticeship.employer_id
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.definition} – {self.apprenticeship}"
