"""The records whose history docs/api.md exposes, each with one change that a named user makes, and
the three ways a change reaches the services: the app client (X-Session-Token), the browser
session (cookie + CSRF) and code outside any request.

`subject(resource)` builds the record (its first history row) and says how to change it, who
changes it and what the change looks like in the history.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apprenticeships import services as apprenticeship_services
from apprenticeships.selectors import caller_scope
from competencies import services as competency_services
from competencies.models import Milestone
from competencies.services import HourEntry
from sponsors import services as sponsor_services
from tests.auth.helpers import BROWSER, app_login, csrf_header, token_client
from tests.factories import PASSWORD

RESOURCES = ["apprenticeships", "hour-logs", "competency-signoffs", "programs", "employers", "milestones"]
# Resources whose history also shows the records they are made of (docs/api.md).
PARTS_SHOWN = {"programs", "apprenticeships"}
ENTRY_KEYS = {"history_id", "history_date", "history_type", "history_user", "history_change_reason", "changes"}


def history_url(resource: str, record_id) -> str:
    return f"/api/v1/{resource}/{record_id}/history/"


class Caller:
    """A signed-in API client that adds the headers its kind of sign-in needs to every request."""

    def __init__(self, client: APIClient, headers: Callable[[], dict] = dict):
        self.client, self.headers = client, headers

    def get(self, url, data=None):
        return self.client.get(url, data, headers=self.headers())

    def post(self, url, data=None):
        return self.client.post(url, data or {}, format="json", headers=self.headers())

    def patch(self, url, data):
        return self.client.patch(url, data, format="json", headers=self.headers())


def app_caller(user) -> Caller:
    """Signed in through `POST /_allauth/app/v1/auth/login`, then only the X-Session-Token."""
    response = app_login(user.email, PASSWORD)
    assert response.status_code == 200, response.json()
    return Caller(token_client(response.json()["meta"]["session_token"]))


def browser_caller(user) -> Caller:
    """Signed in through `POST /_allauth/browser/v1/auth/login`: the session cookie, with the CSRF
    header on every request (CSRF enforced)."""
    client = APIClient(enforce_csrf_checks=True)
    assert client.get(f"{BROWSER}/config").status_code == 200
    response = client.post(
        f"{BROWSER}/auth/login", {"email": user.email, "password": PASSWORD}, format="json", headers=csrf_header(client)
    )
    assert response.status_code == 200, response.json()
    return Caller(client, lambda: csrf_header(client))


@dataclass
class Subject:
    resource: str
    record_id: object
    changer: object  # who makes the change
    change_through_api: Callable[[Caller], object]
    change_in_code: Callable[[], object]  # the service, called outside any request
    field: str
    old: object
    new: object
    reason: str

    @property
    def history_url(self) -> str:
        return history_url(self.resource, self.record_id)

    @property
    def changer_ref(self) -> dict:
        return {"id": str(self.changer.id), "name": self.changer.full_name}

    @property
    def change(self) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new}


def _apprenticeship(get) -> Subject:
    apprenticeship, admin = get("apprenticeship"), get("raps_admin")
    return Subject(
        resource="apprenticeships",
        record_id=apprenticeship.id,
        changer=admin,
        change_through_api=lambda caller: caller.post(
            f"/api/v1/apprenticeships/{apprenticeship.id}/transition/",
            {"to": "suspended", "reason": "leave of absence"},
        ),
        change_in_code=lambda: apprenticeship_services.apprenticeship_transition(
            scope=caller_scope(user=admin),
            apprenticeship=apprenticeship,
            to="suspended",
            reason="leave of absence",
            changed_by=admin,
        ),
        field="status",
        old="active",
        new="suspended",
        reason="suspended: leave of absence",
    )


def _hour_log(get) -> Subject:
    apprenticeship, supervisor, admin = get("apprenticeship"), get("employer_a_supervisor"), get("raps_admin")
    log = competency_services.hour_log_create(
        scope=caller_scope(user=supervisor),
        logged_by=supervisor,
        entry=HourEntry(
            apprenticeship_id=apprenticeship.pk,
            date=datetime.date(2025, 3, 3),
            hours=Decimal("8"),
            kind="ojt",
            work_process=str(apprenticeship.program.work_processes.get(title="Front end").pk),
        ),
    )
    return Subject(
        resource="hour-logs",
        record_id=log.id,
        changer=admin,
        change_through_api=lambda caller: caller.post(f"/api/v1/hour-logs/{log.id}/void/", {"reason": "Duplicate"}),
        change_in_code=lambda: competency_services.hour_log_void(
            scope=caller_scope(user=admin), log=log, voided_by=admin, reason="Duplicate"
        ),
        field="status",
        old="approved",
        new="voided",
        reason="voided: Duplicate",
    )


def _signoff(get) -> Subject:
    apprenticeship, supervisor, employer_admin = (
        get("apprenticeship"),
        get("employer_a_supervisor"),
        get("employer_a_admin"),
    )
    competency = apprenticeship.program.work_processes.get(title="Front end").competencies.first()

    def sign(user, rating):
        return competency_services.competency_sign_off(
            scope=caller_scope(user=user),
            apprenticeship=apprenticeship,
            competency=competency,
            signed_off_by=user,
            rating=rating,
        )

    signoff, _ = sign(supervisor, "proficient")
    return Subject(
        resource="competency-signoffs",
        record_id=signoff.id,
        changer=employer_admin,
        change_through_api=lambda caller: caller.post(
            "/api/v1/competency-signoffs/",
            {"apprenticeship": str(apprenticeship.id), "competency": str(competency.id), "rating": "expert"},
        ),
        # Signing off again is a new sign-off: the earlier one keeps its rating and evidence,
        # and its history says who superseded it.
        change_in_code=lambda: sign(employer_admin, "expert"),
        field="is_current",
        old=True,
        new=False,
        reason="superseded",
    )


def _program(get) -> Subject:
    program, admin = get("program"), get("raps_admin")
    return Subject(
        resource="programs",
        record_id=program.id,
        changer=admin,
        change_through_api=lambda caller: caller.patch(
            f"/api/v1/programs/{program.id}/", {"rti_hours_required": "144.00"}
        ),
        change_in_code=lambda: apprenticeship_services.program_update(
            scope=caller_scope(user=admin), program=program, changed_by=admin, rti_hours_required=Decimal("144.00")
        ),
        field="rti_hours_required",
        old="180.00",
        new="144.00",
        reason="changed standards",
    )


def _employer(get) -> Subject:
    employer, admin = get("employer_a"), get("raps_admin")
    return Subject(
        resource="employers",
        record_id=employer.id,
        changer=admin,
        change_through_api=lambda caller: caller.patch(
            f"/api/v1/employers/{employer.id}/", {"name": "Employer A, Inc."}
        ),
        change_in_code=lambda: sponsor_services.employer_update(
            scope=caller_scope(user=admin), employer=employer, changed_by=admin, data={"name": "Employer A, Inc."}
        ),
        field="name",
        old="Employer A",
        new="Employer A, Inc.",
        reason="updated",
    )


def _milestone(get) -> Subject:
    apprenticeship, admin = get("apprenticeship"), get("raps_admin")
    milestone = Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=apprenticeship.program.milestone_definitions.get(name="Halfway"),
        reached_at=timezone.now(),
    )
    return Subject(
        resource="milestones",
        record_id=milestone.id,
        changer=admin,
        change_through_api=lambda caller: caller.post(f"/api/v1/milestones/{milestone.id}/approve/"),
        change_in_code=lambda: competency_services.milestone_approve(
            scope=caller_scope(user=admin), milestone=milestone, decided_by=admin
        ),
        field="status",
        old="pending",
        new="approved",
        reason="approved",
    )


BUILDERS = {
    "apprenticeships": _apprenticeship,
    "hour-logs": _hour_log,
    "competency-signoffs": _signoff,
    "programs": _program,
    "employers": _employer,
    "milestones": _milestone,
}


@pytest.fixture
def subject(request):
    """`subject(resource)`: the record of that resource, before its change."""
    return lambda resource: BUILDERS[resource](request.getfixturevalue)


@pytest.fixture
def session_caller(client_for):
    """Signed in by the session cookie (force_login): the quickest caller, for reads."""
    return lambda user: Caller(client_for(user))
