"""The apprenticeships list (and the roster, `?include=progress`) read as rows of values, not as
model instances.

A page is 200 rows, and each row is an apprenticeship with its apprentice, program, registration
and running totals: built as Django model instances, that is over a thousand objects a page,
which took most of the request. Here the page is one `values()` query, and each row becomes a
plain object with the same attribute names as the models it stands for (`row.apprentice.email`,
`row.program.sponsor.name`, `row.registration.first_name`, `row.hour_totals.ojt_approved`), so
that the one writer of an apprenticeship (ApprenticeshipSerializer) and the one computation of
progress (competencies/selectors/progress.py `roster_progress`) read it as they read a model.
The few sponsors, employers and mentors a page names are read in one query each, as before.
"""

from collections.abc import Iterable
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import QuerySet

from portal.api.pagination import values_of
from portal.models import User
from sponsors.models import Employer, Sponsor

from ..models import ApprenticeRegistration, Apprenticeship

# Every column of the apprenticeship; of the registration, what a row shows (never the SSN,
# which is read back masked from ssn_last4, nor its lookup hash).
APPRENTICESHIP_COLUMNS = tuple(field.attname for field in Apprenticeship._meta.concrete_fields)
REGISTRATION_UNREAD = frozenset({"ssn", "ssn_lookup", "created_at", "updated_at", "apprenticeship"})
REGISTRATION_COLUMNS = tuple(
    field.attname for field in ApprenticeRegistration._meta.concrete_fields if field.name not in REGISTRATION_UNREAD
)
PEOPLE_AND_PROGRAM = {
    "apprentice": ("email", "full_name"),
    "program": ("title", "sponsor_id", "ojt_hours_required", "rti_hours_required"),
}
# The running totals (competencies.HourTotals) and what the roster annotates, with `?include=progress`.
TOTALS_COLUMNS = ("ojt_approved", "ojt_pending", "rti_approved", "rti_pending", "pending_logs", "last_logged_on")
ROSTER_ANNOTATIONS = ("pace_window_ojt", "pending_milestones")


def columns(*, roster: bool) -> list[str]:
    """The `values()` of a page: the apprenticeship, its apprentice's and program's names, its
    registration and, for the roster, its running totals and annotations."""
    names = list(APPRENTICESHIP_COLUMNS)
    names += [f"{relation}__{name}" for relation, fields in PEOPLE_AND_PROGRAM.items() for name in fields]
    names += [f"registration__{name}" for name in REGISTRATION_COLUMNS]
    if roster:
        names += [f"hour_totals__{name}" for name in TOTALS_COLUMNS] + list(ROSTER_ANNOTATIONS)
    return names


def page_values(queryset: QuerySet[Apprenticeship], *, roster: bool) -> QuerySet:
    """The list's queryset (filtered, searched, ordered) read as the values of `columns`: what it
    joins or prefetches for model instances does not apply to values. Counted as the filtered
    apprenticeships alone (`values_of`): a COUNT(*) of the values would join the apprentice,
    registration and running totals of every row (4.9 ms against 1.5 ms for the benchmark's
    sponsor of 5,000)."""
    return values_of(queryset.prefetch_related(None), columns(roster=roster))


def _nested(values: dict, prefix: str, names: Iterable[str]) -> SimpleNamespace:
    return SimpleNamespace(**{name: values[f"{prefix}__{name}"] for name in names})


# A row with no running totals reads as one whose totals are all zero (the ledger makes them
# with the apprenticeship, so this is a registration made before they existed).
NO_TOTALS = {name: Decimal("0") for name in ("ojt_approved", "ojt_pending", "rti_approved", "rti_pending")}


def rows(page: Iterable[dict], *, roster: bool) -> list[SimpleNamespace]:
    """The page's values as rows with the models' attribute names; its sponsors', employers' and
    mentors' names in one query each (none for a page that names none)."""
    page = list(page)
    sponsors = _names(Sponsor, {values["program__sponsor_id"] for values in page}, "name")
    employers = _names(Employer, {values["employer_id"] for values in page}, "name")
    mentors = _names(User, {values["mentor_id"] for values in page} - {None}, "full_name", "email")
    result = []
    for values in page:
        row = SimpleNamespace(**{name: values[name] for name in APPRENTICESHIP_COLUMNS})
        row.apprentice = _nested(values, "apprentice", PEOPLE_AND_PROGRAM["apprentice"])
        row.apprentice.id = row.apprentice_id
        row.program = _nested(values, "program", PEOPLE_AND_PROGRAM["program"])
        row.program.id = row.program_id
        row.program.sponsor = sponsors[row.program.sponsor_id]
        row.employer = employers[row.employer_id]
        row.mentor = mentors.get(row.mentor_id)
        if row.mentor is not None:
            row.mentor.display_name = row.mentor.full_name or row.mentor.email
        has_registration = values["registration__id"] is not None
        row.registration = _nested(values, "registration", REGISTRATION_COLUMNS) if has_registration else None
        if roster:
            totals = _nested(values, "hour_totals", TOTALS_COLUMNS)
            if totals.ojt_approved is None:
                totals = SimpleNamespace(**NO_TOTALS, pending_logs=0, last_logged_on=None)
            row.hour_totals = totals
            for name in ROSTER_ANNOTATIONS:
                setattr(row, name, values[name])
        result.append(row)
    return result


def _names(model, ids: set, *fields: str) -> dict:
    """{id: an object with `id` and `fields`} of the given ids, in one query (none for no ids),
    through the base manager as a prefetch of the relation would read them."""
    if not ids:
        return {}
    return {
        values["id"]: SimpleNamespace(**values)
        for values in model._base_manager.filter(pk__in=ids).values("id", *fields)
    }
