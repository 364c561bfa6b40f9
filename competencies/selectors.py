"""Reads of hours, sign-offs and progress, scoped like the apprenticeships they belong to."""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypedDict
from uuid import UUID

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from apprenticeships.models import Apprenticeship, MilestoneDefinition, MilestoneKind, Program, WorkProcess
from apprenticeships.selectors import (
    apprenticeship_scope_filter,
    employer_keyed_scope_filter,
    visible_apprenticeship_ids,
)
from portal.tenancy import Scope, any_of, staff_grants_filter

from .charts import progress_svg
from .models import (
    COUNTING_STATUSES,
    CompetencySignOff,
    HourImport,
    HourKind,
    HourLog,
    HourLogStatus,
    HourTotals,
    Milestone,
    MilestoneStatus,
    WorkProcessTotal,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

PACE_WEEKS = 8
ZERO = Decimal("0")
CENT = Decimal("0.01")


def hour_log_list(*, scope: Scope) -> QuerySet[HourLog]:
    return HourLog.objects.filter(employer_keyed_scope_filter(scope)).select_related("logged_by", "reviewed_by")


def hour_log_count(*, scope: Scope) -> int:
    """How many logs the caller reads, from the running totals (logs are never deleted): the
    count of an unfiltered hour-logs/ without counting up to a sponsor's million logs. The totals
    carry their apprenticeship's employer: employer staff add up their employer's rows by index."""
    totals = HourTotals.objects.filter(employer_keyed_scope_filter(scope))
    return totals.aggregate(n=Coalesce(Sum("logs"), 0))["n"]


def competency_signoff_list(*, scope: Scope) -> QuerySet[CompetencySignOff]:
    """Every sign-off, current or superseded, with the one that superseded it, the apprentice and
    the competency's work process joined (the names beside the ids)."""
    return CompetencySignOff.objects.filter(apprenticeship_id__in=visible_apprenticeship_ids(scope)).select_related(
        "competency__work_process", "signed_off_by", "superseded_by", "apprenticeship__apprentice"
    )


def _percent(done: Decimal, required: Decimal) -> float:
    """Rounded to one decimal, never over 100, and 100 only once nothing remains."""
    if required <= 0:
        return 100.0
    percent = min(Decimal("100"), (done / required * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    if done < required and percent == 100:
        percent = Decimal("99.9")
    return float(percent)


def _hours_block(*, required: Decimal, approved: Decimal, pending: Decimal, credited: Decimal) -> dict:
    done = approved + credited
    return {
        "required": required,
        "approved": approved,
        "pending": pending,
        "credited": credited,
        "remaining": max(ZERO, required - done),
        "percent": _percent(done, required),
    }


def _approved_ojt_in_pace_window(*, today) -> Subquery:
    """An apprenticeship's approved OJT hours of the last 8 weeks (the pace), as a subquery."""
    logs = HourLog.objects.filter(
        apprenticeship=OuterRef("pk"),
        kind=HourKind.OJT,
        status=HourLogStatus.APPROVED,
        date__gt=today - timedelta(weeks=PACE_WEEKS),
        date__lte=today,
    )
    return Subquery(logs.order_by().values("apprenticeship").annotate(total=Sum("hours")).values("total"))


def progress_apprenticeships(*, scope: Scope, today=None) -> QuerySet[Apprenticeship]:
    """The apprenticeships whose progress the caller reads, with what progress needs joined and
    the approved OJT hours of the pace window (up to `today`) summed with them."""
    today = today or timezone.localdate()
    return (
        Apprenticeship.objects.filter(apprenticeship_scope_filter(scope))
        .select_related("program", "current_wage_step", "hour_totals")
        .annotate(pace_window_ojt=_approved_ojt_in_pace_window(today=today))
    )


class PaceWindow(TypedDict):
    """What `progress_apprenticeships` annotates each apprenticeship with."""

    pace_window_ojt: Decimal | None


def hours_and_pace(*, apprenticeship: "WithAnnotations[Apprenticeship, PaceWindow]", today: date) -> dict:
    """The OJT and RTI hours blocks and the pace of an apprenticeship, from its running totals
    and the pace window's sum, with no query: progress and the roster (`roster_progress`) both
    show these, from this one computation."""
    program = apprenticeship.program
    totals = getattr(apprenticeship, "hour_totals", None) or HourTotals(apprenticeship=apprenticeship)
    ojt = _hours_block(
        required=program.ojt_hours_required,
        approved=totals.ojt_approved,
        pending=totals.ojt_pending,
        credited=apprenticeship.ojt_credit_hours,
    )
    rti = _hours_block(
        required=program.rti_hours_required,
        approved=totals.rti_approved,
        pending=totals.rti_pending,
        credited=apprenticeship.rti_credit_hours,
    )
    return {
        "ojt": ojt,
        "rti": rti,
        "pace": _pace(apprenticeship=apprenticeship, remaining=ojt["remaining"], today=today),
    }


def roster_apprenticeships(queryset: QuerySet[Apprenticeship], *, today: date) -> QuerySet[Apprenticeship]:
    """A page of apprenticeships as the roster reads it: the running totals joined, the pace
    window's hours and the pending milestones counted with each row (one query for the page)."""
    pending = (
        Milestone.objects.filter(apprenticeship=OuterRef("pk"), status=MilestoneStatus.PENDING)
        .order_by()
        .values("apprenticeship")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("hour_totals").annotate(
        pace_window_ojt=_approved_ojt_in_pace_window(today=today), pending_milestones=Subquery(pending)
    )


def roster_progress(*, apprenticeship, today: date) -> dict:
    """One roster row's progress (`roster_apprenticeships`): the hours and pace that progress
    shows (`hours_and_pace`), what waits for a decision and the last day logged. No query."""
    hours = hours_and_pace(apprenticeship=apprenticeship, today=today)
    totals = getattr(apprenticeship, "hour_totals", None)
    return {
        **hours,
        "percent": hours["ojt"]["percent"],
        "pending_logs": totals.pending_logs if totals else 0,
        "pending_milestones": apprenticeship.pending_milestones or 0,
        "last_logged_on": totals.last_logged_on if totals else None,
    }


def apprenticeship_progress(
    *, apprenticeship: "WithAnnotations[Apprenticeship, PaceWindow]", today: date | None = None
) -> dict:
    """Progress as docs/api.md shows it, in a fixed number of queries whatever the number of logs:
    the running totals, the schedule, sign-off and milestone counts, and the last 8 weeks' sum.

    Expects `apprenticeship` as `progress_apprenticeships(today=today)` reads it: program,
    current_wage_step and hour_totals selected, and the pace window's hours summed.
    """
    today = today or timezone.localdate()
    program = apprenticeship.program
    hours = hours_and_pace(apprenticeship=apprenticeship, today=today)
    # One query for the schedule: each work process with its approved hours, its competencies
    # and how many of them are signed off (the running totals of WorkProcessTotal).
    own_total = WorkProcessTotal.objects.filter(apprenticeship=apprenticeship, work_process=OuterRef("pk"))
    processes = list(
        WorkProcess.objects.filter(program=program)
        .annotate(
            approved=Subquery(own_total.values("approved_hours")),
            signed_off=Subquery(own_total.values("competencies_signed_off")),
            required=Count("competencies"),
        )
        .order_by("position", "title", "id")
        .values("id", "title", "target_hours", "approved", "signed_off", "required")
    )
    work_processes = [
        {
            "id": process["id"],
            "title": process["title"],
            "target_hours": process["target_hours"],
            "approved_hours": process["approved"] or ZERO,
            "percent": _percent(process["approved"] or ZERO, process["target_hours"]),
        }
        for process in processes
    ]
    competencies_required = sum(process["required"] for process in processes)
    signed_off = sum(process["signed_off"] or 0 for process in processes)
    milestones = [
        {"id": milestone_id, "name": name, "status": status}
        for milestone_id, name, status in Milestone.objects.filter(apprenticeship=apprenticeship)
        .order_by("reached_at", "id")
        .values_list("id", "definition__name", "status")
    ]
    step = apprenticeship.current_wage_step
    return {
        "apprenticeship": apprenticeship.id,
        "status": apprenticeship.status,
        "ojt": hours["ojt"],
        "rti": hours["rti"],
        "work_processes": work_processes,
        "competencies": {"required": competencies_required, "signed_off": signed_off},
        "milestones": milestones,
        "current_wage_step": {"name": step.name, "wage": step.wage} if step else None,
        "pace": hours["pace"],
    }


def _project(
    *, recent_total: Decimal, remaining: Decimal, start_date: date, today: date
) -> tuple[Decimal, date | None]:
    """(OJT hours per week over the last 8 weeks, the completion date they lead to or None).
    An apprenticeship younger than 8 weeks is paced over the weeks it has run."""
    weeks = Decimal(min(PACE_WEEKS * 7, max(7, (today - start_date).days))) / 7
    rate = recent_total / weeks  # projected unrounded; only the shown rate is rounded
    per_week = rate.quantize(CENT, rounding=ROUND_HALF_UP)
    if remaining <= 0:
        return per_week, today
    if rate > 0:
        days = int((remaining / rate * 7).to_integral_value(rounding="ROUND_CEILING"))
        return per_week, today + timedelta(days=days)
    return per_week, None


def _pace(*, apprenticeship: "WithAnnotations[Apprenticeship, PaceWindow]", remaining: Decimal, today: date) -> dict:
    per_week, projected = _project(
        recent_total=apprenticeship.pace_window_ojt or ZERO,
        remaining=remaining,
        start_date=apprenticeship.start_date,
        today=today,
    )
    return {
        "hours_per_week": per_week,
        "projected_completion_date": projected,
        "expected_end_date": apprenticeship.expected_end_date,
        "on_track": projected is not None and projected <= apprenticeship.expected_end_date,
    }


def pace_of_open_apprenticeships(*, today) -> list[dict]:
    """Every active apprenticeship with its pace over the last 8 weeks, in three queries
    (apprenticeships with totals, the 8-week sums, nothing per row): for the weekly alerts."""
    since = today - timedelta(weeks=PACE_WEEKS)
    recent = dict(
        HourLog.objects.filter(
            apprenticeship__status="active",
            kind=HourKind.OJT,
            status=HourLogStatus.APPROVED,
            date__gt=since,
            date__lte=today,
        )
        .values_list("apprenticeship_id")
        .annotate(total=Sum("hours"))
    )
    rows = []
    for apprenticeship in Apprenticeship.objects.filter(status="active").select_related(
        "program", "employer", "apprentice", "hour_totals"
    ):
        totals = getattr(apprenticeship, "hour_totals", None)
        approved = totals.ojt_approved if totals else ZERO
        remaining = max(ZERO, apprenticeship.program.ojt_hours_required - approved - apprenticeship.ojt_credit_hours)
        per_week, projected = _project(
            recent_total=recent.get(apprenticeship.pk, ZERO),
            remaining=remaining,
            start_date=apprenticeship.start_date,
            today=today,
        )
        rows.append(
            {
                "apprenticeship": apprenticeship,
                "hours_per_week": per_week,
                "remaining": remaining,
                "projected_completion_date": projected,
                "last_logged_on": totals.last_logged_on if totals else None,
            }
        )
    return rows


def progress_chart(*, apprenticeship: Apprenticeship, today=None) -> str:
    """The progress chart of an apprenticeship as SVG, in three queries: approved hours per day
    and kind, its milestones, and the program's hour-decided milestone definitions."""
    today = today or timezone.localdate()
    daily: dict[str, list[tuple[date, Decimal]]] = {HourKind.OJT: [], HourKind.RTI: []}
    for day, kind, hours in (
        HourLog.objects.filter(apprenticeship=apprenticeship, status=HourLogStatus.APPROVED)
        .values_list("date", "kind")
        .annotate(hours=Sum("hours"))
        .order_by("date")
    ):
        daily[kind].append((day, hours))
    latest = {}
    for milestone in Milestone.objects.filter(apprenticeship=apprenticeship).order_by("reached_at"):
        latest[milestone.definition_id] = milestone.status
    marks: dict[str, list[dict]] = {HourKind.OJT: [], HourKind.RTI: []}
    for definition in MilestoneDefinition.objects.filter(
        program_id=apprenticeship.program_id, threshold_hours__isnull=False
    ):
        kind = HourKind.RTI if definition.kind == MilestoneKind.RTI_HOURS else HourKind.OJT
        marks[kind].append(
            {"name": definition.name, "threshold": definition.threshold_hours, "status": latest.get(definition.pk)}
        )
    program = apprenticeship.program
    # The projected line is the progress endpoint's pace (the chart's apprenticeship is read as
    # `progress_apprenticeships` reads it: running totals and the pace window, no query more).
    pace = hours_and_pace(apprenticeship=apprenticeship, today=today)["pace"]  # type: ignore[arg-type]
    return progress_svg(
        title=f"{apprenticeship.apprentice.display_name} – {program.title}",
        start=apprenticeship.start_date,
        expected_end=apprenticeship.expected_end_date,
        today=today,
        status=apprenticeship.status,
        ended_on=apprenticeship.ended_on,
        pace=pace,
        ojt={
            "points": daily[HourKind.OJT],
            "required": program.ojt_hours_required,
            "credited": apprenticeship.ojt_credit_hours,
            "marks": marks[HourKind.OJT],
        },
        rti={
            "points": daily[HourKind.RTI],
            "required": program.rti_hours_required,
            "credited": apprenticeship.rti_credit_hours,
            "marks": marks[HourKind.RTI],
        },
    )


def copy_keyed_scope_filter(scope: Scope) -> Q:
    """The same records as `visible_apprenticeship_ids`, for records that carry their
    apprenticeship's program and employer (milestones): RAPS admins match on the record's own
    program, employer staff on its own employer, apprentices on their own apprenticeships, so
    no branch reads the apprenticeships."""
    return any_of(
        scope.admin_sponsor_ids
        and Q(program_id__in=Program.objects.filter(sponsor_id__in=scope.admin_sponsor_ids).values("id")),
        scope.staff_grants
        and staff_grants_filter(scope.staff_grants, employer_field="employer_id", sponsor_field="program__sponsor_id"),
        scope.apprenticeship_ids and Q(apprenticeship_id__in=scope.apprenticeship_ids),
    )


def milestone_list(*, scope: Scope) -> QuerySet[Milestone]:
    return Milestone.objects.filter(copy_keyed_scope_filter(scope)).select_related("definition")


# --- imports -------------------------------------------------------------------------------------


def hour_import_list(*, scope: Scope) -> QuerySet[HourImport]:
    """The imports the caller reads: their own, and every import of the sponsors they are a RAPS
    administrator of."""
    if scope.user_id is None:
        return HourImport.objects.none()
    visible = Q(imported_by_id=scope.user_id) | any_of(
        scope.admin_sponsor_ids and Q(sponsor_id__in=scope.admin_sponsor_ids)
    )
    return HourImport.objects.filter(visible).select_related("imported_by")


def hour_import_of(*, sponsor_id, checksum: str) -> HourImport | None:
    """The sponsor's import of the file with this checksum, if one was made."""
    return HourImport.objects.filter(sponsor_id=sponsor_id, checksum=checksum).select_related("imported_by").first()


def apprenticeships_named(*, scope: Scope, ids, emails, rapids_ids) -> list[Any]:
    """The apprenticeships in the caller's scope with one of these ids, apprentice e-mails (in
    any case) or RAPIDS apprentice ids, in one query: {id, email (lower case), rapids_apprentice_id,
    status}. An apprenticeship outside the scope is not among them, as if it did not exist."""
    named = any_of(
        ids and Q(pk__in=ids),
        emails and Q(email__in=emails),
        rapids_ids and Q(rapids_apprentice_id__in=rapids_ids),
    )
    return list(
        Apprenticeship.objects.filter(apprenticeship_scope_filter(scope))
        .annotate(email=Lower("apprentice__email"))
        .filter(named)
        .values("id", "email", "rapids_apprentice_id", "status")
    )


def recorded_logs(*, apprenticeship_ids, days) -> list[Any]:
    """The logs in the record (submitted or approved) of these apprenticeships on these days,
    with what makes two logs the same (services/imports.py `_log_key`), in one query."""
    if not apprenticeship_ids:
        return []
    return list(
        HourLog.objects.filter(apprenticeship_id__in=apprenticeship_ids, date__in=days, status__in=COUNTING_STATUSES)
        .order_by("created_at")
        .values("id", "apprenticeship_id", "date", "kind", "hours", "work_process_id", "course")
    )


# --- the review queue: what waits for the caller's decision ----------------------------------------


def reviewable_hour_logs(*, scope: Scope) -> QuerySet[HourLog]:
    """Submitted logs the caller may approve or reject, as `services.hours._check_reviewer` rules:
    OJT at an employer of the caller's staff grants, RTI of a sponsor they are RAPS admin of,
    never one they logged or of their own apprenticeship."""
    ojt = scope.staff_grants and (
        Q(kind=HourKind.OJT)
        & staff_grants_filter(
            scope.staff_grants, employer_field="employer_id", sponsor_field="apprenticeship__program__sponsor_id"
        )
    )
    rti = scope.admin_sponsor_ids and Q(
        kind=HourKind.RTI, apprenticeship__program__sponsor_id__in=scope.admin_sponsor_ids
    )
    logs = HourLog.objects.filter(any_of(ojt, rti), status=HourLogStatus.SUBMITTED).exclude(logged_by_id=scope.user_id)
    # Their own apprenticeships by id (the scope holds them): no join to every apprenticeship.
    return logs.exclude(apprenticeship_id__in=scope.apprenticeship_ids) if scope.apprenticeship_ids else logs


def decidable_milestones(*, scope: Scope) -> QuerySet[Milestone]:
    """Pending milestones the caller may decide (services.milestones._check_decider): those of
    the programs of the sponsors they are RAPS admin of."""
    return Milestone.objects.filter(
        any_of(
            scope.admin_sponsor_ids
            and Q(program_id__in=Program.objects.filter(sponsor_id__in=scope.admin_sponsor_ids).values("id"))
        ),
        status=MilestoneStatus.PENDING,
    )


HOUR_LOG_ITEM = "hour_log"
MILESTONE_ITEM = "milestone"


def review_queue(*, scope: Scope, after: tuple[datetime, UUID] | None = None) -> tuple[QuerySet, dict]:
    """The items waiting for the caller, oldest first, as (kind, id, waiting since) rows of one
    query (a page of it is one query), and the counts by kind (two queries). A page's items are
    read with their names by `review_queue_items`. `after`: only the items after this
    (waiting since, id) in that order (a cursor's page, which no write before it shifts)."""
    logs, milestones = reviewable_hour_logs(scope=scope), decidable_milestones(scope=scope)
    counts = {"hour_logs": logs.count(), "milestones": milestones.count()}
    if after is not None:
        since, pk = after
        logs = logs.filter(Q(created_at__gt=since) | Q(created_at=since, id__gt=pk))
        milestones = milestones.filter(Q(reached_at__gt=since) | Q(reached_at=since, id__gt=pk))
    # Neither side keeps its model's order: the database merges the two, each read oldest first
    # from its index, up to the page.
    rows = (
        logs.order_by()
        .annotate(item_kind=Value(HOUR_LOG_ITEM), waiting_since=F("created_at"))
        .values_list("id", "item_kind", "waiting_since")
        .union(
            milestones.order_by()
            .annotate(item_kind=Value(MILESTONE_ITEM), waiting_since=F("reached_at"))
            .values_list("id", "item_kind", "waiting_since"),
            all=True,
        )
        .order_by("waiting_since", "id")
    )
    return rows, counts


_QUEUE_PEOPLE = (
    "apprenticeship_id",
    "apprenticeship__apprentice_id",
    "apprenticeship__apprentice__full_name",
    "apprenticeship__apprentice__email",
    "apprenticeship__program_id",
    "apprenticeship__program__title",
    "employer_id",
    "employer__name",
)


def review_queue_items(rows) -> list[dict]:
    """The page `rows` (from `review_queue`) with what each item asks and whose it is: one query
    for its logs and one for its milestones, whatever the page's size."""
    ids = {kind: [pk for pk, row_kind, _ in rows if row_kind == kind] for kind in (HOUR_LOG_ITEM, MILESTONE_ITEM)}
    logs = (
        {
            row["id"]: row
            for row in HourLog.objects.filter(pk__in=ids[HOUR_LOG_ITEM]).values(
                "id",
                *_QUEUE_PEOPLE,
                "date",
                "hours",
                "kind",
                "work_process_id",
                "work_process__title",
                "course",
                "description",
            )
        }
        if ids[HOUR_LOG_ITEM]
        else {}
    )
    milestones = (
        {
            row["id"]: row
            for row in Milestone.objects.filter(pk__in=ids[MILESTONE_ITEM]).values(
                "id", *_QUEUE_PEOPLE, "definition__name", "definition__kind", "definition__threshold_hours", "basis"
            )
        }
        if ids[MILESTONE_ITEM]
        else {}
    )
    now = timezone.now()
    items = []
    for pk, kind, since in rows:
        row = (logs if kind == HOUR_LOG_ITEM else milestones).get(pk)
        if row is None:  # decided between the two reads
            continue
        item = {
            "kind": kind,
            "id": pk,
            "apprenticeship": row["apprenticeship_id"],
            "apprentice": {
                "id": row["apprenticeship__apprentice_id"],
                "name": row["apprenticeship__apprentice__full_name"] or row["apprenticeship__apprentice__email"],
                "email": row["apprenticeship__apprentice__email"],
            },
            "program": {"id": row["apprenticeship__program_id"], "title": row["apprenticeship__program__title"]},
            "employer": {"id": row["employer_id"], "name": row["employer__name"]},
            "waiting_since": since,
            "waiting_days": (now - since).days,
            "hour_log": None,
            "milestone": None,
        }
        if kind == HOUR_LOG_ITEM:
            item["hour_log"] = {
                "date": row["date"],
                "hours": row["hours"],
                "kind": row["kind"],
                "work_process": row["work_process_id"]
                and {"id": row["work_process_id"], "title": row["work_process__title"]},
                "course": row["course"],
                "description": row["description"],
            }
        else:
            item["milestone"] = {
                "name": row["definition__name"],
                "kind": row["definition__kind"],
                "threshold_hours": row["definition__threshold_hours"],
                "basis": row["basis"],
            }
        items.append(item)
    return items
