"""Reads of progress: the hours blocks, the pace over the last 8 weeks, the roster's rows, the
progress endpoint and its chart, all from the running totals."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from apprenticeships.models import Apprenticeship, MilestoneDefinition, MilestoneKind, WorkProcess
from apprenticeships.selectors import (
    apprenticeship_scope_filter,
)
from portal.tenancy import Scope

from ..charts import progress_svg
from ..models import (
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
