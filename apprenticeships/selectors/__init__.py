"""Reads of the apprenticeships app: scopes, programs, apprenticeships, the RAPIDS files and the
vault here; emergency aid in aid.py."""

import uuid
from collections import defaultdict
from dataclasses import replace

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from portal.errors import Forbidden
from portal.models import User
from portal.tenancy import Scope, any_of, staff_grants_filter
from sponsors.selectors import caller_scope as sponsor_caller_scope

from ..models import (
    Apprenticeship,
    ApprenticeshipStatus,
    Competency,
    MilestoneDefinition,
    Occupation,
    Program,
    WorkProcess,
)


def occupation_list() -> QuerySet[Occupation]:
    """The national catalog: every signed-in user reads all of it."""
    return Occupation.objects.all()


def caller_scope(*, user: User) -> Scope:
    """The sponsors app's scope plus the caller's own apprenticeships (one more query)."""
    scope = sponsor_caller_scope(user=user)
    own = frozenset(Apprenticeship.objects.filter(apprentice=user).values_list("id", flat=True))
    return replace(scope, apprenticeship_ids=own)


def program_list(*, scope: Scope) -> QuerySet[Program]:
    """Programs of the caller's sponsors (RAPS admins; employer staff of a taking-part
    employer) and the programs of the caller's own apprenticeships."""
    own_programs = Apprenticeship.objects.filter(id__in=scope.apprenticeship_ids).values("program_id")
    return (
        Program.objects.filter(Q(sponsor_id__in=scope.member_sponsor_ids) | Q(id__in=own_programs))
        .select_related("occupation")
        .prefetch_related(
            Prefetch("work_processes", queryset=WorkProcess.objects.prefetch_related("competencies")),
            "wage_steps",
            Prefetch("milestone_definitions", queryset=MilestoneDefinition.objects.select_related("work_process")),
        )
    )


def apprenticeship_scope_filter(scope: Scope, prefix: str = "") -> Q:
    """Which apprenticeships a caller reads: RAPS admins their sponsor's, employer staff their
    employer's, apprentices their own. `prefix` lets other apps filter their records by it."""
    return any_of(
        scope.admin_sponsor_ids and Q(**{f"{prefix}program__sponsor_id__in": scope.admin_sponsor_ids}),
        scope.staff_grants
        and staff_grants_filter(
            scope.staff_grants, employer_field=f"{prefix}employer_id", sponsor_field=f"{prefix}program__sponsor_id"
        ),
        scope.apprenticeship_ids and Q(**{f"{prefix}id__in": scope.apprenticeship_ids}),
    )


def visible_apprenticeship_ids(scope: Scope) -> QuerySet:
    """The ids of the apprenticeships the caller reads, as a subquery: records of other apps
    filter with `apprenticeship_id__in=` it, which the database plans as a semi-join."""
    return Apprenticeship.objects.filter(apprenticeship_scope_filter(scope)).values("id")


def employer_keyed_scope_filter(scope: Scope) -> Q:
    """The same records as `visible_apprenticeship_ids`, for records that carry their
    apprenticeship's employer (hour logs, running totals): employer staff match on the record's
    own `employer_id`, so their newest-first page is read from the employer's index, not found
    among every employer's; apprentices on their own apprenticeships' ids."""
    sponsors_apprenticeships = scope.admin_sponsor_ids and Apprenticeship.objects.filter(
        program__sponsor_id__in=scope.admin_sponsor_ids
    ).values("id")
    return any_of(
        scope.admin_sponsor_ids and Q(apprenticeship_id__in=sponsors_apprenticeships),
        scope.staff_grants
        and staff_grants_filter(
            scope.staff_grants, employer_field="employer_id", sponsor_field="apprenticeship__program__sponsor_id"
        ),
        scope.apprenticeship_ids and Q(apprenticeship_id__in=scope.apprenticeship_ids),
    )


def apprenticeships_in_scope(*, scope: Scope) -> QuerySet[Apprenticeship]:
    """The caller's apprenticeships with nothing joined: to look one up by an id sent in a body
    (the service that writes locks and loads it again with what it needs)."""
    return Apprenticeship.objects.filter(apprenticeship_scope_filter(scope))


def competencies_in_scope(*, scope: Scope) -> QuerySet[Competency]:
    """Competencies of the programs the caller reads: to look one up by an id sent in a body
    (whether it fits the apprenticeship is the service's rule)."""
    return Competency.objects.select_related("work_process").filter(
        work_process__program_id__in=program_list(scope=scope).values("id")
    )


def work_process_name(value) -> str:
    """How a client's name for a work process is looked up: its id, or its title in any case."""
    text = str(value).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text.casefold()


def work_processes_by_name(*, program_ids) -> dict:
    """{program id: {name: work process id}} of the programs' work processes, each under its
    id and its title (`work_process_name`), in one query: to find the work process a log names
    among its apprenticeship's program's."""
    named: defaultdict[uuid.UUID, dict[str, uuid.UUID]] = defaultdict(dict)
    rows = WorkProcess.objects.filter(program_id__in=set(program_ids)).values_list("program_id", "id", "title")
    for program_id, process_id, title in rows:
        named[program_id] |= {work_process_name(title): process_id, str(process_id): process_id}
    return named


def apprenticeship_list(*, scope: Scope) -> QuerySet[Apprenticeship]:
    """The apprenticeships the caller reads, with what a row shows. The rows' own people and
    registration are joined; the few programs, sponsors, employers, mentors and wage steps a
    page names are read in one query each: PostgreSQL plans a join of eight tables in tens of
    milliseconds (it weighs every order of them), longer than a page takes to read."""
    return (
        Apprenticeship.objects.filter(apprenticeship_scope_filter(scope))
        .select_related("apprentice", "program", "registration")
        # Never shown: the SSN (read back masked, from ssn_last4) is not decrypted for every row,
        # nor are times no row shows turned into datetimes.
        .defer(
            "registration__ssn",
            "registration__created_at",
            "registration__updated_at",
            "apprentice__password",
            "apprentice__last_login",
            "apprentice__date_joined",
            "program__created_at",
            "program__updated_at",
        )
        .prefetch_related("program__sponsor", "employer", "mentor", "current_wage_step")
    )


def may_read_personal_data(*, scope: Scope, apprenticeship: Apprenticeship) -> bool:
    """Date of birth and demographics: RAPS admins of the sponsor and the apprentice only."""
    return scope.is_raps_admin(apprenticeship.program.sponsor_id) or apprenticeship.apprentice_id == scope.user_id


def rapids_export_apprenticeships(
    *, scope: Scope, registered_after=None, registered_before=None
) -> QuerySet[Apprenticeship]:
    """The sponsor's apprenticeships for the RAPIDS file (RAPS admins only), by the date they
    were registered in the portal. Forbidden to anyone else."""
    if not scope.admin_sponsor_ids:
        raise Forbidden(_("Only RAPS administrators export RAPIDS files."))
    queryset = Apprenticeship.objects.filter(program__sponsor_id__in=scope.admin_sponsor_ids)
    if registered_after:
        queryset = queryset.filter(created_at__date__gte=registered_after)
    if registered_before:
        queryset = queryset.filter(created_at__date__lte=registered_before)
    return queryset


def rapids_exit_apprenticeships(*, scope: Scope, ended_after=None, ended_before=None) -> QuerySet[Apprenticeship]:
    """The sponsor's completed and cancelled apprenticeships for the RAPIDS exits file (RAPS
    admins only), by the date the exit took effect. Forbidden to anyone else."""
    if not scope.admin_sponsor_ids:
        raise Forbidden(_("Only RAPS administrators export RAPIDS files."))
    queryset = Apprenticeship.objects.filter(
        program__sponsor_id__in=scope.admin_sponsor_ids,
        status__in=[ApprenticeshipStatus.COMPLETED, ApprenticeshipStatus.CANCELLED],
    )
    if ended_after:
        queryset = queryset.filter(ended_on__gte=ended_after)
    if ended_before:
        queryset = queryset.filter(ended_on__lte=ended_before)
    return queryset


def document_list(*, apprenticeship: Apprenticeship):
    """The vault of one apprenticeship (already found in the caller's scope), with what a row
    shows: uploader and newer version joined."""
    from ..models import Document

    return Document.objects.filter(apprenticeship=apprenticeship).select_related("uploaded_by", "superseded_by")


def document_verified(code: str):
    """The document a verification code names ("k7qh-9mxr-2tbd", any case, any dashes or
    spaces), or None."""
    from ..models import Document
    from ..models.documents import CODE_LENGTH

    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != CODE_LENGTH:
        return None
    return Document.objects.filter(verification_code=cleaned).only("kind", "issued_on", "status").first()
