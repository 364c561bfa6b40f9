"""The figures funders ask of a sponsor (or of one employer within it), beside its summary:
completion rate, retention at 90 days, median entry and current wages, and the share of its
participants from each of its priority populations. Counted in the database: one query of
conditional counts and medians (PostgreSQL), whatever the number of apprenticeships."""

import operator
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce

from django.db import connection
from django.db.models import Aggregate, Count, DecimalField, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from apprenticeships.models import Apprenticeship, ApprenticeshipStatus, PriorityPopulation
from portal.aggregates import Median, median_read_in_python

RETENTION_DAYS = 90
# Whose wages the medians are of: apprentices working under the agreement or who completed it.
EARNING = Q(status__in=[ApprenticeshipStatus.ACTIVE, ApprenticeshipStatus.COMPLETED])
CANCELLED = Q(status=ApprenticeshipStatus.CANCELLED)
# The current wage: the current wage step's, or the entry wage before any step.
CURRENT_WAGE = Coalesce(F("current_wage_step__wage"), F("entry_wage"), output_field=DecimalField())


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
    # Retention: of the apprenticeships that started 90 days ago or more, those not cancelled
    # within their first 90 days (an end on day 90 or later keeps them retained).
    started_long_enough = Q(start_date__lte=today - timedelta(days=RETENTION_DAYS))
    left_early = started_long_enough & CANCELLED & Q(time_in__lt=timedelta(days=RETENTION_DAYS))
    counts: dict[str, Aggregate] = {
        "participants": Count("id"),
        "completed": Count("id", filter=Q(status=ApprenticeshipStatus.COMPLETED)),
        "cancelled": Count("id", filter=CANCELLED),
        "started_long_enough": Count("id", filter=started_long_enough),
        "left_early": Count("id", filter=left_early),
        "earning": Count("id", filter=EARNING),
        "in_any": Count(
            "id", filter=reduce(operator.or_, (population.registration_filter() for population in populations))
        )
        if populations
        else Count("id", filter=Q(pk__in=[])),
        **{f"population_{n}": Count("id", filter=p.registration_filter()) for n, p in enumerate(populations)},
    }
    on_postgresql = connection.vendor == "postgresql"
    if on_postgresql:
        counts["median_entry_wage"] = Median("entry_wage", filter=EARNING, output_field=DecimalField())
        counts["median_current_wage"] = Median(CURRENT_WAGE, filter=EARNING, output_field=DecimalField())
    found = apprenticeships.annotate(
        time_in=ExpressionWrapper(F("ended_on") - F("start_date"), output_field=DurationField())
    ).aggregate(**counts)
    if on_postgresql:
        entry, current = found["median_entry_wage"], found["median_current_wage"]
    else:
        # SQLite (the quick start) has no percentile function: two reads of the wages.
        earning = apprenticeships.filter(EARNING)
        entry, current = median_read_in_python(earning, F("entry_wage")), median_read_in_python(earning, CURRENT_WAGE)
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
