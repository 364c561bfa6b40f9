"""Plain helpers of the milestone-flow tests: paths, the milestones read back from the database,
and figures set up without going through a service."""

import datetime

from apprenticeships.models import Apprenticeship
from competencies.models import Milestone

BULK = "/api/v1/hour-logs/bulk/"
SIGNOFFS = "/api/v1/competency-signoffs/"
MILESTONES = "/api/v1/milestones/"


def apprenticeship_url(apprenticeship, action: str = "") -> str:
    return f"/api/v1/apprenticeships/{apprenticeship.id}/{action + '/' if action else ''}"


def milestone_url(milestone, action: str = "") -> str:
    return f"{MILESTONES}{milestone.id}/{action + '/' if action else ''}"


def milestones_of(apprenticeship) -> list[tuple[str, str]]:
    """[(definition name, status)] of the apprenticeship, oldest first, fresh from the database."""
    return list(
        Milestone.objects.filter(apprenticeship=apprenticeship)
        .order_by("reached_at", "definition__name")
        .values_list("definition__name", "status")
    )


def the_milestone(apprenticeship, name: str, status: str = "pending") -> Milestone:
    return Milestone.objects.get(apprenticeship=apprenticeship, definition__name=name, status=status)


def give_credit_quietly(apprenticeship, *, ojt=None, rti=None) -> None:
    """Set credit for prior experience straight in the database: figures to start from, without the
    service (and so without reaching any milestone yet)."""
    changes = {}
    if ojt is not None:
        changes["ojt_credit_hours"] = ojt
    if rti is not None:
        changes["rti_credit_hours"] = rti
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(**changes)


def days_from(first: datetime.date, count: int) -> list[str]:
    return [(first + datetime.timedelta(days=offset)).isoformat() for offset in range(count)]
