"""The record of progress answering the apprentice agreement (apprenticeships/record.py says
what it asks and why it asks through the setting PROGRESS_RECORD)."""

from decimal import Decimal
from types import SimpleNamespace

from apprenticeships.models import Apprenticeship, ApprenticeshipStatus
from portal.models import User

from . import ledger, selectors
from .models import MilestoneStatus
from .services.milestones import milestones_close_open, milestones_reconcile

# An apprenticeship that ended leaves nothing to decide: its pending milestones are closed as
# (status, note, history reason). A suspension closes nothing: its pending milestones wait for
# the reinstatement, or are decided meanwhile.
CLOSED_BY_ENDING: dict[str, tuple[str, str, str]] = {
    ApprenticeshipStatus.CANCELLED: (
        MilestoneStatus.WITHDRAWN,
        "Withdrawn: the apprenticeship was cancelled.",
        "withdrawn: apprenticeship cancelled",
    ),
    ApprenticeshipStatus.COMPLETED: (
        MilestoneStatus.SUPERSEDED,
        "Superseded: the apprenticeship was completed (its completion milestone was approved).",
        "superseded: apprenticeship completed",
    ),
}


def apprenticeship_registered(apprenticeship: Apprenticeship) -> None:
    ledger.totals_open(apprenticeship)


def apprenticeship_status_changed(apprenticeship: Apprenticeship, *, changed_by: User) -> None:
    ledger.totals_follow_status(apprenticeship)
    closing = CLOSED_BY_ENDING.get(apprenticeship.status)
    if closing is not None:
        status, note, reason = closing
        milestones_close_open(
            apprenticeship=apprenticeship, changed_by=changed_by, status=status, note=note, reason=reason
        )


def apprenticeship_credit_changed(apprenticeship: Apprenticeship, *, changed_by: User) -> None:
    milestones_reconcile(apprenticeship=apprenticeship, changed_by=changed_by)


def approved_ojt_hours(apprenticeship: Apprenticeship) -> Decimal:
    return ledger.approved_ojt_hours(apprenticeship)


def roster_apprenticeships(queryset, *, today):
    return selectors.roster_apprenticeships(queryset, today=today)


def roster_progress(apprenticeship: Apprenticeship | SimpleNamespace, *, today) -> dict:
    return selectors.roster_progress(apprenticeship=apprenticeship, today=today)
