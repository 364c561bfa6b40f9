"""An employer that takes part in two sponsors' programs: no action of one sponsor's staff opens
the other sponsor's records there (docs/security.md, "Employers shared by several sponsors").

Staff that a sponsor's RAPS admin invites into the shared employer work on that sponsor's
apprenticeships only; so do the staff an employer admin limited to that sponsor invites. Held
both ways: the first sponsor's grant opens nothing of the second's, and the reverse.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from apprenticeships.selectors import caller_scope as apprenticeship_caller_scope
from competencies.services import HourEntry, hour_log_create
from notifications.models import Notification
from sponsors import services
from sponsors.models import Invitation, Membership
from sponsors.selectors import caller_scope
from tests import factories

APPRENTICESHIPS = "/api/v1/apprenticeships/"
HOUR_LOGS = "/api/v1/hour-logs/"
INVITATIONS = "/api/v1/invitations/"


@pytest.fixture
def shared_employer(sponsor, other_sponsor):
    employer = factories.EmployerFactory(name="Shared Employer", journeyworkers=10)
    factories.ParticipationFactory(sponsor=sponsor, employer=employer)
    factories.ParticipationFactory(sponsor=other_sponsor, employer=employer)
    return employer


def _apprenticeship_at(employer, sponsor, email):
    program = factories.ProgramFactory(sponsor=sponsor)
    factories.WorkProcessFactory(program=program, title="Front end")
    return factories.ApprenticeshipFactory(
        program=program, employer=employer, apprentice=factories.UserFactory(email=email)
    )


@pytest.fixture
def first_sponsors_apprenticeship(shared_employer, sponsor):
    return _apprenticeship_at(shared_employer, sponsor, "first.apprentice@example.org")


@pytest.fixture
def second_sponsors_apprenticeship(shared_employer, other_sponsor):
    return _apprenticeship_at(shared_employer, other_sponsor, "second.apprentice@example.org")


def _invited_and_accepted(*, by, email, sponsor, employer, role="supervisor"):
    """The person the RAPS admin `by` invites into `employer` for `sponsor`, once they accept."""
    _invitation, token = services.invitation_create(
        scope=caller_scope(user=by),
        invited_by=by,
        email=email,
        role=role,
        sponsor_id=sponsor.pk,
        employer_id=employer.pk,
    )
    services.invitation_accept(token=token, password="a-long-passphrase-2026", full_name="Invited Person")
    return get_user_model().objects.get(email=email)


@pytest.fixture
def first_sponsors_supervisor(raps_admin, sponsor, shared_employer):
    return _invited_and_accepted(
        by=raps_admin, email="first.supervisor@example.org", sponsor=sponsor, employer=shared_employer
    )


@pytest.fixture
def second_sponsors_supervisor(other_raps_admin, other_sponsor, shared_employer):
    return _invited_and_accepted(
        by=other_raps_admin, email="second.supervisor@example.org", sponsor=other_sponsor, employer=shared_employer
    )


def _submitted_log(apprenticeship):
    """Hours the apprentice submits, through the service (so the running totals hold them)."""
    return hour_log_create(
        scope=apprenticeship_caller_scope(user=apprenticeship.apprentice),
        logged_by=apprenticeship.apprentice,
        entry=HourEntry(
            apprenticeship_id=apprenticeship.id,
            date=datetime.date(2025, 3, 3),
            hours=Decimal("4.00"),
            kind="ojt",
            work_process="Front end",
        ),
    )


# --- the grant ---------------------------------------------------------------------------------


def test_a_sponsors_invitation_into_a_shared_employer_grants_that_sponsors_programs_only(
    first_sponsors_supervisor, sponsor, other_sponsor, shared_employer
):
    membership = Membership.objects.get(user=first_sponsors_supervisor)
    assert membership.limited_to_sponsor == sponsor

    scope = caller_scope(user=first_sponsors_supervisor)
    assert scope.is_employer_staff(shared_employer.id, sponsor.id)
    assert not scope.is_employer_staff(shared_employer.id, other_sponsor.id)
    assert scope.member_sponsor_ids == {sponsor.id}


def test_a_grant_at_an_employer_of_one_sponsor_narrows_when_the_employer_joins_another(
    raps_admin, sponsor, other_sponsor, employer_a
):
    supervisor = _invited_and_accepted(by=raps_admin, email="grows@example.org", sponsor=sponsor, employer=employer_a)
    assert caller_scope(user=supervisor).is_employer_staff(employer_a.id, other_sponsor.id)

    factories.ParticipationFactory(sponsor=other_sponsor, employer=employer_a)

    assert not caller_scope(user=supervisor).is_employer_staff(employer_a.id, other_sponsor.id)
    assert caller_scope(user=supervisor).is_employer_staff(employer_a.id, sponsor.id)


# --- reads, both ways --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "own", "foreign"),
    [
        ("first_sponsors_supervisor", "first_sponsors_apprenticeship", "second_sponsors_apprenticeship"),
        ("second_sponsors_supervisor", "second_sponsors_apprenticeship", "first_sponsors_apprenticeship"),
    ],
)
def test_supervisor_at_a_shared_employer_reads_only_the_granting_sponsors_apprenticeships(
    request, client_for, persona, own, foreign
):
    own, foreign = request.getfixturevalue(own), request.getfixturevalue(foreign)
    client = client_for(request.getfixturevalue(persona))

    listed = {row["id"] for row in client.get(APPRENTICESHIPS).json()["results"]}
    assert listed == {str(own.id)}
    assert client.get(f"{APPRENTICESHIPS}{own.id}/").status_code == 200
    assert client.get(f"{APPRENTICESHIPS}{foreign.id}/").status_code == 404
    assert client.get(f"{APPRENTICESHIPS}{foreign.id}/progress/").status_code == 404


def test_supervisor_at_a_shared_employer_sees_no_hours_of_the_other_sponsor(
    client_for, first_sponsors_supervisor, first_sponsors_apprenticeship, second_sponsors_apprenticeship
):
    own, foreign = _submitted_log(first_sponsors_apprenticeship), _submitted_log(second_sponsors_apprenticeship)
    client = client_for(first_sponsors_supervisor)

    assert {row["id"] for row in client.get(HOUR_LOGS).json()["results"]} == {str(own.id)}
    assert client.get(f"{HOUR_LOGS}{foreign.id}/").status_code == 404


# --- writes ------------------------------------------------------------------------------------


def test_supervisor_at_a_shared_employer_cannot_log_hours_for_the_other_sponsors_apprentice(
    client_for, first_sponsors_supervisor, second_sponsors_apprenticeship
):
    response = client_for(first_sponsors_supervisor).post(
        HOUR_LOGS,
        {
            "apprenticeship": str(second_sponsors_apprenticeship.id),
            "date": "2025-03-03",
            "hours": "8.00",
            "kind": "ojt",
            "work_process": "Front end",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"apprenticeship": ["Not found."]}
    assert not second_sponsors_apprenticeship.hour_logs.exists()


def test_supervisor_at_a_shared_employer_cannot_approve_the_other_sponsors_hours(
    client_for, first_sponsors_supervisor, second_sponsors_apprenticeship
):
    log = _submitted_log(second_sponsors_apprenticeship)

    response = client_for(first_sponsors_supervisor).post(f"{HOUR_LOGS}{log.id}/approve/")

    assert response.status_code == 404
    log.refresh_from_db()
    assert log.status == "submitted"


def test_supervisor_at_a_shared_employer_approves_the_granting_sponsors_hours(
    client_for, first_sponsors_supervisor, first_sponsors_apprenticeship
):
    log = _submitted_log(first_sponsors_apprenticeship)

    response = client_for(first_sponsors_supervisor).post(f"{HOUR_LOGS}{log.id}/approve/")

    assert response.status_code == 200
    assert response.json()["status"] == "approved"


def test_only_the_granting_sponsors_staff_hear_of_hours_submitted_at_a_shared_employer(
    client_for, first_sponsors_supervisor, second_sponsors_supervisor, second_sponsors_apprenticeship
):
    response = client_for(second_sponsors_apprenticeship.apprentice).post(
        HOUR_LOGS,
        {
            "apprenticeship": str(second_sponsors_apprenticeship.id),
            "date": "2025-03-03",
            "hours": "8.00",
            "kind": "ojt",
            "work_process": "Front end",
        },
        format="json",
    )
    assert response.status_code == 201

    told = set(Notification.objects.filter(event="hours_submitted").values_list("recipient__email", flat=True))
    assert told == {second_sponsors_supervisor.email}


def test_an_employer_admin_limited_to_a_sponsor_invites_staff_limited_to_it(
    client_for, raps_admin, sponsor, other_sponsor, shared_employer, second_sponsors_apprenticeship
):
    admin = _invited_and_accepted(
        by=raps_admin,
        email="limited.admin@example.org",
        sponsor=sponsor,
        employer=shared_employer,
        role="employer_admin",
    )

    response = client_for(admin).post(
        INVITATIONS,
        {"email": "their.staff@example.org", "role": "supervisor", "employer": str(shared_employer.id)},
        format="json",
    )
    assert response.status_code == 201
    assert Invitation.objects.get(email="their.staff@example.org").sponsor == sponsor

    naming_the_other = client_for(admin).post(
        INVITATIONS,
        {
            "email": "other.staff@example.org",
            "role": "supervisor",
            "employer": str(shared_employer.id),
            "sponsor": str(other_sponsor.id),
        },
        format="json",
    )
    assert naming_the_other.status_code == 400
    assert not Invitation.objects.filter(email="other.staff@example.org").exists()


def test_a_mentor_at_a_shared_employer_is_staff_for_the_apprenticeships_sponsor(
    client_for, other_raps_admin, first_sponsors_supervisor, second_sponsors_apprenticeship
):
    response = client_for(other_raps_admin).patch(
        f"{APPRENTICESHIPS}{second_sponsors_apprenticeship.id}/",
        {"mentor": str(first_sponsors_supervisor.id)},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["mentor"]


# --- invitations of a shared employer (findings 1 and 2) ------------------------------------


@pytest.fixture
def first_sponsors_invitation(raps_admin, sponsor, shared_employer):
    invitation, _token = services.invitation_create(
        scope=caller_scope(user=raps_admin),
        invited_by=raps_admin,
        email="pending.supervisor@example.org",
        role="supervisor",
        sponsor_id=sponsor.pk,
        employer_id=shared_employer.pk,
    )
    return invitation


@pytest.fixture
def second_sponsors_invitation(other_raps_admin, other_sponsor, shared_employer):
    invitation, _token = services.invitation_create(
        scope=caller_scope(user=other_raps_admin),
        invited_by=other_raps_admin,
        email="pending.other@example.org",
        role="supervisor",
        sponsor_id=other_sponsor.pk,
        employer_id=shared_employer.pk,
    )
    return invitation


@pytest.mark.parametrize(
    ("persona", "own", "foreign"),
    [
        ("raps_admin", "first_sponsors_invitation", "second_sponsors_invitation"),
        ("other_raps_admin", "second_sponsors_invitation", "first_sponsors_invitation"),
    ],
)
def test_raps_admin_sees_only_its_own_sponsors_invitations_into_a_shared_employer(
    request, client_for, persona, own, foreign
):
    own, foreign = request.getfixturevalue(own), request.getfixturevalue(foreign)
    client = client_for(request.getfixturevalue(persona))

    listed = {row["id"] for row in client.get(INVITATIONS).json()["results"]}
    assert str(own.id) in listed
    assert str(foreign.id) not in listed
    assert client.get(f"{INVITATIONS}{foreign.id}/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "foreign"),
    [("raps_admin", "second_sponsors_invitation"), ("other_raps_admin", "first_sponsors_invitation")],
)
def test_raps_admin_cannot_revoke_another_sponsors_invitation_into_a_shared_employer(
    request, client_for, persona, foreign
):
    foreign = request.getfixturevalue(foreign)

    response = client_for(request.getfixturevalue(persona)).post(f"{INVITATIONS}{foreign.id}/revoke/")

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_two_sponsors_may_each_invite_the_same_person_into_a_shared_employer(
    first_sponsors_invitation, other_raps_admin, other_sponsor, shared_employer, client_for
):
    response = client_for(other_raps_admin).post(
        INVITATIONS,
        {
            "email": first_sponsors_invitation.email,
            "role": "supervisor",
            "sponsor": str(other_sponsor.id),
            "employer": str(shared_employer.id),
        },
        format="json",
    )

    # Refusing it would tell the second sponsor that the first invited this person.
    assert response.status_code == 201
