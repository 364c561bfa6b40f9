"""Writes of hours, one log at a time: logging, editing or withdrawing while submitted, review
(approve, reject), voiding. Every rule of an hour log is here; the ledger (competencies/ledger.py)
locks and keeps the running totals. Many at once (all of a bulk, the bulk decisions) are in
hours_bulk.py, by these same rules.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from apprenticeships.models import (
    STATUSES_TAKING_HOURS,
    Apprenticeship,
    ApprenticeshipStatus,
)
from apprenticeships.selectors import work_process_name, work_processes_by_name
from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.i18n import in_words
from portal.models import User
from portal.tenancy import Scope

from .. import ledger, notices
from ..models import HOUR_LOG_TRANSITIONS, MAX_HOURS_PER_DAY, HourKind, HourLog, HourLogStatus
from .milestones import milestones_reconcile

QUARTER = Decimal("0.25")


@dataclass
class HourEntry:
    """One log as a client sends it, before the rules have looked at it. The apprenticeship is
    named by id, and found within the caller's scope as it is locked; the work process by its id
    or its title, among the work processes of the apprenticeship's program."""

    apprenticeship_id: UUID
    date: date
    hours: Decimal
    kind: str
    work_process: str | None = None
    course: str = ""
    instruction_provider: str = ""
    description: str = ""


def _work_process_id(entry: HourEntry, apprenticeship: Apprenticeship, processes: dict) -> UUID | None:
    """The id of the work process `entry` names (None when it names none), from
    `work_processes_by_name`; ValidationError when its program has no such work process."""
    if entry.work_process in (None, ""):
        return None
    found = processes.get(apprenticeship.program_id, {}).get(work_process_name(entry.work_process))
    if found is None:
        raise ValidationError({"work_process": [_("Not a work process of the apprenticeship's program.")]})
    return found


def _found(entry: HourEntry, locked: dict, processes: dict) -> tuple[Apprenticeship, UUID | None]:
    """The entry's apprenticeship among the `locked` ones and its work process's id; a
    ValidationError on the field that names a record that is not found."""
    apprenticeship = locked.get(entry.apprenticeship_id)
    if apprenticeship is None:
        raise ValidationError({"apprenticeship": [_("Not found.")]})
    return apprenticeship, _work_process_id(entry, apprenticeship, processes)


def _processes_named_by(entries, locked: dict) -> dict:
    """The work processes of the programs of the entries that name one (no query when none does)."""
    programs = {
        locked[entry.apprenticeship_id].program_id
        for entry in entries
        if entry.work_process not in (None, "") and entry.apprenticeship_id in locked
    }
    return work_processes_by_name(program_ids=programs) if programs else {}


def _check_takes_hours(apprenticeship: Apprenticeship) -> None:
    if apprenticeship.status not in STATUSES_TAKING_HOURS:
        raise Conflict(
            _("A %(status)s apprenticeship takes no new hours.")
            % {"status": in_words(ApprenticeshipStatus, apprenticeship.status)}
        )


def _entry_errors(entry: HourEntry, apprenticeship: Apprenticeship, work_process_id, *, exclude_log_id=None) -> dict:
    """The rules of one log, on the locked apprenticeship and the work process found for it.
    Returns {field: [messages]}."""
    errors: dict[str, list[str]] = {}
    hours = entry.hours
    if hours <= 0 or hours > MAX_HOURS_PER_DAY:
        errors["hours"] = [_("Hours are more than 0 and at most 24.")]
    elif hours % QUARTER:
        errors["hours"] = [_("Hours are logged in quarter hours (.00, .25, .50, .75).")]
    today = timezone.localdate()
    if entry.date > today:
        errors["date"] = [_("Hours cannot be logged for a future date.")]
    elif entry.date < apprenticeship.start_date:
        errors["date"] = [
            _("The date is before the apprenticeship's start date (%(date)s).")
            % {"date": f"{apprenticeship.start_date:%Y-%m-%d}"}
        ]
    elif apprenticeship.ended_on and entry.date > apprenticeship.ended_on:
        errors["date"] = [
            _("The date is after the apprenticeship ended (%(date)s).")
            % {"date": f"{apprenticeship.ended_on:%Y-%m-%d}"}
        ]
    if entry.kind == HourKind.OJT and work_process_id is None:
        errors["work_process"] = [_("An OJT log names the work process.")]
    elif entry.kind != HourKind.OJT and work_process_id is not None:
        errors["work_process"] = [_("An RTI log names no work process.")]
    if "hours" not in errors and "date" not in errors:
        logged = ledger.hours_counted_on(
            apprentice_id=apprenticeship.apprentice_id, day=entry.date, except_log_id=exclude_log_id
        )
        if logged + hours > MAX_HOURS_PER_DAY:
            errors["hours"] = [
                f"{logged} h are already logged on {entry.date:%Y-%m-%d}: at most {MAX_HOURS_PER_DAY - logged} h more that day."
            ]
    return errors


def _status_on_entry(*, scope: Scope, apprenticeship: Apprenticeship, kind: str) -> str:
    """Who logs what (docs/domain.md): the apprentice submits; employer staff log OJT and the sponsor's
    RAPS admins log RTI, approved on entry because they attest them."""
    if apprenticeship.apprentice_id == scope.user_id:
        return HourLogStatus.SUBMITTED
    if kind == HourKind.OJT and scope.is_employer_staff(apprenticeship.employer_id, apprenticeship.program.sponsor_id):
        return HourLogStatus.APPROVED
    if kind == HourKind.RTI and scope.is_raps_admin(apprenticeship.program.sponsor_id):
        return HourLogStatus.APPROVED
    if kind == HourKind.OJT:
        raise Forbidden(_("On-the-job hours are logged by the employer's staff or submitted by the apprentice."))
    raise Forbidden(
        _("Related-instruction hours are logged by the sponsor's RAPS administrators or submitted by the apprentice.")
    )


def _create(
    *,
    scope: Scope,
    logged_by: User,
    entry: HourEntry,
    apprenticeship: Apprenticeship,
    work_process_id: UUID | None,
    hour_import=None,
) -> HourLog:
    status = _status_on_entry(scope=scope, apprenticeship=apprenticeship, kind=entry.kind)
    _check_takes_hours(apprenticeship)
    errors = _entry_errors(entry, apprenticeship, work_process_id)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    approved = status == HourLogStatus.APPROVED
    log = HourLog(
        apprenticeship=apprenticeship,
        employer=apprenticeship.employer,  # loaded with the lock: the answer names it
        date=entry.date,
        hours=entry.hours,
        kind=entry.kind,
        work_process_id=work_process_id,
        course=entry.course,
        instruction_provider=entry.instruction_provider,
        description=entry.description,
        logged_by=logged_by,
        status=status,
        reviewed_by=logged_by if approved else None,
        reviewed_at=now if approved else None,
        hour_import=hour_import,
    )
    with_reason(log, "logged and approved on entry" if approved else "submitted for approval", user=logged_by).save()
    ledger.adjust_totals(
        log,
        approved=log.hours if approved else Decimal("0"),
        pending=Decimal("0") if approved else log.hours,
        new=True,
    )
    return log


def _after_write(logs: list[HourLog], apprenticeships, changed_by: User) -> None:
    """In the write's transaction: tell who must know, and reach the milestones the hours reach."""
    notices.hours_written(logs)
    if any(log.status == HourLogStatus.APPROVED for log in logs):
        for apprenticeship in apprenticeships:
            milestones_reconcile(apprenticeship=apprenticeship, changed_by=changed_by)


# What the answer to a write names of each log (HourLogSerializer). Read inside the write's
# transaction (what is already loaded is not read again): a write that committed needs the
# database no more to answer, so a connection lost after the commit cannot turn its success
# into an error (docs/api.md, "Errors": 503).
ANSWER_RELATIONS = (
    "work_process",
    "employer",
    "logged_by",
    "reviewed_by",
    "apprenticeship__apprentice",
    "apprenticeship__program",
)


def _answerable(logs: list[HourLog]) -> None:
    prefetch_related_objects(logs, *ANSWER_RELATIONS)


def hour_log_create(*, scope: Scope, logged_by: User, entry: HourEntry) -> HourLog:
    with transaction.atomic():
        locked = ledger.lock_all([entry.apprenticeship_id], scope=scope)
        apprenticeship, work_process_id = _found(entry, locked, _processes_named_by([entry], locked))
        log = _create(
            scope=scope,
            logged_by=logged_by,
            entry=entry,
            apprenticeship=apprenticeship,
            work_process_id=work_process_id,
        )
        _after_write([log], [apprenticeship], logged_by)
        _answerable([log])
    return log


def hour_log_update(*, scope: Scope, log: HourLog, changed_by: User, changes: dict) -> HourLog:
    """The author changes a log while it waits for approval; nothing else changes a log."""
    with transaction.atomic():
        apprenticeship = ledger.lock(log.apprenticeship)
        log = HourLog.objects.select_for_update().get(pk=log.pk)
        if log.logged_by_id != changed_by.pk:
            raise Forbidden(_("Only the author changes a submitted log."))
        # A log is changed only while it awaits its review: while the table still lets it be approved.
        _check_move(
            log,
            to=HourLogStatus.APPROVED,
            refusal=_("An approved log is never changed.")
            if log.status == HourLogStatus.APPROVED
            else _("A %(status)s log is never changed.") % {"status": in_words(HourLogStatus, log.status)},
        )
        _check_takes_hours(apprenticeship)
        entry = HourEntry(
            apprenticeship_id=apprenticeship.pk,
            date=changes.get("date", log.date),
            hours=changes.get("hours", log.hours),
            kind=changes.get("kind", log.kind),
            work_process=changes.get("work_process", log.work_process_id),
            course=changes.get("course", log.course),
            instruction_provider=changes.get("instruction_provider", log.instruction_provider),
            description=changes.get("description", log.description),
        )
        work_process_id = (
            _work_process_id(entry, apprenticeship, _processes_named_by([entry], {apprenticeship.pk: apprenticeship}))
            if "work_process" in changes
            else log.work_process_id
        )
        errors = _entry_errors(entry, apprenticeship, work_process_id, exclude_log_id=log.pk)
        if errors:
            raise ValidationError(errors)
        ledger.adjust_totals(log, pending=-log.hours)
        for name in ("date", "hours", "kind", "course", "instruction_provider", "description"):
            setattr(log, name, getattr(entry, name))
        log.work_process_id = work_process_id
        with_reason(log, "changed while submitted", user=changed_by).save()
        ledger.adjust_totals(log, pending=log.hours)
        _answerable([log])
    return log


def hour_log_withdraw(*, scope: Scope, log: HourLog, withdrawn_by: User) -> HourLog:
    """The author takes back a log still waiting for its review (their own mistake): it is kept,
    withdrawn, and leaves the pending totals and the day's 24 hours."""
    with transaction.atomic():
        log, apprenticeship = _locked_log(log)
        if log.logged_by_id != withdrawn_by.pk:
            raise Forbidden(_("Only the author withdraws a log."))
        _check_move(
            log,
            to=HourLogStatus.WITHDRAWN,
            refusal=_("This log is %(status)s: only a submitted log is withdrawn.")
            % {"status": in_words(HourLogStatus, log.status)},
        )
        # The review columns name who closed the log and when: here its author.
        log.status, log.reviewed_by, log.reviewed_at = HourLogStatus.WITHDRAWN, withdrawn_by, timezone.now()
        with_reason(log, "withdrawn", user=withdrawn_by).save()
        ledger.adjust_totals(log, pending=-log.hours)
        log.apprenticeship = apprenticeship
        _answerable([log])
    return log


def _check_reviewer(*, scope: Scope, log: HourLog, apprenticeship: Apprenticeship, reviewer: User) -> None:
    """OJT: the employer's staff; RTI: the sponsor's RAPS admins. Nobody reviews their own."""
    if log.kind == HourKind.OJT and not scope.is_employer_staff(
        apprenticeship.employer_id, apprenticeship.program.sponsor_id
    ):
        raise Forbidden(_("On-the-job hours are approved by the apprentice's employer staff."))
    if log.kind == HourKind.RTI and not scope.is_raps_admin(apprenticeship.program.sponsor_id):
        raise Forbidden(_("Related-instruction hours are approved by the sponsor's RAPS administrators."))
    if log.logged_by_id == reviewer.pk or apprenticeship.apprentice_id == reviewer.pk:
        raise Forbidden(_("Nobody approves their own hours."))


def _check_move(log: HourLog, *, to: str, refusal: str | Callable[[], str]) -> None:
    """Conflict (`refusal`, or what it makes when called) unless HOUR_LOG_TRANSITIONS lets the
    (locked) log move to `to`."""
    if to not in HOUR_LOG_TRANSITIONS[log.status]:
        raise Conflict(refusal() if callable(refusal) else refusal)


def _locked_log(log: HourLog) -> tuple[HourLog, Apprenticeship]:
    apprenticeship = ledger.lock(log.apprenticeship)
    return HourLog.objects.select_for_update().get(pk=log.pk), apprenticeship


def hour_log_approve(*, scope: Scope, log: HourLog, reviewer: User) -> HourLog:
    with transaction.atomic():
        log, apprenticeship = _locked_log(log)
        _check_reviewer(scope=scope, log=log, apprenticeship=apprenticeship, reviewer=reviewer)
        _check_move(
            log,
            to=HourLogStatus.APPROVED,
            refusal=_("This log is %(status)s: only a submitted log is approved.")
            % {"status": in_words(HourLogStatus, log.status)},
        )
        log.status, log.reviewed_by, log.reviewed_at = HourLogStatus.APPROVED, reviewer, timezone.now()
        with_reason(log, "approved", user=reviewer).save()
        ledger.adjust_totals(log, approved=log.hours, pending=-log.hours)
        log.apprenticeship = apprenticeship
        notices.hours_reviewed(log)
        milestones_reconcile(apprenticeship=apprenticeship, changed_by=reviewer)
        _answerable([log])
    return log


def hour_log_reject(*, scope: Scope, log: HourLog, reviewer: User, reason: str) -> HourLog:
    if not reason.strip():
        raise ValidationError({"reason": [_("A rejection says why.")]})
    with transaction.atomic():
        log, apprenticeship = _locked_log(log)
        _check_reviewer(scope=scope, log=log, apprenticeship=apprenticeship, reviewer=reviewer)
        _check_move(
            log,
            to=HourLogStatus.REJECTED,
            refusal=_("This log is %(status)s: only a submitted log is rejected.")
            % {"status": in_words(HourLogStatus, log.status)},
        )
        log.status, log.reviewed_by, log.reviewed_at, log.review_note = (
            HourLogStatus.REJECTED,
            reviewer,
            timezone.now(),
            reason.strip(),
        )
        with_reason(log, f"rejected: {reason.strip()}", user=reviewer).save()
        ledger.adjust_totals(log, pending=-log.hours)
        log.apprenticeship = apprenticeship
        notices.hours_reviewed(log)
        _answerable([log])
    return log


def hour_log_void(*, scope: Scope, log: HourLog, voided_by: User, reason: str) -> HourLog:
    """An approved log is never edited or deleted: voiding keeps it, with the reason, and takes
    it out of the totals. The employer's staff void OJT, the sponsor's RAPS admins any log."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Voiding says why.")]})
    with transaction.atomic():
        log, apprenticeship = _locked_log(log)
        may_void = scope.is_raps_admin(apprenticeship.program.sponsor_id) or (
            log.kind == HourKind.OJT
            and scope.is_employer_staff(apprenticeship.employer_id, apprenticeship.program.sponsor_id)
        )
        if not may_void:
            raise Forbidden(_("Only the employer's staff (OJT) or the sponsor's RAPS administrators void hours."))
        _check_move(
            log,
            to=HourLogStatus.VOIDED,
            refusal=_("This log is %(status)s: only an approved log is voided.")
            % {"status": in_words(HourLogStatus, log.status)},
        )
        log.status, log.reviewed_by, log.reviewed_at, log.review_note = (
            HourLogStatus.VOIDED,
            voided_by,
            timezone.now(),
            reason.strip(),
        )
        with_reason(log, f"voided: {reason.strip()}", user=voided_by).save()
        ledger.adjust_totals(log, approved=-log.hours)
        log.apprenticeship = apprenticeship
        notices.hours_reviewed(log)
        # Voiding hours that a pending milestone relied on withdraws it.
        milestones_reconcile(apprenticeship=apprenticeship, changed_by=voided_by)
        _answerable([log])
    return log
