"""Reads of progress reviews: which reviews are due for an apprenticeship, which are overdue, and
the reviews a caller may read.

When a review is due (docs/domain.md, "Progress reviews"):
- periodic: on the start date + k × the program's `review_interval_months` (k = 1, 2, ...), for
  as long as the apprenticeship runs (up to its end, or its expected end);
- at a wage step: on the day a wage-step milestone was reached (pending or approved), when the
  program reviews at wage steps (`review_at_wage_steps`) or makes a wage step wait for a signed
  review (`wage_step_needs_review`).
A due review is overdue once REVIEW_GRACE_DAYS have passed since its due date and the apprentice
has not acknowledged it.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from apprenticeships.models import Apprenticeship, MilestoneKind, Program
from apprenticeships.selectors import apprenticeship_scope_filter
from portal.tenancy import Scope

from .models import Milestone, MilestoneStatus, ProgressReview, ReviewReason, ReviewStatus

REVIEW_GRACE_DAYS = 14
# How far ahead of its due date a review may be started.
REVIEW_EARLY_DAYS = 30


def add_months(day: date, months: int) -> date:
    """`day` moved `months` months on, on the last day of a shorter month (Jan 31 + 1 = Feb 28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reviews_wanted_at_wage_steps(program: Program) -> bool:
    return program.review_at_wage_steps or program.wage_step_needs_review


@dataclass(frozen=True)
class DueReview:
    """A review the apprenticeship owes (or owed): its period or wage-step milestone, the due
    date, and the review written for it, if any."""

    reason: str
    due_on: date
    period: int | None = None
    milestone: Milestone | None = None
    review: ProgressReview | None = None

    def overdue(self, today: date) -> bool:
        acknowledged = self.review is not None and self.review.status == ReviewStatus.ACKNOWLEDGED
        return not acknowledged and today > self.due_on + timedelta(days=REVIEW_GRACE_DAYS)


def periodic_due_dates(apprenticeship: Apprenticeship, program: Program, *, until: date) -> list[tuple[int, date]]:
    """[(k, due date)] of the periodic reviews due on or before `until` (and before the
    apprenticeship's end)."""
    interval = program.review_interval_months
    if not interval:
        return []
    end = min(apprenticeship.ended_on or apprenticeship.expected_end_date, until)
    due, k = [], 1
    while (on := add_months(apprenticeship.start_date, k * interval)) <= end:
        due.append((k, on))
        k += 1
    return due


def _reached_on(milestone: Milestone) -> date:
    return timezone.localdate(milestone.reached_at)


def due_reviews(
    apprenticeship: Apprenticeship,
    *,
    program: Program,
    wage_step_milestones: list[Milestone],
    reviews: list[ProgressReview],
    until: date,
) -> list[DueReview]:
    """The reviews `apprenticeship` owes up to `until`, in order of their due dates, each with its
    review if one was written. Computed from what is given (no query): the program, the
    apprenticeship's reached wage-step milestones and its reviews."""
    periodic = {review.period: review for review in reviews if review.reason == ReviewReason.PERIODIC}
    by_milestone = {review.milestone_id: review for review in reviews if review.reason == ReviewReason.WAGE_STEP}
    due = [
        DueReview(reason=ReviewReason.PERIODIC, due_on=on, period=k, review=periodic.get(k))
        for k, on in periodic_due_dates(apprenticeship, program, until=until)
    ]
    if reviews_wanted_at_wage_steps(program):
        due += [
            DueReview(
                reason=ReviewReason.WAGE_STEP,
                due_on=_reached_on(milestone),
                milestone=milestone,
                review=by_milestone.get(milestone.pk),
            )
            for milestone in wage_step_milestones
            if _reached_on(milestone) <= until
        ]
    return sorted(due, key=lambda item: (item.due_on, item.period or 0))


# A wage-step milestone that stands (reached, and not withdrawn, rejected or closed).
STANDING_WAGE_STEP = Q(
    definition__kind=MilestoneKind.WAGE_STEP, status__in=[MilestoneStatus.PENDING, MilestoneStatus.APPROVED]
)


def due_reviews_of(apprenticeship: Apprenticeship, *, until: date) -> list[DueReview]:
    """`due_reviews` of one apprenticeship, read in two queries (its wage-step milestones and
    its reviews; its program is loaded with it)."""
    milestones = list(
        Milestone.objects.filter(STANDING_WAGE_STEP, apprenticeship=apprenticeship).select_related("definition")
    )
    reviews = list(ProgressReview.objects.filter(apprenticeship=apprenticeship))
    return due_reviews(
        apprenticeship,
        program=apprenticeship.program,
        wage_step_milestones=milestones,
        reviews=reviews,
        until=until,
    )


def review_list(*, scope: Scope) -> QuerySet[ProgressReview]:
    """The reviews of the apprenticeships the caller reads."""
    return ProgressReview.objects.filter(apprenticeship_scope_filter(scope, prefix="apprenticeship__"))


def review_detail_queryset(*, scope: Scope) -> QuerySet[ProgressReview]:
    return (
        review_list(scope=scope)
        .select_related(
            "apprenticeship__program__sponsor",
            "apprenticeship__apprentice",
            "apprenticeship__employer",
            "apprenticeship__mentor",
            "milestone__definition",
            "written_by",
            "document",
        )
        .prefetch_related("ratings__work_process")
    )


def reviews_by_apprenticeship(apprenticeship_ids) -> dict[UUID, list[ProgressReview]]:
    """{apprenticeship id: [its reviews]} of the given apprenticeships, in one query (only the
    columns the due computation reads)."""
    found: dict[UUID, list[ProgressReview]] = {}
    for review in ProgressReview.objects.filter(apprenticeship_id__in=apprenticeship_ids).only(
        "id", "apprenticeship_id", "reason", "period", "milestone_id", "status", "due_on"
    ):
        found.setdefault(review.apprenticeship_id, []).append(review)
    return found
