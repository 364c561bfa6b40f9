"""Milestones: reached when the record reaches a definition (in the transaction of the change),
withdrawn when it no longer does, and decided by the sponsor's RAPS admins. Approving a wage step
moves the apprentice's wage step, approving completion completes the apprenticeship: both
through the apprenticeships app's services. An apprenticeship that ends leaves nothing to
decide: completing it supersedes its other pending milestones, cancelling it withdraws them.
Many at once (the reconciling of a bulk decision of hours, the bulk decisions of milestones) are
in milestones_bulk.py, by these same rules.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from apprenticeships.models import (
    OPEN_STATUSES,
    Apprenticeship,
    ApprenticeshipStatus,
    Competency,
    MilestoneDefinition,
    MilestoneKind,
)
from apprenticeships.services import apprenticeship_complete, apprenticeship_wage_step_reached
from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.i18n import in_words
from portal.models import User
from portal.tasks import enqueue_on_commit
from portal.tenancy import Scope

from .. import notices
from ..models import CLOSED_STATUSES, HourTotals, Milestone, MilestoneStatus, WorkProcessTotal
from ..packet.tasks import issue_completion_packet, issue_due_credentials
from .reviews import wage_step_review_error, wage_step_review_missing


class Words:
    """The figures that reached a milestone, in words: English as a string (history's reasons),
    and called, in the active language (the notices: notify builds them per language)."""

    def __init__(self, text: str, **figures):
        self.text, self.figures = text, figures

    def __str__(self) -> str:
        return self.text % self.figures

    def __call__(self) -> str:
        return gettext(self.text) % self.figures


def _milestone_state(
    apprenticeship: Apprenticeship, definition: MilestoneDefinition, figures: dict
) -> tuple[bool, str, Words]:
    """(reached, basis, the figures in words) of one definition for the apprenticeship."""
    ojt, rti = figures["ojt"], figures["rti"]
    kind = definition.kind
    if kind in (MilestoneKind.OJT_HOURS, MilestoneKind.PROBATION, MilestoneKind.WAGE_STEP):
        return (
            ojt >= definition.threshold_hours,
            f"ojt={ojt}",
            Words(
                gettext_noop("%(ojt)s OJT hours (threshold %(threshold)s)"),
                ojt=ojt,
                threshold=definition.threshold_hours,
            ),
        )
    if kind == MilestoneKind.RTI_HOURS:
        return (
            rti >= definition.threshold_hours,
            f"rti={rti}",
            Words(
                gettext_noop("%(rti)s RTI hours (threshold %(threshold)s)"),
                rti=rti,
                threshold=definition.threshold_hours,
            ),
        )
    if kind == MilestoneKind.WORK_PROCESS_COMPETENCIES:
        done, required = (
            figures["signed_off"].get(definition.work_process_id, 0),
            figures["required"].get(definition.work_process_id, 0),
        )
        return (
            required > 0 and done >= required,
            f"signed_off={done}",
            Words(gettext_noop("%(done)s of %(required)s competencies signed off"), done=done, required=required),
        )
    program = apprenticeship.program
    signed, required = sum(figures["signed_off"].values()), sum(figures["required"].values())
    reached = ojt >= program.ojt_hours_required and rti >= program.rti_hours_required and signed >= required
    return (
        reached,
        f"ojt={ojt};rti={rti};signed_off={signed}",
        Words(
            gettext_noop(
                "%(ojt)s of %(ojt_required)s OJT hours, %(rti)s of %(rti_required)s RTI hours, "
                "%(signed)s of %(required)s competencies"
            ),
            ojt=ojt,
            ojt_required=program.ojt_hours_required,
            rti=rti,
            rti_required=program.rti_hours_required,
            signed=signed,
            required=required,
        ),
    )


def _figures(apprenticeship: Apprenticeship) -> dict:
    totals = HourTotals.objects.filter(apprenticeship=apprenticeship).first() or HourTotals()
    return {
        "ojt": totals.ojt_approved + apprenticeship.ojt_credit_hours,
        "rti": totals.rti_approved + apprenticeship.rti_credit_hours,
        "signed_off": dict(
            WorkProcessTotal.objects.filter(apprenticeship=apprenticeship).values_list(
                "work_process_id", "competencies_signed_off"
            )
        ),
        "required": dict(
            Competency.objects.filter(work_process__program_id=apprenticeship.program_id)
            .values("work_process_id")
            .annotate(n=Count("id"))
            .values_list("work_process_id", "n")
        ),
    }


def milestones_reconcile(*, apprenticeship: Apprenticeship, changed_by: User | None = None) -> list[Milestone]:
    """Create a pending milestone for every definition the apprenticeship's data now reaches, and
    withdraw pending ones it no longer reaches. Called in the transaction of the change that
    moved the data (hours approved or voided, sign-offs, credit), with the apprenticeship locked.

    A rejected milestone is reached again only when the figures that reached it changed; an
    approved one is a decision and stays.
    """
    if apprenticeship.status not in OPEN_STATUSES:
        return []
    # The data moved: a work process may be complete now (its interim credential, after commit).
    enqueue_on_commit(issue_due_credentials, str(apprenticeship.pk))
    figures = _figures(apprenticeship)
    latest: dict = {}
    for milestone in Milestone.objects.filter(apprenticeship=apprenticeship).order_by("reached_at"):
        latest[milestone.definition_id] = milestone
    reached_now = []
    for definition in MilestoneDefinition.objects.filter(program_id=apprenticeship.program_id):
        reached, basis, words = _milestone_state(apprenticeship, definition, figures)
        previous = latest.get(definition.pk)
        if reached and (
            previous is None
            or previous.status == MilestoneStatus.WITHDRAWN
            or (previous.status == MilestoneStatus.REJECTED and previous.basis != basis)
        ):
            milestone = with_reason(
                Milestone(apprenticeship=apprenticeship, definition=definition, reached_at=timezone.now(), basis=basis),
                f"reached: {words}",
                user=changed_by,
            )
            milestone.save()
            notices.milestone_reached(milestone, words)
            reached_now.append(milestone)
        elif not reached and previous is not None and previous.status == MilestoneStatus.PENDING:
            previous.status = MilestoneStatus.WITHDRAWN
            previous.note = f"Withdrawn: the data that reached it changed ({words})."
            with_reason(previous, "withdrawn: no longer reached", user=changed_by).save()
    return reached_now


def _locked_milestone(milestone: Milestone) -> tuple[Milestone, Apprenticeship]:
    apprenticeship = (
        Apprenticeship.objects.select_for_update(of=("self",))
        .select_related("program", "employer", "apprentice")
        .get(pk=milestone.apprenticeship_id)
    )
    return Milestone.objects.select_for_update(of=("self",)).select_related("definition__wage_step").get(
        pk=milestone.pk
    ), apprenticeship


def _check_decider(scope: Scope, apprenticeship: Apprenticeship) -> None:
    if not scope.is_raps_admin(apprenticeship.program.sponsor_id):
        raise Forbidden(_("Only the sponsor's RAPS administrators approve or reject milestones."))


def _check_pending(milestone: Milestone) -> None:
    """Only a pending milestone is decided (409 otherwise); a closed one says why it was closed."""
    if milestone.status in CLOSED_STATUSES:
        raise Conflict(
            _("This milestone is %(status)s and closed: %(note)s Only a pending milestone is decided.")
            % {
                "status": in_words(MilestoneStatus, milestone.status),
                "note": milestone.note or _("it is no longer reached."),
            }
        )
    if milestone.status != MilestoneStatus.PENDING:
        raise Conflict(
            _("This milestone is %(status)s: only a pending milestone is decided.")
            % {"status": in_words(MilestoneStatus, milestone.status)}
        )


# What the answer to a decision names of each milestone (MilestoneSerializer), read inside the
# decision's transaction: a committed decision needs the database no more to answer (as
# services/hours.py ANSWER_RELATIONS).
ANSWER_RELATIONS = ("definition", "program", "employer", "apprenticeship__apprentice")


def _answerable(milestones: list[Milestone]) -> None:
    prefetch_related_objects(milestones, *ANSWER_RELATIONS)


def milestone_approve(*, scope: Scope, milestone: Milestone, decided_by: User, note: str = "") -> Milestone:
    """Approve a pending milestone. A wage step moves the apprentice's current wage step; the
    completion milestone completes the apprenticeship (the only way to complete it)."""
    with transaction.atomic():
        milestone, apprenticeship = _locked_milestone(milestone)
        _check_decider(scope, apprenticeship)
        _check_pending(milestone)
        if apprenticeship.status not in OPEN_STATUSES:
            raise Conflict(
                _("A %(status)s apprenticeship is final: its milestones are not decided.")
                % {"status": in_words(ApprenticeshipStatus, apprenticeship.status)}
            )
        milestone.apprenticeship = apprenticeship
        if wage_step_review_missing([milestone]):  # the program's wage-step gate (services/reviews.py)
            raise wage_step_review_error()
        milestone.status, milestone.decided_by, milestone.decided_at, milestone.note = (
            MilestoneStatus.APPROVED,
            decided_by,
            timezone.now(),
            note.strip(),
        )
        with_reason(milestone, "approved", user=decided_by).save()
        definition = milestone.definition
        if definition.kind == MilestoneKind.WAGE_STEP:
            # A wage-step definition names its step (constraint milestone_definition_wage_step_fits_kind).
            assert definition.wage_step is not None
            apprenticeship_wage_step_reached(
                apprenticeship=apprenticeship, wage_step=definition.wage_step, changed_by=decided_by
            )
        elif definition.kind == MilestoneKind.COMPLETION:
            _wage_step_at_completion(apprenticeship, changed_by=decided_by)
            apprenticeship_complete(apprenticeship=apprenticeship, changed_by=decided_by)
            enqueue_on_commit(issue_completion_packet, str(apprenticeship.pk))  # its transcript and application
        notices.milestone_decided(milestone)
        _answerable([milestone])
    return milestone


def _wage_step_at_completion(apprenticeship: Apprenticeship, *, changed_by: User) -> None:
    """Completing moves the (locked) apprenticeship to the last wage step it reached: the highest
    step of the program's wage-step milestones whose threshold the figures (with credit) reach,
    whether its milestone was approved or is still pending (it is superseded next)."""
    figures = _figures(apprenticeship)
    reached = [
        definition.wage_step
        for definition in MilestoneDefinition.objects.filter(
            program_id=apprenticeship.program_id, kind=MilestoneKind.WAGE_STEP
        ).select_related("wage_step")
        if definition.wage_step is not None and _milestone_state(apprenticeship, definition, figures)[0]
    ]
    if reached:
        step = max(reached, key=lambda wage_step: wage_step.starts_at_ojt_hours)
        apprenticeship_wage_step_reached(
            apprenticeship=apprenticeship,
            wage_step=step,
            changed_by=changed_by,
            reason=f"wage step: {step.name} (the last step reached, at completion)",
        )


def milestone_reject(*, scope: Scope, milestone: Milestone, decided_by: User, reason: str) -> Milestone:
    if not reason.strip():
        raise ValidationError({"reason": [_("A rejection says why.")]})
    with transaction.atomic():
        milestone, apprenticeship = _locked_milestone(milestone)
        _check_decider(scope, apprenticeship)
        _check_pending(milestone)
        milestone.status, milestone.decided_by, milestone.decided_at, milestone.note = (
            MilestoneStatus.REJECTED,
            decided_by,
            timezone.now(),
            reason.strip(),
        )
        with_reason(milestone, f"rejected: {reason.strip()}", user=decided_by).save()
        notices.milestone_decided(milestone)
        _answerable([milestone])
    return milestone


def milestones_close_open(
    *, apprenticeship: Apprenticeship, changed_by: User, status: str, note: str, reason: str
) -> int:
    """Nothing is left to decide on an apprenticeship that ended: its pending milestones are
    closed as `status` (superseded on completion, withdrawn on cancellation), with `note` saying
    why (and `reason` in their history). Approved and rejected ones are decisions and stay.
    Returns how many were closed."""
    assert status in CLOSED_STATUSES
    closed = 0
    for milestone in Milestone.objects.filter(apprenticeship=apprenticeship, status=MilestoneStatus.PENDING):
        milestone.status, milestone.note = status, note
        with_reason(milestone, reason, user=changed_by).save()
        closed += 1
    return closed
