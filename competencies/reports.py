"""The sponsor's numbers ("Partners", "Trained (Enrolled)", "Total Placements"), computed in the
database: a handful of grouped aggregates whatever the number of apprenticeships or logs."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from apprenticeships.models import Apprenticeship, ApprenticeshipStatus, Milestone, MilestoneStatus
from portal.tenancy import Scope
from sponsors.models import Participation

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
    within a sponsor it takes part in."""
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
    sponsors = (
        Participation.objects.filter(employer_id=employer_id).order_by("joined_on").values_list("sponsor_id", flat=True)
    )
    sponsor_id = sponsor if sponsor in set(sponsors) else (None if sponsor else sponsors.first())
    if sponsor_id is None:
        raise Http404
    return sponsor_id, employer_id


def summary(*, sponsor_id, employer_id=None) -> dict:
    """The numbers of a sponsor, or of one employer within it, by program and by employer."""
    apprenticeships = Apprenticeship.objects.filter(program__sponsor_id=sponsor_id)
    if employer_id is not None:
        apprenticeships = apprenticeships.filter(employer_id=employer_id)
    # 1. apprenticeships, approved hours and logs waiting, by program, employer and status
    groups = (
        apprenticeships.values("program_id", "program__title", "employer_id", "employer__name", "status")
        .annotate(
            n=Count("id"),
            ojt=Coalesce(Sum("hour_totals__ojt_approved"), ZERO),
            rti=Coalesce(Sum("hour_totals__rti_approved"), ZERO),
            pending_logs=Coalesce(Sum("hour_totals__pending_logs"), 0),
        )
        .order_by()
    )
    # 2. milestones waiting for a decision
    pending = Milestone.objects.filter(status=MilestoneStatus.PENDING, apprenticeship__program__sponsor_id=sponsor_id)
    if employer_id is not None:
        pending = pending.filter(apprenticeship__employer_id=employer_id)
    pending_milestones = (
        pending.values_list("apprenticeship__program_id", "apprenticeship__employer_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    total, by_program, by_employer, names = _empty(), defaultdict(_empty), defaultdict(_empty), {}
    for row in groups:
        names[("program", row["program_id"])] = row["program__title"]
        names[("employer", row["employer_id"])] = row["employer__name"]
        for bucket in (total, by_program[row["program_id"]], by_employer[row["employer_id"]]):
            bucket["apprenticeships_by_status"][row["status"]] += row["n"]
            bucket["enrolled"] += row["n"]
            bucket["completed"] += row["n"] if row["status"] == ApprenticeshipStatus.COMPLETED else 0
            bucket["placements"] += row["n"] if row["status"] != ApprenticeshipStatus.REGISTERED else 0
            bucket["ojt_hours_approved"] += row["ojt"]
            bucket["rti_hours_approved"] += row["rti"]
            bucket["pending_hour_logs"] += row["pending_logs"]
    for row_program, row_employer, n in pending_milestones:
        for bucket in (total, by_program[row_program], by_employer[row_employer]):
            bucket["pending_milestones"] += n
    # 3. partners: employers taking part in the sponsor's programs
    partners = 1 if employer_id is not None else Participation.objects.filter(sponsor_id=sponsor_id).count()
    return {
        "partners": partners,
        **total,
        "by_program": [
            {"id": program_id, "title": names[("program", program_id)], **numbers}
            for program_id, numbers in sorted(by_program.items(), key=lambda item: names[("program", item[0])])
        ],
        "by_employer": [
            {"id": group_id, "name": names[("employer", group_id)], **numbers}
            for group_id, numbers in sorted(by_employer.items(), key=lambda item: names[("employer", item[0])])
        ],
    }
