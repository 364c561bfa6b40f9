"""Status changes of apprenticeships, along the table of `models.agreements.STATUS_TRANSITIONS`."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.i18n import in_words
from portal.models import User
from portal.tenancy import Scope

from .. import notices, record
from ..models import (
    REQUESTABLE_TRANSITIONS,
    STATUS_TRANSITIONS,
    Apprenticeship,
    ApprenticeshipStatus,
    ExitReason,
    WageStep,
)
from .signatures import activation_errors


def apprenticeship_transition(
    *,
    scope: Scope,
    apprenticeship: Apprenticeship,
    to: str,
    reason: str,
    changed_by: User,
    effective_date: date | None = None,
    exit_reason: str = "",
) -> Apprenticeship:
    """Move the status along the table of `models.STATUS_TRANSITIONS` (the sponsor's RAPS admins);
    completion is only reached by approving the completion milestone (`apprenticeship_complete`).

    The change takes effect on `effective_date` (today when not given); a suspension says why, a
    cancellation says why in an `exit_reason` code (`models.ExitReason`) and in free text."""
    if not scope.is_raps_admin(apprenticeship.program.sponsor_id):
        raise Forbidden(_("Only the sponsor's RAPS administrators change the status."))
    effective_date = effective_date or timezone.localdate()
    reason = reason.strip()
    with transaction.atomic():
        apprenticeship = (
            Apprenticeship.objects.select_for_update(of=("self",))
            .select_related("program", "employer", "apprentice")
            .get(pk=apprenticeship.pk)
        )
        if to == ApprenticeshipStatus.COMPLETED:
            raise Conflict(_("An apprenticeship is completed only by approving its completion milestone."))
        if to not in REQUESTABLE_TRANSITIONS.get(apprenticeship.status, set()):
            raise Conflict(
                _("A %(status)s apprenticeship cannot become %(to)s.")
                % {
                    "status": in_words(ApprenticeshipStatus, apprenticeship.status),
                    "to": in_words(ApprenticeshipStatus, to),
                }
            )
        errors = _transition_errors(apprenticeship, to, reason, effective_date, exit_reason)
        if apprenticeship.status == ApprenticeshipStatus.REGISTERED and to == ApprenticeshipStatus.ACTIVE:
            # It becomes active only under an agreement signed by the three parties.
            errors.update(activation_errors(apprenticeship, by=changed_by))
        if errors:
            raise ValidationError(errors)
        if to == ApprenticeshipStatus.CANCELLED:
            apprenticeship.cancellation_reason = reason
            apprenticeship.exit_reason = exit_reason
            apprenticeship.ended_on = effective_date
            apprenticeship.cancelled_during_probation = _in_probation(apprenticeship)
        previous = apprenticeship.status
        apprenticeship.status = to
        apprenticeship.status_changed_on = effective_date
        with_reason(apprenticeship, f"{to}: {reason}" if reason else to, user=changed_by).save()
        record.apprenticeship_status_changed(apprenticeship, changed_by=changed_by)
        notices.status_changed(apprenticeship, previous, reason)
    return apprenticeship


def _transition_errors(
    apprenticeship: Apprenticeship, to: str, reason: str, effective_date: date, exit_reason: str
) -> dict[str, list[str]]:
    """What the registration agency asks of a status change, each named by its field."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    # The date a status was registered in the portal is when it was recorded, not when a change
    # took effect (an apprenticeship may be registered after it started): only the date of an
    # earlier transition bounds the next one.
    last_change = apprenticeship.status_changed_on if apprenticeship.status != ApprenticeshipStatus.REGISTERED else None
    if effective_date > today:
        errors["effective_date"] = [
            _("The change cannot take effect in the future (today is %(today)s).") % {"today": f"{today:%Y-%m-%d}"}
        ]
    elif effective_date < apprenticeship.start_date:
        errors["effective_date"] = [
            _("The change cannot take effect before the start date (%(date)s).")
            % {"date": f"{apprenticeship.start_date:%Y-%m-%d}"}
        ]
    elif last_change is not None and effective_date < last_change:
        errors["effective_date"] = [
            _("The change cannot take effect before the last status change (%(date)s).")
            % {"date": f"{last_change:%Y-%m-%d}"}
        ]
    if to == ApprenticeshipStatus.SUSPENDED and not reason:
        errors["reason"] = [_("Suspending an apprenticeship requires a reason.")]
    if to == ApprenticeshipStatus.CANCELLED:
        if not reason:
            errors["reason"] = [_("Cancelling an apprenticeship requires a reason.")]
        if not exit_reason:
            errors["exit_reason"] = [
                _("Cancelling an apprenticeship requires an exit reason: %(codes)s.") % {"codes": _exit_codes()}
            ]
        elif exit_reason not in ExitReason.values:
            errors["exit_reason"] = [_("Not an exit reason: %(codes)s.") % {"codes": _exit_codes()}]
    elif exit_reason:
        errors["exit_reason"] = [_("Only a cancellation takes an exit reason.")]
    return errors


def _exit_codes() -> str:
    return ", ".join(ExitReason.values)


def _in_probation(apprenticeship: Apprenticeship) -> bool:
    approved = record.approved_ojt_hours(apprenticeship) + apprenticeship.ojt_credit_hours
    return approved < apprenticeship.program.probation_hours


def apprenticeship_complete(*, apprenticeship: Apprenticeship, changed_by: User) -> Apprenticeship:
    """Complete the (locked) apprenticeship: called by the approval of its completion milestone,
    the only way to complete one."""
    if ApprenticeshipStatus.COMPLETED not in STATUS_TRANSITIONS[apprenticeship.status]:
        raise Conflict(
            _("A %(status)s apprenticeship cannot be completed.")
            % {"status": in_words(ApprenticeshipStatus, apprenticeship.status)}
        )
    previous = apprenticeship.status
    apprenticeship.status = ApprenticeshipStatus.COMPLETED
    apprenticeship.status_changed_on = apprenticeship.ended_on = timezone.localdate()
    with_reason(apprenticeship, "completed: completion milestone approved", user=changed_by).save()
    record.apprenticeship_status_changed(apprenticeship, changed_by=changed_by)
    notices.status_changed(apprenticeship, previous, "completion milestone approved")
    return apprenticeship


def apprenticeship_wage_step_reached(
    *, apprenticeship: Apprenticeship, wage_step: WageStep, changed_by: User, reason: str = ""
) -> None:
    """The (locked) apprenticeship moves up to `wage_step`, never down: called by the approval of
    a wage-step milestone, and of the completion milestone (to the last step reached)."""
    current = apprenticeship.current_wage_step
    if current is None or current.starts_at_ojt_hours < wage_step.starts_at_ojt_hours:
        apprenticeship.current_wage_step = wage_step
        with_reason(apprenticeship, reason or f"wage step: {wage_step.name}", user=changed_by).save()
