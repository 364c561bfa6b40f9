"""The figures funders ask of a sponsor (or of one employer within it), beside its summary:
completion rate, retention at 90 days, median entry and current wages, and the share of its
participants from each of its priority populations. One grouped query, on any database, whatever
the number of apprenticeships: how many have each combination of what the figures read."""

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, DecimalField, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from apprenticeships.models import Apprenticeship, ApprenticeshipStatus, PriorityPopulation
from portal.aggregates import median_of_counts

RETENTION_DAYS = 90
# Whose wages the medians are of: apprentices working under the agreement or who completed it.
EARNING = (ApprenticeshipStatus.ACTIVE, ApprenticeshipStatus.COMPLETED)
# The current wage: the current wage step's, or the entry wage before any step.
CURRENT_WAGE = Coalesce(F("current_wage_step__wage"), F("entry_wage"), output_field=DecimalField())


def _flag(condition: Q) -> ExpressionWrapper:
    """A condition as a value to group by: true, or false (or null, where a date it reads is)."""
    return ExpressionWrapper(condition, output_field=BooleanField())


def _share(count: int, of: int) -> float | None:
    return round(count / of, 3) if of else None


def _cents(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def outcomes(*, sponsor_id, employer_id=None, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    apprenticeships: QuerySet[Apprenticeship] = Apprenticeship.objects.filter(program__sponsor_id=sponsor_id)
    if employer_id is not None:
        apprenticeships = apprenticeships.filter(employer_id=employer_id)
    populations = list(PriorityPopulation.objects.filter(sponsor_id=sponsor_id, active=True).order_by("name", "pk"))
    # One grouped read: how many apprenticeships have each status, entry and current wage,
    # whether they started 90 days ago or more, whether they ended within their first 90 days,
    # and which priority populations they are in; every figure is added up from those groups,
    # the medians included (portal/aggregates.py).
    groups = apprenticeships.annotate(
        time_in=ExpressionWrapper(F("ended_on") - F("start_date"), output_field=DurationField())
    ).values(
        "status",
        "entry_wage",
        current_wage=CURRENT_WAGE,
        started_long_enough=_flag(Q(start_date__lte=today - timedelta(days=RETENTION_DAYS))),
        ended_within=_flag(Q(time_in__lt=timedelta(days=RETENTION_DAYS))),
        **{f"population_{n}": _flag(population.registration_filter()) for n, population in enumerate(populations)},
    )
    found: Counter[str] = Counter()
    entry_wages: Counter[Decimal | None] = Counter()
    current_wages: Counter[Decimal | None] = Counter()
    rows: Iterable[Mapping[str, Any]] = groups.annotate(n=Count("id")).order_by()
    for group in rows:
        n, status = group["n"], group["status"]
        found["participants"] += n
        found[status] += n
        if group["started_long_enough"]:
            found["started_long_enough"] += n
            # Retention: of those, the ones not cancelled within their first 90 days (an end on
            # day 90 or later keeps them retained).
            found["left_early"] += n if status == ApprenticeshipStatus.CANCELLED and group["ended_within"] else 0
        if status in EARNING:
            found["earning"] += n
            entry_wages[group["entry_wage"]] += n
            current_wages[group["current_wage"]] += n
        inside = [bool(group[f"population_{index}"]) for index in range(len(populations))]
        found["in_any"] += n if any(inside) else 0
        for index, is_in in enumerate(inside):
            found[f"population_{index}"] += n if is_in else 0
    entry, current = median_of_counts(entry_wages), median_of_counts(current_wages)
    found["completed"], found["cancelled"] = (
        found[ApprenticeshipStatus.COMPLETED],
        found[ApprenticeshipStatus.CANCELLED],
    )
    participants = found["participants"]
    retained = found["started_long_enough"] - found["left_early"]
    return {
        "completed": found["completed"],
        "cancelled": found["cancelled"],
        "completion_rate": _share(found["completed"], found["completed"] + found["cancelled"]),
        "retention_90_days": {
            "started": found["started_long_enough"],
            "retained": retained,
            "rate": _share(retained, found["started_long_enough"]),
        },
        "wages_of": found["earning"],
        "median_entry_wage": _cents(entry),
        "median_current_wage": _cents(current),
        "priority_populations": {
            "participants": participants,
            "in_any": {"count": found["in_any"], "share": _share(found["in_any"], participants)},
            "populations": [
                {
                    # Named, not by id: employer admins read the summary, not the populations.
                    "name": population.name,
                    "criterion": population.criterion,
                    "count": found[f"population_{n}"],
                    "share": _share(found[f"population_{n}"], participants),
                }
                for n, population in enumerate(populations)
            ],
        },
    }
