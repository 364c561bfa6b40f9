"""Milestones many at once: reconciling every apprenticeship of a bulk decision of hours, and
the bulk decisions of milestones, each as services/milestones.py does one, in a fixed number of
queries however many. The refusals by id (RefusedItems) are those of every bulk decision.
"""

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
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
from portal.history import bulk_create_with_history, bulk_update_with_history, with_reason
from portal.i18n import in_words
from portal.models import User
from portal.tasks import enqueue_on_commit
from portal.tenancy import Scope

from .. import notices
from ..models import HourTotals, Milestone, MilestoneStatus, WorkProcessTotal
from ..packet.tasks import issue_completion_packet, issue_due_credentials
from ..selectors import copy_keyed_scope_filter
from .milestones import Words, _answerable, _check_decider, _milestone_state
from .reviews import wage_step_review_error, wage_step_review_missing

# --- the milestones of many apprenticeships: a bulk decision of hours reconciles them all ------


def _figures_of_all(apprenticeships) -> dict:
    """`_figures` of each apprenticeship, {id: figures}, in four queries for all of them."""
    ids = [apprenticeship.pk for apprenticeship in apprenticeships]
    # Of the running totals, only the approved hours (a whole row is twenty columns to read).
    totals = {
        apprenticeship_id: (ojt, rti)
        for apprenticeship_id, ojt, rti in HourTotals.objects.filter(apprenticeship_id__in=ids).values_list(
            "apprenticeship_id", "ojt_approved", "rti_approved"
        )
    }
    none = HourTotals()
    signed_off: dict = defaultdict(dict)
    for apprenticeship_id, work_process_id, done in WorkProcessTotal.objects.filter(
        apprenticeship_id__in=ids
    ).values_list("apprenticeship_id", "work_process_id", "competencies_signed_off"):
        signed_off[apprenticeship_id][work_process_id] = done
    required: dict = defaultdict(dict)
    for program_id, work_process_id, n in (
        Competency.objects.filter(work_process__program_id__in={a.program_id for a in apprenticeships})
        .values("work_process__program_id", "work_process_id")
        .annotate(n=Count("id"))
        .values_list("work_process__program_id", "work_process_id", "n")
    ):
        required[program_id][work_process_id] = n
    figures = {}
    for apprenticeship in apprenticeships:
        ojt, rti = totals.get(apprenticeship.pk, (none.ojt_approved, none.rti_approved))
        figures[apprenticeship.pk] = {
            "ojt": ojt + apprenticeship.ojt_credit_hours,
            "rti": rti + apprenticeship.rti_credit_hours,
            "signed_off": signed_off[apprenticeship.pk],
            "required": required[apprenticeship.program_id],
        }
    return figures


def milestones_reconcile_all(*, apprenticeships, changed_by: User | None = None) -> list[Milestone]:
    """`milestones_reconcile` of several apprenticeships (locked, as the hours' lock loads them),
    in a fixed number of queries for all of them: the figures, the milestones and the
    definitions read once, the reached ones written in one INSERT (and one of history), the
    withdrawn in one UPDATE (and one of history), and who is told of the reached ones as one at
    a time tells them, in one write of the notices (`notices.milestones_reached`)."""
    apprenticeships = [a for a in apprenticeships if a.status in OPEN_STATUSES]
    if not apprenticeships:
        return []
    enqueue_on_commit(issue_due_credentials, *(str(apprenticeship.pk) for apprenticeship in apprenticeships))
    figures = _figures_of_all(apprenticeships)
    latest: dict = {}
    for milestone in Milestone.objects.filter(apprenticeship_id__in=[a.pk for a in apprenticeships]).order_by(
        "reached_at"
    ):
        latest[(milestone.apprenticeship_id, milestone.definition_id)] = milestone
    definitions = defaultdict(list)
    for definition in MilestoneDefinition.objects.filter(program_id__in={a.program_id for a in apprenticeships}):
        definitions[definition.program_id].append(definition)
    now = timezone.now()
    reached_now: list[tuple[Milestone, Words]] = []
    withdrawn: list[Milestone] = []
    for apprenticeship in apprenticeships:
        for definition in definitions[apprenticeship.program_id]:
            reached, basis, words = _milestone_state(apprenticeship, definition, figures[apprenticeship.pk])
            previous = latest.get((apprenticeship.pk, definition.pk))
            if reached and (
                previous is None
                or previous.status == MilestoneStatus.WITHDRAWN
                or (previous.status == MilestoneStatus.REJECTED and previous.basis != basis)
            ):
                milestone = Milestone(
                    apprenticeship=apprenticeship,
                    definition=definition,
                    program_id=apprenticeship.program_id,
                    employer_id=apprenticeship.employer_id,
                    reached_at=now,
                    basis=basis,
                )
                reached_now.append((with_reason(milestone, f"reached: {words}", user=changed_by), words))
            elif not reached and previous is not None and previous.status == MilestoneStatus.PENDING:
                previous.status = MilestoneStatus.WITHDRAWN
                previous.note = f"Withdrawn: the data that reached it changed ({words})."
                previous.updated_at = now
                withdrawn.append(with_reason(previous, "withdrawn: no longer reached", user=changed_by))
    if withdrawn:
        bulk_update_with_history(withdrawn, Milestone, ["status", "note", "updated_at"], default_user=changed_by)
    if reached_now:
        bulk_create_with_history([milestone for milestone, _ in reached_now], Milestone, default_user=changed_by)
        notices.milestones_reached(reached_now)
    return [milestone for milestone, _ in reached_now]


# --- the bulk decisions (a fixed number of queries however many) ------------------------------


def check_ids_once(ids) -> None:
    """A bulk decision names each record once (a ValidationError on `ids`)."""
    repeated = sorted(str(pk) for pk, n in Counter(ids).items() if n > 1)
    if repeated:
        raise ValidationError({"ids": [_("Each id is sent once; repeated: %(ids)s.") % {"ids": ", ".join(repeated)}]})


class RefusedItems(Exception):
    """Items of a bulk decision were refused: {id: {field: [messages]}}; nothing was written.
    `status` is the answer's: 400 when an id is not found (or is out of the caller's scope),
    else 403 when the caller may not decide one, else 409 (one is decided already): what a
    single decision of the worst of them answers."""

    def __init__(self, errors: dict, status: int):
        super().__init__("items refused")
        self.errors, self.status = errors, status


def refuse_items(ids, found: dict, refuse) -> None:
    """Raise RefusedItems for the `ids` not among `found` ({id: record}) and those that
    `refuse(record)` refuses (it raises Forbidden or Conflict); return when none is."""
    errors: dict = {}
    statuses = set()
    for pk in ids:
        record = found.get(pk)
        if record is None:
            errors[str(pk)] = {"id": [_("Not found.")]}
            statuses.add(400)
            continue
        try:
            refuse(record)
        except ValidationError as error:
            errors[str(pk)] = error.message_dict
            statuses.add(400)
        except Forbidden as error:
            errors[str(pk)] = {"id": [error.message]}
            statuses.add(403)
        except Conflict as error:
            errors[str(pk)] = {"status": [error.message]}
            statuses.add(409)
    if errors:
        raise RefusedItems(errors, min(statuses))


def _milestones_decide_all(*, scope: Scope, ids, decided_by: User, status: str, note: str) -> list[Milestone]:
    check_ids_once(ids)
    with transaction.atomic():
        # Found within the scope (an id out of it is not found), then locked: the apprenticeships
        # and then the milestones, each in id order, as one decision locks them.
        found = dict(
            Milestone.objects.filter(pk__in=ids)
            .filter(copy_keyed_scope_filter(scope))
            .values_list("pk", "apprenticeship_id")
        )
        apprenticeships = {
            a.pk: a
            for a in Apprenticeship.objects.select_for_update(of=("self",))
            .select_related("program", "employer", "apprentice")
            .filter(pk__in=set(found.values()))
            .order_by("pk")
        }
        milestones = {
            m.pk: m
            for m in Milestone.objects.select_for_update(of=("self",))
            .select_related("definition__wage_step")
            .filter(pk__in=list(found))
            .order_by("pk")
        }

        for milestone in milestones.values():
            milestone.apprenticeship = apprenticeships[milestone.apprenticeship_id]
        ungated = set() if status != MilestoneStatus.APPROVED else wage_step_review_missing(list(milestones.values()))

        def refuse(milestone):
            apprenticeship = apprenticeships[milestone.apprenticeship_id]
            _check_decider(scope, apprenticeship)
            if milestone.status != MilestoneStatus.PENDING:
                raise Conflict(
                    _("This milestone is %(status)s: only a pending milestone is decided.")
                    % {"status": in_words(MilestoneStatus, milestone.status)}
                )
            if apprenticeship.status not in OPEN_STATUSES:
                raise Conflict(
                    _("A %(status)s apprenticeship is final: its milestones are not decided.")
                    % {"status": in_words(ApprenticeshipStatus, apprenticeship.status)}
                )
            if milestone.pk in ungated:
                raise wage_step_review_error()

        refuse_items(ids, milestones, refuse)
        now = timezone.now()
        decided = [milestones[pk] for pk in sorted(milestones)]
        reason = "approved" if status == MilestoneStatus.APPROVED else f"rejected: {note}"
        for milestone in decided:
            milestone.apprenticeship = apprenticeships[milestone.apprenticeship_id]
            milestone.status, milestone.decided_by, milestone.decided_at, milestone.note = (
                status,
                decided_by,
                now,
                note,
            )
            milestone.updated_at = now
            with_reason(milestone, reason, user=decided_by)
        bulk_update_with_history(
            decided, Milestone, ["status", "decided_by", "decided_at", "note", "updated_at"], default_user=decided_by
        )
        if status == MilestoneStatus.APPROVED:
            # What an approval moves in the agreement, one apprenticeship at a time (these are the
            # rare milestones): wage steps in the order of their thresholds, completion last.
            order: dict[str, int] = {MilestoneKind.WAGE_STEP: 0, MilestoneKind.COMPLETION: 1}
            moving = sorted(
                (m for m in decided if m.definition.kind in order),
                key=lambda m: (order[m.definition.kind], m.definition.threshold_hours or 0),
            )
            for milestone in moving:
                definition = milestone.definition
                if definition.kind == MilestoneKind.WAGE_STEP:
                    assert definition.wage_step is not None
                    apprenticeship_wage_step_reached(
                        apprenticeship=milestone.apprenticeship, wage_step=definition.wage_step, changed_by=decided_by
                    )
                else:
                    apprenticeship_complete(apprenticeship=milestone.apprenticeship, changed_by=decided_by)
                    enqueue_on_commit(issue_completion_packet, str(milestone.apprenticeship.pk))
        notices.milestones_decided(decided)
        _answerable(decided)
    return decided


def milestones_approve_all(*, scope: Scope, ids, decided_by: User, note: str = "") -> list[Milestone]:
    """Approve every milestone of `ids`, or none (RefusedItems, by id): as `milestone_approve`
    one by one, in one transaction and a fixed number of queries (but for each wage step and
    completion approved, whose moves are the agreement's)."""
    return _milestones_decide_all(
        scope=scope, ids=ids, decided_by=decided_by, status=MilestoneStatus.APPROVED, note=note.strip()
    )


def milestones_reject_all(*, scope: Scope, ids, decided_by: User, reason: str) -> list[Milestone]:
    """Reject every milestone of `ids` with the one reason, or none (RefusedItems, by id)."""
    if not reason.strip():
        raise ValidationError({"reason": [_("A rejection says why.")]})
    return _milestones_decide_all(
        scope=scope, ids=ids, decided_by=decided_by, status=MilestoneStatus.REJECTED, note=reason.strip()
    )
