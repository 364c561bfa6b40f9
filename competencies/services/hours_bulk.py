"""Writes of many hour logs at once: logging all of a bulk (or of an import), and the bulk
decisions. Each item is checked by the rules of services/hours.py, as one write of it would be,
and the request writes every item or none; each costs a fixed number of queries however many
items it holds.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apprenticeships.selectors import employer_keyed_scope_filter
from portal.errors import Conflict, Forbidden
from portal.history import bulk_update_with_history, with_reason
from portal.i18n import in_words
from portal.models import User
from portal.tenancy import Scope

from .. import ledger, notices
from ..models import HourLog, HourLogStatus
from .hours import (
    HourEntry,
    _after_write,
    _answerable,
    _check_move,
    _check_reviewer,
    _create,
    _found,
    _processes_named_by,
)
from .milestones_bulk import check_ids_once, milestones_reconcile_all, refuse_items


class ItemErrors(Exception):
    """Several items of one request failed: {position: {field: [messages]}}. Nothing was written."""

    def __init__(self, errors: dict):
        super().__init__("items failed")
        self.errors = errors


def hour_logs_create_all(
    *, scope: Scope, logged_by: User, entries: list[HourEntry], check_only: bool = False, hour_import=None
) -> list[HourLog]:
    """Write every entry or none. The errors of each failing entry come back by position, also
    for entries that break a rule only together (two that add up to more than 24 h a day).
    `check_only` runs every rule and writes nothing, to report all errors of a request at once.
    `hour_import`: the import (HourImport) the logs are written by, which each log names."""
    errors: dict[int, dict] = {}
    logs: list[HourLog] = []
    with transaction.atomic():
        locked = ledger.lock_all([entry.apprenticeship_id for entry in entries], scope=scope)
        processes = _processes_named_by(entries, locked)
        for position, entry in enumerate(entries):
            try:
                apprenticeship, work_process_id = _found(entry, locked, processes)
                logs.append(
                    _create(
                        scope=scope,
                        logged_by=logged_by,
                        entry=entry,
                        apprenticeship=apprenticeship,
                        work_process_id=work_process_id,
                        hour_import=hour_import,
                    )
                )
            except ValidationError as error:
                errors[position] = error.message_dict
            except (Conflict, Forbidden) as error:
                errors[position] = {"apprenticeship": [error.message]}
        if errors or check_only:
            transaction.set_rollback(True)
        else:
            _after_write(logs, locked.values(), logged_by)
            _answerable(logs)
    if errors:
        raise ItemErrors(errors)
    return logs


# --- the bulk decisions (a fixed number of queries however many) ------------------------------

# What a bulk decision reads of the logs it locks: every column (the answer names them all), and
# of their work processes only the title (the answer's name; the other columns of 200 rows cost
# more than the query).
_LOG_COLUMNS = [field.name for field in HourLog._meta.concrete_fields]


def _hour_logs_decide_all(*, scope: Scope, ids, reviewer: User, to: str, reason: str = "") -> list[HourLog]:
    """Decide every submitted log of `ids` (`to`: approved or rejected), or none: each refused
    one by id (RefusedItems), found and checked as `hour_log_approve` finds and checks one."""
    check_ids_once(ids)
    with transaction.atomic():
        # Found within the caller's read scope (an id out of it is not found, as a single
        # decision's 404), and locked as one decision locks: the apprenticeships and their
        # apprentices (ledger.lock_all, in id order, found by the logs inside its statement),
        # then the logs in id order, so that a bulk and a single decision take turns and never
        # both decide a log. A log's apprenticeship and employer never change: the two reads of
        # the logs find the same ones (but for one committed between them, whose apprenticeship
        # the first did not lock: it is not found, as it was not when the request began).
        in_scope = HourLog.objects.filter(pk__in=ids).filter(employer_keyed_scope_filter(scope))
        locked = ledger.lock_all(in_scope.values("apprenticeship_id"), apart=True)
        # The work processes' titles come with the lock (the answer names them); the author
        # and the employer are, but for a rare log, the apprentice and the employer the lock
        # loaded (`_answerable` reads the others).
        logs = {
            log.pk: log
            for log in in_scope.select_for_update(of=("self",))
            .select_related("work_process")
            .only(*_LOG_COLUMNS, "work_process__title")
            .order_by("pk")
            if log.apprenticeship_id in locked
        }

        def refuse(log: HourLog) -> None:
            _check_reviewer(scope=scope, log=log, apprenticeship=locked[log.apprenticeship_id], reviewer=reviewer)
            _check_move(
                log,
                to=to,
                # Worded only for a log it refuses: the words cost more than the check.
                refusal=lambda: (
                    _("This log is %(status)s: only a submitted log is %(to)s.")
                    % {"status": in_words(HourLogStatus, log.status), "to": in_words(HourLogStatus, to)}
                ),
            )

        refuse_items(ids, logs, refuse)
        now = timezone.now()
        decided = [logs[pk] for pk in sorted(logs)]
        for log in decided:
            apprenticeship = locked[log.apprenticeship_id]
            log.apprenticeship = apprenticeship
            if log.logged_by_id == apprenticeship.apprentice_id:
                log.logged_by = apprenticeship.apprentice
            if log.employer_id == apprenticeship.employer_id:
                log.employer = apprenticeship.employer
            log.status, log.reviewed_by, log.reviewed_at, log.review_note, log.updated_at = (
                to,
                reviewer,
                now,
                reason,
                now,
            )
            with_reason(log, "approved" if to == HourLogStatus.APPROVED else f"rejected: {reason}", user=reviewer)
        bulk_update_with_history(
            decided,
            HourLog,
            ["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"],
            default_user=reviewer,
        )
        ledger.adjust_totals_all(decided, approved=to == HourLogStatus.APPROVED)
        notices.hours_decided(decided)
        if to == HourLogStatus.APPROVED:
            milestones_reconcile_all(apprenticeships=list(locked.values()), changed_by=reviewer)
        _answerable(decided)
    return decided


def hour_logs_approve_all(*, scope: Scope, ids, reviewer: User) -> list[HourLog]:
    """Approve every log of `ids`, or none (RefusedItems, by id): as `hour_log_approve` one by
    one, in one transaction and a fixed number of queries; each apprentice is told once."""
    return _hour_logs_decide_all(scope=scope, ids=ids, reviewer=reviewer, to=HourLogStatus.APPROVED)


def hour_logs_reject_all(*, scope: Scope, ids, reviewer: User, reason: str) -> list[HourLog]:
    """Reject every log of `ids` with the one reason, or none (RefusedItems, by id)."""
    if not reason.strip():
        raise ValidationError({"reason": [_("A rejection says why.")]})
    return _hour_logs_decide_all(
        scope=scope, ids=ids, reviewer=reviewer, to=HourLogStatus.REJECTED, reason=reason.strip()
    )
