"""The review queue: what waits for the caller's decision, hour logs and milestones in one
list, oldest first."""

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import F, Q, QuerySet, Value
from django.utils import timezone

from apprenticeships.models import Program
from portal.tenancy import Scope, any_of, staff_grants_filter

from ..models import (
    HourKind,
    HourLog,
    HourLogStatus,
    Milestone,
    MilestoneStatus,
)

if TYPE_CHECKING:
    pass


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
