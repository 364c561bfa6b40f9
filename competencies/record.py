"""The record of progress answering the apprentice agreement (apprenticeships/record.py says
what it asks and why it asks through the setting PROGRESS_RECORD)."""

from decimal import Decimal

from apprenticeships.models import Apprenticeship, ApprenticeshipStatus
from portal.models import User

from . import ledger, selectors
from .services.milestones import milestones_close_open, milestones_reconcile


def apprenticeship_registered(apprenticeship: Apprenticeship) -> None:
    ledger.totals_open(apprenticeship)


def apprenticeship_status_changed(apprenticeship: Apprenticeship, *, changed_by: User) -> None:
    ledger.totals_follow_status(apprenticeship)
    if apprenticeship.status == ApprenticeshipStatus.CANCELLED:
        milestones_close_open(
            apprenticeship=apprenticeship,
            changed_by=changed_by,
            note="Withdrawn: the apprenticeship was cancelled.",
            reason="withdrawn: apprenticeship cancelled",
        )


def apprenticeship_credit_changed(apprenticeship: Apprenticeship, *, changed_by: User) -> None:
    milestones_reconcile(apprenticeship=apprenticeship, changed_by=changed_by)


def approved_ojt_hours(apprenticeship: Apprenticeship) -> Decimal:
    return ledger.approved_ojt_hours(apprenticeship)


def roster_apprenticeships(queryset, *, today):
    return selectors.roster_apprenticeships(queryset, today=today)


def roster_progress(apprenticeship: Apprenticeship, *, today) -> dict:
    return selectors.roster_progress(apprenticeship=apprenticeship, today=today)
