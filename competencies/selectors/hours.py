"""Reads of hours, sign-offs, milestones and imports, scoped like the apprenticeships they
belong to."""

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Lower

from apprenticeships.models import Apprenticeship, Program
from apprenticeships.selectors import (
    apprenticeship_scope_filter,
    employer_keyed_scope_filter,
    visible_apprenticeship_ids,
)
from portal.tenancy import Scope, any_of, staff_grants_filter

from ..models import (
    COUNTING_STATUSES,
    CompetencySignOff,
    HourImport,
    HourLog,
    HourTotals,
    Milestone,
)

if TYPE_CHECKING:
    pass


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
