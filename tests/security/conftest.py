"""The world of the authorization matrix: two sponsors that share one employer.

- Sponsor s1 runs a program with employer A (only s1's) and employer SHARED;
- sponsor s2 runs a program with employer C (only s2's) and employer SHARED.

Each sponsor has an apprenticeship at its own employer and one at SHARED, each with a submitted
and an approved hour log, a competency sign-off and a pending milestone; an invitation into its
own employer and one into SHARED; notifications for its RAPS admin and its apprentice.

The roles (`ROLES`), by name: for each sponsor its RAPS admin, the admin and the supervisor of
its own employer, a supervisor at SHARED (limited to the sponsor's programs), the apprentice at
its own employer and the apprentice at SHARED; then an admin of SHARED limited to no sponsor,
platform staff, an outsider (signed in, no role) and anonymous. Every record says whose it is (sponsor, employer, owner), so that the
matrix states the rules on those, not on hand-written lists of who sees what.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from apprenticeships.models import PriorityPopulation
from apprenticeships.services import document_file
from competencies.models import HourTotals, ProgressReview, ReviewRating, WorkProcessTotal
from sponsors.models import Membership
from tests import factories
from tests.aid.helpers import approved as approved_aid
from tests.aid.helpers import make_fund, make_request

SPONSORS = ("s1", "s2")
# The employer of each sponsor's own, and which sponsors' programs each employer takes part in.
OWN_EMPLOYER = {"s1": "A", "s2": "C"}
EMPLOYER_SPONSORS = {"A": ("s1",), "SHARED": ("s1", "s2"), "C": ("s2",)}


@dataclass(frozen=True)
class Role:
    kind: str  # raps_admin | employer_admin | supervisor | apprentice | platform_staff | outsider | anonymous
    sponsor: str | None = None  # the sponsor whose records the role is for (employer staff: None, all)
    employer: str | None = None  # employer staff: their employer; apprentices: their apprenticeship's

    @property
    def is_employer_staff(self) -> bool:
        return self.kind in ("employer_admin", "supervisor")


ROLES: dict[str, Role] = {}
for _sponsor in SPONSORS:
    _own = OWN_EMPLOYER[_sponsor]
    ROLES |= {
        f"{_sponsor}_raps_admin": Role("raps_admin", _sponsor),
        f"{_sponsor}_employer_admin": Role("employer_admin", _sponsor, _own),
        f"{_sponsor}_supervisor": Role("supervisor", _sponsor, _own),
        f"{_sponsor}_shared_supervisor": Role("supervisor", _sponsor, "SHARED"),
        f"{_sponsor}_apprentice": Role("apprentice", _sponsor, _own),
        f"{_sponsor}_shared_apprentice": Role("apprentice", _sponsor, "SHARED"),
    }
ROLES |= {
    # Made by platform staff, limited to no sponsor: employer-wide, every program SHARED takes part in.
    "shared_employer_admin": Role("employer_admin", None, "SHARED"),
    "platform_staff": Role("platform_staff"),
    "outsider": Role("outsider"),
    "anonymous": Role("anonymous"),
}


@dataclass
class Record:
    """One record of the world, and whose it is."""

    resource: str  # the API's name for it: "apprenticeships", "hour-logs", ...
    key: str  # e.g. "s1_SHARED" (sponsor_employer), "s2_raps_admin" (a notification's owner)
    obj: Any
    sponsor: str | None = None
    employer: str | None = None
    owner: str | None = None  # the role the record belongs to (a notification's recipient, a log's author)
    state: str | None = None  # hour logs: "submitted" | "approved"
    refs: tuple[str, ...] = ()  # ids of the records it names, which whoever reads it may see

    @property
    def id(self) -> str:
        return str(self.obj.pk)

    @property
    def apprenticeship_id(self) -> str:
        """The apprenticeship of a nested path (`apprenticeships/{apprenticeship_id}/documents/`)."""
        return str(getattr(self.obj, "apprenticeship_id", self.obj.pk))


@dataclass
class World:
    users: dict[str, Any]  # role name -> user (None for anonymous)
    sponsors: dict[str, Any]
    employers: dict[str, Any]
    programs: dict[str, Any]
    records: dict[str, list[Record]] = field(default_factory=dict)

    def add(self, record: Record) -> Record:
        self.records.setdefault(record.resource, []).append(record)
        return record

    def all_records(self) -> list[Record]:
        return [record for records in self.records.values() for record in records]


def grant_employer_staff(user, employer, role: str, sponsor):
    """The one place employer-staff memberships of the matrix are made. `sponsor` is the sponsor
    whose programs the role is limited to (the RAPS admin who invited them is that sponsor's), or
    None for every program the employer takes part in."""
    return Membership.objects.create(user=user, employer=employer, role=role, limited_to_sponsor=sponsor)


def _program(sponsor):
    program = factories.ProgramFactory(sponsor=sponsor, review_interval_months=6)
    process = factories.WorkProcessFactory(program=program, title="Front end", target_hours=Decimal("1200"))
    factories.CompetencyFactory.create_batch(2, work_process=process)
    factories.WageStepFactory(program=program, name="Step 1", starts_at_ojt_hours=0, wage="22.00")
    factories.MilestoneDefinitionFactory(program=program, name="Halfway", kind="ojt_hours", threshold_hours=1000)
    return program


def build_world() -> World:
    sponsors = {key: factories.SponsorFactory(name=f"Sponsor {key}") for key in SPONSORS}
    employers = {key: factories.EmployerFactory(name=f"Employer {key}", journeyworkers=5) for key in EMPLOYER_SPONSORS}
    for employer_key, sponsor_keys in EMPLOYER_SPONSORS.items():
        for sponsor_key in sponsor_keys:
            factories.ParticipationFactory(sponsor=sponsors[sponsor_key], employer=employers[employer_key])
    programs = {key: _program(sponsors[key]) for key in SPONSORS}

    users = {"anonymous": None}
    for name, role in ROLES.items():
        if role.kind == "anonymous":
            continue
        user = factories.UserFactory(
            email=f"{name.replace('_', '.')}@example.org", is_staff=role.kind == "platform_staff"
        )
        users[name] = user
        if role.kind == "raps_admin":
            factories.MembershipFactory(user=user, sponsor=sponsors[role.sponsor], role="raps_admin")
        elif role.is_employer_staff:
            limit = sponsors[role.sponsor] if role.sponsor else None
            grant_employer_staff(user, employers[role.employer], role.kind, limit)

    world = World(users=users, sponsors=sponsors, employers=employers, programs=programs)
    for key, sponsor in sponsors.items():
        world.add(Record("sponsors", key, sponsor, sponsor=key))
    for key, employer in employers.items():
        world.add(Record("employers", key, employer, employer=key))
    for key, program in programs.items():
        world.add(Record("programs", key, program, sponsor=key, refs=(str(sponsors[key].pk),)))
        population = PriorityPopulation.objects.create(sponsor=sponsors[key], name="Matrix", criterion="veteran")
        world.add(Record("priority-populations", key, population, sponsor=key, refs=(str(sponsors[key].pk),)))
    # The catalog is everyone's: one occupation, of no program yet, stands for it.
    world.add(Record("occupations", "catalog", factories.OccupationFactory(title="Matrix occupation")))

    funds = {key: make_fund(sponsor) for key, sponsor in sponsors.items()}
    for key, fund in funds.items():
        world.add(Record("funds", key, fund, sponsor=key, refs=(str(sponsors[key].pk),)))

    for sponsor_key in SPONSORS:
        program = programs[sponsor_key]
        process = program.work_processes.get()
        for employer_key, place in ((OWN_EMPLOYER[sponsor_key], ""), ("SHARED", "shared_")):
            employer = employers[employer_key]
            apprentice = users[f"{sponsor_key}_{place}apprentice"]
            supervisor = users[f"{sponsor_key}_{place}supervisor"]
            apprenticeship = factories.ApprenticeshipFactory(
                apprentice=apprentice,
                program=program,
                employer=employer,
                current_wage_step=program.wage_steps.first(),
            )
            key = f"{sponsor_key}_{employer_key}"
            whose = {"sponsor": sponsor_key, "employer": employer_key}
            refs = (str(program.pk), str(employer.pk), str(sponsors[sponsor_key].pk))
            world.add(Record("apprenticeships", key, apprenticeship, refs=refs, **whose))
            submitted = factories.HourLogFactory(
                apprenticeship=apprenticeship,
                date=datetime.date(2025, 3, 3),
                logged_by=apprentice,
                work_process=process,
            )
            approved = factories.HourLogFactory(
                apprenticeship=apprenticeship,
                date=datetime.date(2025, 3, 4),
                logged_by=supervisor,
                work_process=process,
                status="approved",
                reviewed_by=supervisor,
                reviewed_at=timezone.now(),
            )
            refs = (*refs, str(apprenticeship.pk))
            world.add(
                Record(
                    "hour-logs",
                    key,
                    submitted,
                    owner=f"{sponsor_key}_{place}apprentice",
                    state="submitted",
                    refs=refs,
                    **whose,
                )
            )
            world.add(
                Record(
                    "hour-logs",
                    key,
                    approved,
                    owner=f"{sponsor_key}_{place}supervisor",
                    state="approved",
                    refs=refs,
                    **whose,
                )
            )
            signoff = factories.CompetencySignOffFactory(apprenticeship=apprenticeship, signed_off_by=supervisor)
            # The factories leave the running totals alone; the writes the matrix tries move them.
            HourTotals.objects.filter(apprenticeship=apprenticeship).update(
                ojt_approved=approved.hours, ojt_pending=submitted.hours, pending_logs=1, last_logged_on=approved.date
            )
            WorkProcessTotal.objects.create(
                apprenticeship=apprenticeship,
                work_process=process,
                approved_hours=approved.hours,
                competencies_signed_off=1,
            )
            world.add(Record("competency-signoffs", key, signoff, refs=refs, **whose))
            milestone = factories.MilestoneFactory(apprenticeship=apprenticeship)
            world.add(Record("milestones", key, milestone, refs=refs, **whose))
            document = document_file(
                apprenticeship=apprenticeship,
                kind="evidence",
                title="Matrix evidence",
                content=b"%PDF-1.4 matrix",
                filename="evidence.pdf",
                content_type="application/pdf",
                by=apprentice,
                reason="matrix",
            )
            owner = f"{sponsor_key}_{place}apprentice"
            world.add(Record("documents", key, document, owner=owner, refs=refs, **whose))
            # Progress reviews of the first two periods (the program reviews every 6 months): a
            # draft its writer edits and submits, a submitted one the apprentice acknowledges.
            for period, state in ((1, "draft"), (2, "submitted")):
                review = ProgressReview.objects.create(
                    apprenticeship=apprenticeship,
                    reason="periodic",
                    period=period,
                    due_on=apprenticeship.start_date,
                    status=state,
                    written_by=supervisor,
                    submitted_at=timezone.now() if state == "submitted" else None,
                )
                ReviewRating.objects.create(review=review, work_process=process, rating=3)
                owner = f"{sponsor_key}_{place}apprentice"
                world.add(Record("reviews", key, review, owner=owner, state=state, refs=refs, **whose))
            # Aid: one request waiting for a decision, one approved (to be paid), the apprentice's.
            fund = funds[sponsor_key]
            for state, aid in (
                ("requested", make_request(apprenticeship, fund=fund)),
                ("approved", approved_aid(apprenticeship, fund)),
            ):
                world.add(
                    Record(
                        "aid-requests",
                        key,
                        aid,
                        owner=f"{sponsor_key}_{place}apprentice",
                        state=state,
                        refs=(*refs, str(fund.pk)),
                        **whose,
                    )
                )
            invitation = factories.InvitationFactory(
                email=f"invitee.{key.lower()}@example.org",
                sponsor=sponsors[sponsor_key],
                employer=employer,
                invited_by=users[f"{sponsor_key}_raps_admin"],
            )
            world.add(
                Record("invitations", key, invitation, refs=(str(sponsors[sponsor_key].pk), str(employer.pk)), **whose)
            )
        for importer in (f"{sponsor_key}_raps_admin", f"{sponsor_key}_supervisor"):
            hour_import = factories.HourImportFactory(sponsor=sponsors[sponsor_key], imported_by=users[importer])
            world.add(Record("hour-imports", importer, hour_import, sponsor=sponsor_key, owner=importer))
        for owner in (f"{sponsor_key}_raps_admin", f"{sponsor_key}_apprentice"):
            notification = factories.NotificationFactory(recipient=users[owner])
            world.add(Record("notifications", owner, notification, sponsor=sponsor_key, owner=owner))
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module, in a transaction undone at its end: each test runs in a savepoint
    of it (pytest-django's `db`), and the matrix undoes each of its calls as well."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world):
    """An API client per role, signed in through the browser session (none for anonymous)."""
    with_clients = {}
    for name, user in world.users.items():
        client = APIClient()
        client.raise_request_exception = False  # a 500 is a finding, reported like any other
        if user is not None:
            client.force_login(user)
        with_clients[name] = client
    return with_clients
