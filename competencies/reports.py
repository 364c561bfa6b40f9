"""The sponsor's numbers ("Partners", "Trained (Enrolled)", "Total Placements"), computed in the
database: a handful of grouped aggregates whatever the number of apprenticeships or logs."""

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apprenticeships.models import Apprenticeship, ApprenticeshipStatus, MilestoneKind
from apprenticeships.selectors import apprenticeship_scope_filter, employer_keyed_scope_filter
from portal.errors import Forbidden
from portal.tenancy import Scope
from sponsors.models import Participation

from . import funder, reviews, selectors
from .models import HourLog, HourLogStatus, Milestone, MilestoneStatus
from .selectors.progress import _project
from .summary_reads import summary_reads

ZERO = Decimal("0")


def _empty() -> dict:
    return {
        "apprenticeships_by_status": {status: 0 for status in ApprenticeshipStatus.values},
        "enrolled": 0,
        "completed": 0,
        "placements": 0,
        "ojt_hours_approved": ZERO,
        "rti_hours_approved": ZERO,
        "pending_hour_logs": 0,
        "pending_milestones": 0,
    }


def report_scope(*, scope: Scope, sponsor=None, employer=None) -> tuple:
    """(sponsor id, employer id or None) of the report the caller asks for, or 404.

    A RAPS admin reads their sponsor, or one of its employers; an employer admin their employer,
    within a sponsor it takes part in; anyone else may read no report (403)."""
    if not (scope.admin_sponsor_ids or scope.admin_employer_ids):
        raise Forbidden(_("Reports are for RAPS administrators and employer administrators."))
    if scope.admin_sponsor_ids:
        sponsor_id = sponsor or sorted(scope.admin_sponsor_ids, key=str)[0]
        if sponsor_id in scope.admin_sponsor_ids and (
            employer is None or Participation.objects.filter(sponsor_id=sponsor_id, employer_id=employer).exists()
        ):
            return sponsor_id, employer
        if employer is None or employer not in scope.admin_employer_ids:
            raise Http404
    employer_id = employer or sorted(scope.admin_employer_ids, key=str)[0]
    if employer_id not in scope.admin_employer_ids:
        raise Http404
    sponsors = [
        sponsor_id
        for sponsor_id in Participation.objects.filter(employer_id=employer_id)
        .order_by("joined_on", "pk")
        .values_list("sponsor_id", flat=True)
        if scope.is_employer_admin(employer_id, sponsor_id)
    ]
    sponsor_id = sponsor if sponsor in sponsors else (None if sponsor else next(iter(sponsors), None))
    if sponsor_id is None:
        raise Http404
    return sponsor_id, employer_id


def summary(*, sponsor_id, employer_id=None) -> dict:
    """The numbers of a sponsor, or of one employer within it, by program and by employer."""
    # 1. apprenticeships, approved hours and logs waiting, by program and by employer (and
    #    status), added up in the database from the running totals, which carry each
    #    apprenticeship's program, employer and status; with the milestones waiting for a
    #    decision, by the program and employer they carry; 2. partners: employers taking part
    #    in the sponsor's programs; 3. the Worker Equity Fund (one statement on PostgreSQL)
    reads = summary_reads(sponsor_id=sponsor_id, employer_id=employer_id)
    total, names = _empty(), {}
    by_program: defaultdict[UUID, dict] = defaultdict(_empty)
    by_employer: defaultdict[UUID, dict] = defaultdict(_empty)

    def add(bucket, status, n, ojt, rti, pending_logs):
        bucket["apprenticeships_by_status"][status] += n
        bucket["enrolled"] += n
        bucket["completed"] += n if status == ApprenticeshipStatus.COMPLETED else 0
        bucket["placements"] += n if status != ApprenticeshipStatus.REGISTERED else 0
        bucket["ojt_hours_approved"] += ojt
        bucket["rti_hours_approved"] += rti
        bucket["pending_hour_logs"] += pending_logs

    for program_id, title, *row in reads.by_program:
        names[("program", program_id)] = title
        add(by_program[program_id], *row)
        add(total, *row)
    for group_id, name, *row in reads.by_employer:
        names[("employer", group_id)] = name
        add(by_employer[group_id], *row)
    for program_id, n in reads.pending_milestones_by_program:
        total["pending_milestones"] += n
        by_program[program_id]["pending_milestones"] += n
    for group_id, n in reads.pending_milestones_by_employer:
        by_employer[group_id]["pending_milestones"] += n
    return {
        "partners": reads.partners,
        **reads.worker_equity_fund,
        **total,
        # 4. the funders' figures (competencies/funder.py): two queries more
        "outcomes": funder.outcomes(sponsor_id=sponsor_id, employer_id=employer_id),
        "by_program": [
            {"id": program_id, "title": names[("program", program_id)], **numbers}
            for program_id, numbers in sorted(by_program.items(), key=lambda item: names[("program", item[0])])
        ],
        "by_employer": [
            {"id": group_id, "name": names[("employer", group_id)], **numbers}
            for group_id, numbers in sorted(by_employer.items(), key=lambda item: names[("employer", item[0])])
        ],
    }


# --- the work summary: what is missing or due this week -----------------------------------------

QUIET_DAYS = 7  # no hours logged for this many days
STALE_DAYS = 7  # a submission waiting longer than this
PROBATION_WITHIN_DAYS = 30
ENDING_WITHIN_DAYS = 60
WORK_SUMMARY_MAX_ITEMS = 200  # each list shows its oldest or first this many; `count` is all of them


# What the work summary reads of an apprenticeship and never shows or computes with.
UNSHOWN_APPRENTICESHIP_COLUMNS = (
    "created_at",
    "updated_at",
    "cancellation_reason",
    "credit_basis",
    "apprentice__password",
    "apprentice__last_login",
    "apprentice__date_joined",
)


def _listed(items: list) -> dict:
    return {"count": len(items), "items": items[:WORK_SUMMARY_MAX_ITEMS]}


def _who(apprenticeship) -> dict:
    """The apprenticeship of an item, with the names a screen shows."""
    apprentice = apprenticeship.apprentice
    return {
        "apprenticeship": apprenticeship.pk,
        "apprentice": {"id": apprentice.pk, "name": apprentice.display_name, "email": apprentice.email},
        "program": {"id": apprenticeship.program_id, "title": apprenticeship.program.title},
        "employer": {"id": apprenticeship.employer_id, "name": apprenticeship.employer.name},
    }


def work_summary_scope(*, scope: Scope) -> Scope:
    """The work summary reads what the caller oversees: RAPS admins their sponsor's
    apprenticeships, employer staff their employer's; not their own as an apprentice (403 for
    one who oversees nothing)."""
    if not (scope.admin_sponsor_ids or scope.staff_grants):
        raise Forbidden(_("The work summary is for RAPS administrators and employer staff."))
    return replace(scope, apprenticeship_ids=frozenset())


def work_summary(*, scope: Scope, today: date) -> dict:
    """What is missing or due this week, each as a list with names, in three queries whatever
    the number of apprenticeships (four when a program has progress reviews): the active
    apprenticeships with their running totals and pace window (no hours lately, behind pace,
    probation ending, expected end near), the submissions waiting longer than 7 days, the
    pending milestones (wage steps apart; with the approved wage steps that are due a review),
    and the reviews written, for the reviews overdue. Pace and probation come from the progress
    computation (`selectors.hours_and_pace`, `_project`)."""
    scope = work_summary_scope(scope=scope)
    active = selectors.roster_apprenticeships(
        Apprenticeship.objects.filter(apprenticeship_scope_filter(scope), status=ApprenticeshipStatus.ACTIVE)
        # Every active apprenticeship of a sponsor (thousands): the few programs and employers
        # read once each and shared by the rows, no column a list does not show turned into a
        # value (a sponsor of 5,000 took over a second building model instances).
        .select_related("apprentice")
        .prefetch_related("program", "employer")
        .defer(*UNSHOWN_APPRENTICESHIP_COLUMNS)
        .order_by("expected_end_date", "pk"),
        today=today,
    )
    quiet, behind, probation, ending = [], [], [], []
    reviewed = {}  # the active apprenticeships whose program has progress reviews, with their names
    for apprenticeship in active:
        hours = selectors.hours_and_pace(apprenticeship=apprenticeship, today=today)  # type: ignore[arg-type]
        totals = getattr(apprenticeship, "hour_totals", None)
        last = totals.last_logged_on if totals else None
        who = _who(apprenticeship)
        if (
            reviews.reviews_wanted_at_wage_steps(apprenticeship.program)
            or apprenticeship.program.review_interval_months
        ):
            reviewed[apprenticeship.pk] = (apprenticeship, who)
        if last is None or last <= today - timedelta(days=QUIET_DAYS):
            quiet.append({**who, "last_logged_on": last})
        pace = hours["pace"]
        if not pace["on_track"]:
            behind.append({**who, **pace})
        done = hours["ojt"]["approved"] + hours["ojt"]["credited"]
        to_probation = apprenticeship.program.probation_hours - done
        if to_probation > 0:
            _per_week, reaches_on = _project(
                recent_total=apprenticeship.pace_window_ojt or ZERO,  # type: ignore[attr-defined]
                remaining=to_probation,
                start_date=apprenticeship.start_date,
                today=today,
            )
            if reaches_on is not None and reaches_on <= today + timedelta(days=PROBATION_WITHIN_DAYS):
                probation.append(
                    {
                        **who,
                        "probation_hours": apprenticeship.program.probation_hours,
                        "hours_to_go": to_probation,
                        "projected_on": reaches_on,
                    }
                )
        if apprenticeship.expected_end_date <= today + timedelta(days=ENDING_WITHIN_DAYS):
            ending.append(
                {**who, "expected_end_date": apprenticeship.expected_end_date, "percent": hours["ojt"]["percent"]}
            )
    quiet.sort(key=lambda item: (item["last_logged_on"] is not None, item["last_logged_on"] or today))
    stale = [
        {
            **_who(log.apprenticeship),
            "id": log.pk,
            "date": log.date,
            "hours": log.hours,
            "kind": log.kind,
            "submitted_at": log.created_at,
            "days_waiting": (today - timezone.localdate(log.created_at)).days,
        }
        for log in HourLog.objects.filter(
            employer_keyed_scope_filter(scope),
            status=HourLogStatus.SUBMITTED,
            created_at__lt=timezone.now() - timedelta(days=STALE_DAYS),
        )
        .select_related("apprenticeship__apprentice", "apprenticeship__program", "apprenticeship__employer")
        .order_by("created_at", "pk")[: WORK_SUMMARY_MAX_ITEMS + 1]
    ]
    milestones: list[dict] = []
    wage_steps: list[dict] = []
    standing_wage_steps: dict = {}
    for milestone in (
        # Pending milestones, and the approved wage steps of programs that review at wage steps
        # (a review is due at each: reviews_overdue below).
        Milestone.objects.filter(
            selectors.copy_keyed_scope_filter(scope),
            Q(status=MilestoneStatus.PENDING)
            | Q(
                Q(program__review_at_wage_steps=True) | Q(program__wage_step_needs_review=True),
                status=MilestoneStatus.APPROVED,
                definition__kind=MilestoneKind.WAGE_STEP,
            ),
        )
        .select_related("definition", "apprenticeship__apprentice")
        .prefetch_related("apprenticeship__program", "apprenticeship__employer")
        .defer(*(f"apprenticeship__{column}" for column in UNSHOWN_APPRENTICESHIP_COLUMNS))
        .order_by("reached_at", "pk")
    ):
        if milestone.definition.kind == MilestoneKind.WAGE_STEP:
            standing_wage_steps.setdefault(milestone.apprenticeship_id, []).append(milestone)
        if milestone.status != MilestoneStatus.PENDING:
            continue
        item = {
            **_who(milestone.apprenticeship),
            "id": milestone.pk,
            "name": milestone.definition.name,
            "kind": milestone.definition.kind,
            "reached_at": milestone.reached_at,
        }
        (wage_steps if milestone.definition.kind == MilestoneKind.WAGE_STEP else milestones).append(item)
    return {
        "as_of": today,
        "no_hours_lately": _listed(quiet),
        "hours_waiting": _listed(stale),
        "milestones_pending": _listed(milestones),
        "wage_steps_due": _listed(wage_steps),
        "behind_pace": _listed(sorted(behind, key=lambda item: item["projected_completion_date"] or date.max)),
        "probation_ending": _listed(sorted(probation, key=lambda item: item["projected_on"])),
        "ending_soon": _listed(ending),
        "reviews_overdue": _listed(_reviews_overdue(reviewed, standing_wage_steps, today=today)),
    }


def _reviews_overdue(reviewed: dict, wage_steps: dict, *, today: date) -> list[dict]:
    """The overdue progress reviews of the `reviewed` apprenticeships ({id: (apprenticeship,
    names)}), oldest due first: one query (their reviews), none when no program has reviews."""
    if not reviewed:
        return []
    written = reviews.reviews_by_apprenticeship(list(reviewed))
    overdue = []
    for apprenticeship_id, (apprenticeship, who) in reviewed.items():
        for item in reviews.due_reviews(
            apprenticeship,
            program=apprenticeship.program,
            wage_step_milestones=wage_steps.get(apprenticeship_id, []),
            reviews=written.get(apprenticeship_id, []),
            until=today,
        ):
            if item.overdue(today):
                overdue.append(
                    {
                        **who,
                        "reason": item.reason,
                        "period": item.period,
                        "milestone": item.milestone.pk if item.milestone else None,
                        "due_on": item.due_on,
                        "review": item.review.pk if item.review else None,
                        "status": item.review.status if item.review else None,
                    }
                )
    return sorted(overdue, key=lambda item: (item["due_on"], str(item["apprenticeship"])))
