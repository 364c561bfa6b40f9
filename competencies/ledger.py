"""The hour ledger: the one seam where speed shaped the code.

Every write of hours goes through here: the lock that makes writes to one apprentice's hours take
turns, the two statements every log runs written in SQL, and the running totals (`HourTotals`,
`WorkProcessTotal`) moved in the writer's transaction. What each piece buys, measured by
`make bench`, is said beside it; the services call these functions and read like ordinary
Django. `totals_recompute` rebuilds the totals from the logs, the record, to check they agree.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, F, Max, QuerySet, Sum

from apprenticeships.models import (
    Apprenticeship,
)
from apprenticeships.selectors import apprenticeship_scope_filter
from portal.bulk import increment_all
from portal.tenancy import Scope

from .models import COUNTING_STATUSES, CompetencySignOff, HourKind, HourLog, HourLogStatus, HourTotals, WorkProcessTotal

# What the writes of hours read of the apprenticeship they lock, and of its program, employer
# and apprentice (the rules, the running totals, the notices and the milestones): the lock
# reads only these columns, for most of what a query costs Django is its columns. A column
# not named here is read by a query of its own when it is used: add it here instead.
_LOCKED_COLUMNS = (
    *("status", "start_date", "ended_on", "ojt_credit_hours", "rti_credit_hours"),
    *("program__sponsor", "program__title", "program__ojt_hours_required", "program__rti_hours_required"),
    *("employer__name", "apprentice__full_name", "apprentice__email"),
)


def lock_all(apprenticeship_ids, *, scope: Scope | None = None, apart: bool = False) -> dict:
    """Lock the apprenticeships (those within `scope` when it is given: the others are not
    found), then their apprentices, each in a stable order, so that two requests never wait on
    each other in a circle. Locking the apprentice serializes every write to their hours,
    whichever apprenticeship it is for: the 24 hours of a day are per apprentice. The locks are
    FOR NO KEY UPDATE: writes of hours take turns, while a row that only refers to the
    apprenticeship or the apprentice (a notification to them) is written without waiting.
    `apart` locks them in two statements even for one apprenticeship (a bulk decision costs the
    same whatever it holds). `apprenticeship_ids` may be a query of them (`values("apprenticeship_id")`
    of the records being written), read inside the lock's statement. Returns {id: apprenticeship}
    of those found."""
    ids = apprenticeship_ids if isinstance(apprenticeship_ids, QuerySet) else set(apprenticeship_ids)
    apprenticeships = (
        Apprenticeship.objects.select_related("program", "employer", "apprentice")
        .only(*_LOCKED_COLUMNS)
        .filter(pk__in=ids)
    )
    if scope is not None:
        apprenticeships = apprenticeships.filter(apprenticeship_scope_filter(scope))
    if not isinstance(ids, QuerySet) and len(ids) == 1 and not apart:
        # One statement locks the apprenticeship, then its apprentice: PostgreSQL locks the rows
        # of a result in the order `of` names them (tests/hour_logs/test_concurrency.py).
        return {a.pk: a for a in apprenticeships.select_for_update(of=("self", "apprentice"), no_key=True)}
    locked = {a.pk: a for a in apprenticeships.select_for_update(of=("self",), no_key=True).order_by("pk")}
    apprentice_ids = {apprenticeship.apprentice_id for apprenticeship in locked.values()}
    list(
        get_user_model()
        .objects.select_for_update(no_key=True)
        .filter(pk__in=apprentice_ids)
        .order_by("pk")
        .values_list("pk")
    )
    return locked


def lock(apprenticeship: Apprenticeship) -> Apprenticeship:
    return lock_all([apprenticeship.pk])[apprenticeship.pk]


# The two statements that every log written runs, in SQL rather than built by Django, which
# spent ten times longer building each of them than the database took to run it (the
# benchmark's hour-log create). Plain SQL that SQLite (the quick start) runs as well, with
# parameters adapted as the ORM adapts them (tests/hour_logs/test_on_sqlite.py).
_HOURS_COUNTED_ON_A_DAY = f"""
    SELECT SUM(log.hours) FROM {HourLog._meta.db_table} log
    JOIN {Apprenticeship._meta.db_table} a ON a.id = log.apprenticeship_id
    WHERE a.apprentice_id = %s AND log.date = %s AND log.status IN ({", ".join(["%s"] * len(COUNTING_STATUSES))})
"""


_LATER_LOGGED_ON = (
    "last_logged_on = CASE WHEN last_logged_on IS NULL OR last_logged_on < %s THEN %s ELSE last_logged_on END"
)


def _sql_uuid(value):
    return HourLog._meta.pk.get_db_prep_value(value, connection)


def _sql_day(value: date):
    return connection.ops.adapt_datefield_value(value)


def hours_counted_on(*, apprentice_id, day: date, except_log_id=None) -> Decimal:
    """The hours of `day` that count toward the apprentice's 24 (submitted and approved logs of
    every apprenticeship of theirs), but for the log `except_log_id` (one being changed)."""
    statement = _HOURS_COUNTED_ON_A_DAY
    parameters = [_sql_uuid(apprentice_id), _sql_day(day), *COUNTING_STATUSES]
    if except_log_id is not None:
        statement += " AND log.id <> %s"
        parameters.append(_sql_uuid(except_log_id))
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        (total,) = cursor.fetchone()
    # SQLite adds decimals up as floats; quarter hours are exact in either.
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))


def adjust_totals(
    log: HourLog, *, approved: Decimal = Decimal("0"), pending: Decimal = Decimal("0"), new: bool = False
) -> None:
    """Move the running totals by a log's change (`new`: the log was just written), in the
    caller's transaction: one UPDATE of the columns that move (a missing row is created first)."""
    prefix = "ojt" if log.kind == HourKind.OJT else "rti"
    moves: dict[str, Decimal | int] = {}
    if approved:
        moves[f"{prefix}_approved"] = approved
    if pending:
        moves[f"{prefix}_pending"] = pending
        # A log enters or leaves the waiting ones when its pending hours do.
        moves["pending_logs"] = 1 if pending > 0 else -1
    if new:
        moves["logs"] = 1
    assignments, parameters = [f"{column} = {column} + %s" for column in moves], list(moves.values())
    if approved > 0 or pending > 0:
        assignments.append(_LATER_LOGGED_ON)
        parameters += [_sql_day(log.date)] * 2
    statement = f"UPDATE {HourTotals._meta.db_table} SET {', '.join(assignments)} WHERE apprenticeship_id = %s"
    parameters.append(_sql_uuid(log.apprenticeship_id))
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        if not cursor.rowcount:
            HourTotals.objects.create(**HourTotals.copied_from(log.apprenticeship))
            cursor.execute(statement, parameters)
    if log.kind == HourKind.OJT and approved:
        # One upsert per log (a bulk write moves it once per approved log): no SELECT first. A
        # negative move finds its row (hours are approved before they are taken back); the
        # inserted row's value is never negative, so the check constraint holds either way.
        table = WorkProcessTotal._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (apprenticeship_id, work_process_id, approved_hours, competencies_signed_off) "
                "VALUES (%s, %s, %s, 0) ON CONFLICT (apprenticeship_id, work_process_id) "
                f"DO UPDATE SET approved_hours = {table}.approved_hours + %s",
                [
                    _sql_uuid(log.apprenticeship_id),
                    _sql_uuid(log.work_process_id),
                    max(approved, Decimal("0")),
                    approved,
                ],
            )


def adjust_totals_all(logs, *, approved: bool) -> None:
    """Move the running totals by the decision of submitted `logs` (approved, or rejected:
    `approved=False`), in the caller's transaction and a fixed number of statements however
    many logs and apprenticeships: one UPDATE of every totals row (and, for approved OJT, one
    upsert of the work processes' totals: the rows made or moved). The logs' dates counted in
    `last_logged_on` when they were submitted: a decision does not move it."""
    zero = Decimal("0")
    moves: dict = {}
    processes: dict = {}
    for log in logs:
        prefix = "ojt" if log.kind == HourKind.OJT else "rti"
        move = moves.setdefault(
            log.apprenticeship_id,
            {"ojt_approved": zero, "ojt_pending": zero, "rti_approved": zero, "rti_pending": zero, "pending_logs": 0},
        )
        move[f"{prefix}_pending"] -= log.hours
        move["pending_logs"] -= 1
        if approved:
            move[f"{prefix}_approved"] += log.hours
            if log.kind == HourKind.OJT:
                key = (log.apprenticeship_id, log.work_process_id)
                processes[key] = processes.get(key, zero) + log.hours
    if not moves:
        return
    # A submitted log's totals row exists: writing the log moved it (adjust_totals).
    increment_all(HourTotals, ["apprenticeship"], moves)
    if processes:
        # One upsert for every work process, as `adjust_totals` does for one: a row made, or
        # moved (the moves are approvals: never negative).
        table = WorkProcessTotal._meta.db_table
        parameters = []
        for (apprenticeship_id, work_process_id), hours in processes.items():
            parameters += [_sql_uuid(apprenticeship_id), _sql_uuid(work_process_id), hours]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (apprenticeship_id, work_process_id, approved_hours, competencies_signed_off) "
                f"VALUES {', '.join(['(%s, %s, %s, 0)'] * len(processes))} "
                "ON CONFLICT (apprenticeship_id, work_process_id) "
                f"DO UPDATE SET approved_hours = {table}.approved_hours + excluded.approved_hours",
                parameters,
            )


def totals_recompute(*, apprenticeship: Apprenticeship) -> HourTotals:
    """Rebuild the running totals from the logs (the record) — for the check that they agree."""
    with transaction.atomic():
        apprenticeship = lock(apprenticeship)
        sums = {
            (row["kind"], row["status"]): row["total"]
            for row in HourLog.objects.filter(apprenticeship=apprenticeship)
            .values("kind", "status")
            .annotate(total=Sum("hours"))
        }
        zero = Decimal("0")
        copied = HourTotals.copied_from(apprenticeship)
        totals, _ = HourTotals.objects.update_or_create(
            apprenticeship_id=copied.pop("apprenticeship_id"),
            defaults={
                **copied,
                "ojt_approved": sums.get((HourKind.OJT, HourLogStatus.APPROVED), zero),
                "ojt_pending": sums.get((HourKind.OJT, HourLogStatus.SUBMITTED), zero),
                "rti_approved": sums.get((HourKind.RTI, HourLogStatus.APPROVED), zero),
                "rti_pending": sums.get((HourKind.RTI, HourLogStatus.SUBMITTED), zero),
                "pending_logs": HourLog.objects.filter(
                    apprenticeship=apprenticeship, status=HourLogStatus.SUBMITTED
                ).count(),
                "logs": HourLog.objects.filter(apprenticeship=apprenticeship).count(),
                # The latest day of a log that counts: the weekly reminder states it ("since
                # March 09"), and left out it read "since never" for an apprentice with hundreds of logs.
                "last_logged_on": HourLog.objects.filter(
                    apprenticeship=apprenticeship, status__in=COUNTING_STATUSES
                ).aggregate(latest=Max("date"))["latest"],
            },
        )
        per_process = dict(
            HourLog.objects.filter(apprenticeship=apprenticeship, kind=HourKind.OJT, status=HourLogStatus.APPROVED)
            .values_list("work_process_id")
            .annotate(total=Sum("hours"))
        )
        signed_off = dict(
            # Competencies with a current sign-off: one each, however often signed off.
            CompetencySignOff.objects.filter(apprenticeship=apprenticeship, is_current=True)
            .values_list("competency__work_process_id")
            .annotate(n=Count("competency", distinct=True))
        )
        WorkProcessTotal.objects.filter(apprenticeship=apprenticeship).exclude(
            work_process_id__in=set(per_process) | set(signed_off)
        ).update(approved_hours=zero, competencies_signed_off=0)
        for work_process_id in set(per_process) | set(signed_off):
            WorkProcessTotal.objects.update_or_create(
                apprenticeship=apprenticeship,
                work_process_id=work_process_id,
                defaults={
                    "approved_hours": per_process.get(work_process_id, zero),
                    "competencies_signed_off": signed_off.get(work_process_id, 0),
                },
            )
    return totals


def totals_open(apprenticeship: Apprenticeship) -> None:
    """A registered apprenticeship's running totals start at zero."""
    HourTotals.objects.create(**HourTotals.copied_from(apprenticeship))


def totals_follow_status(apprenticeship: Apprenticeship) -> None:
    """The running totals' copy of the status moves with it, in the same transaction (the
    sponsor's numbers count apprenticeships by status from the totals; the database checks the
    copy at commit)."""
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(status=apprenticeship.status)


def approved_ojt_hours(apprenticeship: Apprenticeship) -> Decimal:
    totals = HourTotals.objects.filter(apprenticeship=apprenticeship).first()
    return totals.ojt_approved if totals else Decimal("0")


def signoff_counted(*, apprenticeship: Apprenticeship, work_process_id) -> None:
    """A first sign-off of a competency counts in its work process's total (a later one
    supersedes it: the competency is still one)."""
    total, _ = WorkProcessTotal.objects.get_or_create(apprenticeship=apprenticeship, work_process_id=work_process_id)
    WorkProcessTotal.objects.filter(pk=total.pk).update(competencies_signed_off=F("competencies_signed_off") + 1)
