"""Writes of competency sign-offs."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apprenticeships.models import (
    STATUSES_TAKING_HOURS,
    Apprenticeship,
    Competency,
)
from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.models import User
from portal.tenancy import Scope

from .. import ledger, notices
from ..models import CompetencySignOff
from .milestones import milestones_reconcile


def competency_sign_off(
    *,
    scope: Scope,
    apprenticeship: Apprenticeship,
    competency: Competency,
    signed_off_by: User,
    rating: str,
    evidence: str = "",
    evidence_url: str = "",
) -> tuple[CompetencySignOff, bool]:
    """Employer staff attest a competency. Returns (sign-off, created); signing off again
    replaces the rating and evidence, and history keeps the earlier sign-off."""
    with transaction.atomic():
        apprenticeship = ledger.lock(apprenticeship)
        if not scope.is_employer_staff(apprenticeship.employer_id, apprenticeship.program.sponsor_id):
            raise Forbidden("Competencies are signed off by the apprentice's employer staff.")
        if apprenticeship.status not in STATUSES_TAKING_HOURS:
            raise Conflict(f"A {apprenticeship.status} apprenticeship takes no new sign-offs.")
        if competency.work_process.program_id != apprenticeship.program_id:
            raise ValidationError({"competency": ["This competency is not in the apprenticeship's program."]})
        signoff = (
            CompetencySignOff.objects.select_for_update()
            .filter(apprenticeship=apprenticeship, competency=competency)
            .first()
        )
        created = signoff is None
        if signoff is None:
            signoff = CompetencySignOff(apprenticeship=apprenticeship, competency=competency)
        signoff.signed_off_by = signed_off_by
        signoff.signed_off_at = timezone.now()
        signoff.rating = rating
        signoff.evidence = evidence
        signoff.evidence_url = evidence_url
        signoff.full_clean()
        with_reason(signoff, "signed off" if created else "signed off again", user=signed_off_by).save()
        if created:
            ledger.signoff_counted(apprenticeship=apprenticeship, work_process_id=competency.work_process_id)
        notices.competency_signed_off(signoff)
        milestones_reconcile(apprenticeship=apprenticeship, changed_by=signed_off_by)
    return signoff, created
