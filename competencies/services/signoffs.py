"""Writes of competency sign-offs."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apprenticeships.models import (
    STATUSES_TAKING_HOURS,
    Apprenticeship,
    ApprenticeshipStatus,
    Competency,
)
from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.i18n import in_words
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
    """Employer staff attest a competency: a new evaluation, its own row. Returns (sign-off,
    first): signing off again supersedes the current sign-off, which is kept as it was given
    (rating and evidence) and is no longer current; only a first sign-off counts in progress."""
    with transaction.atomic():
        # The apprenticeship's lock serializes the sign-offs of one competency: the current one
        # read here is still current when the new one replaces it.
        apprenticeship = ledger.lock(apprenticeship)
        if not scope.is_employer_staff(apprenticeship.employer_id, apprenticeship.program.sponsor_id):
            raise Forbidden(_("Competencies are signed off by the apprentice's employer staff."))
        if apprenticeship.status not in STATUSES_TAKING_HOURS:
            raise Conflict(
                _("A %(status)s apprenticeship takes no new sign-offs.")
                % {"status": in_words(ApprenticeshipStatus, apprenticeship.status)}
            )
        if competency.work_process.program_id != apprenticeship.program_id:
            raise ValidationError({"competency": [_("This competency is not in the apprenticeship's program.")]})
        current = CompetencySignOff.objects.filter(
            apprenticeship=apprenticeship, competency=competency, is_current=True
        ).first()
        signoff = CompetencySignOff(
            apprenticeship=apprenticeship,
            competency=competency,
            signed_off_by=signed_off_by,
            signed_off_at=timezone.now(),
            rating=rating,
            evidence=evidence,
            evidence_url=evidence_url,
            supersedes=current,
        )
        # The one-current constraint is checked by the database once `current` has stepped
        # down; checked here it would count `current`, which is still current.
        signoff.full_clean(validate_constraints=False)
        if current is not None:
            # Before the new row: one current sign-off per competency is a constraint.
            current.is_current = False
            with_reason(current, "superseded", user=signed_off_by).save(update_fields=["is_current", "updated_at"])
        with_reason(signoff, "signed off" if current is None else "signed off again", user=signed_off_by).save()
        if current is None:
            ledger.signoff_counted(apprenticeship=apprenticeship, work_process_id=competency.work_process_id)
        notices.competency_signed_off(signoff)
        milestones_reconcile(apprenticeship=apprenticeship, changed_by=signed_off_by)
    return signoff, current is None
