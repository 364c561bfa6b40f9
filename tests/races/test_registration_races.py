"""Registrations of one apprentice sent at the same moment: one is written, the others get the
400 the sequential check gives (apprenticeships/services/registration.py), never a 500; the
database holds the rule (`apprenticeship_one_open_per_apprentice_program`)."""

import pytest

from apprenticeships.models import OPEN_STATUSES, ApprenticeRegistration, Apprenticeship
from apprenticeships.services import registration
from apprenticeships.services.registration import APPRENTICE_ALREADY_OPEN, SSN_ALREADY_OPEN
from portal.models import User
from tests import factories
from tests.apprenticeships.helpers import APPRENTICESHIPS, registration_body
from tests.races.helpers import at_once, statuses

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 5


@pytest.fixture
def employers(sponsor):
    """Five employers of the sponsor, each with room under the ratio for the apprentice."""
    found = []
    for number in range(RACERS):
        employer = factories.EmployerFactory(name=f"Racing employer {number}", journeyworkers=5)
        factories.ParticipationFactory(sponsor=sponsor, employer=employer)
        found.append(employer)
    return found


def register_at_once(clients, bodies):
    return at_once(
        *(
            lambda client=client, body=body: client.post(APPRENTICESHIPS, body)
            for client, body in zip(clients, bodies, strict=True)
        )
    )


def open_apprenticeships_of(email: str) -> int:
    return Apprenticeship.objects.filter(apprentice__email=email, status__in=OPEN_STATUSES).count()


@pytest.fixture
def without_the_services_check(monkeypatch):
    """The service's check of open apprenticeships skipped: only the constraint holds the rule."""
    monkeypatch.setattr(registration, "_check_one_open_per_sponsor", lambda **kwargs: None)


@pytest.mark.parametrize("known", [False, True], ids=["new account", "existing account"])
def test_registrations_of_one_apprentice_at_five_employers_at_once_write_one(
    client_for, raps_admin, program, employers, known
):
    email = "racing.apprentice@example.org"
    if known:
        factories.UserFactory(email=email)
    clients = [client_for(raps_admin) for _ in employers]
    bodies = [
        registration_body(program, employer, apprentice_email=email, registration={"ssn": f"123-45-{6780 + n}"})
        for n, employer in enumerate(employers)
    ]

    responses = register_at_once(clients, bodies)

    assert statuses(responses) == [201] + [400] * (RACERS - 1), [r.content for r in responses]
    for refused in (response for response in responses if response.status_code == 400):
        assert refused.json() == {"apprentice_email": [APPRENTICE_ALREADY_OPEN]}
    assert open_apprenticeships_of(email) == 1


def test_the_database_refuses_a_second_open_apprenticeship_in_a_program_with_the_services_answer(
    client_for, raps_admin, program, employers, without_the_services_check
):
    """What a registration that races past the check meets: the constraint, answered as the
    check answers (400, the field and the reason), never a 500; nothing of it is written."""
    email = "racing.apprentice@example.org"
    clients = [client_for(raps_admin) for _ in employers]
    bodies = [
        registration_body(program, employer, apprentice_email=email, registration={"ssn": f"123-45-{6780 + n}"})
        for n, employer in enumerate(employers)
    ]

    responses = register_at_once(clients, bodies)

    assert statuses(responses) == [201] + [400] * (RACERS - 1), [r.content for r in responses]
    for refused in (response for response in responses if response.status_code == 400):
        assert refused.json() == {"apprentice_email": [APPRENTICE_ALREADY_OPEN]}
    assert open_apprenticeships_of(email) == 1
    assert ApprenticeRegistration.objects.filter(apprenticeship__apprentice__email=email).count() == 1


def test_registrations_of_one_ssn_under_two_addresses_at_once_write_one(client_for, raps_admin, program, employers):
    clients = [client_for(raps_admin) for _ in employers]
    bodies = [
        registration_body(program, employer, apprentice_email=f"racer{n}@example.org")
        for n, employer in enumerate(employers)
    ]

    responses = register_at_once(clients, bodies)

    assert statuses(responses) == [201] + [400] * (RACERS - 1), [r.content for r in responses]
    for refused in (response for response in responses if response.status_code == 400):
        assert refused.json() == {"ssn": [SSN_ALREADY_OPEN]}
    assert Apprenticeship.objects.filter(program=program, status__in=OPEN_STATUSES).count() == 1


def test_one_new_apprentice_registered_by_two_sponsors_at_once_gets_one_account_and_both_apprenticeships(
    client_for, raps_admin, other_raps_admin, program, employers, other_sponsor, employer_c
):
    """One open apprenticeship per sponsor, so each sponsor may register the person: the two
    registrations create the account at the same moment, under two sponsors' locks."""
    employer_c.journeyworkers = 5
    employer_c.save()
    other_program = factories.ProgramFactory(
        sponsor=other_sponsor, occupation=factories.OccupationFactory(title="Web Developer (other sponsor)")
    )
    factories.WageStepFactory(program=other_program, name="Step 1", starts_at_ojt_hours=0, wage="22.00")
    email = "shared.apprentice@example.org"
    bodies = [
        registration_body(program, employers[0], apprentice_email=email),
        registration_body(other_program, employer_c, apprentice_email=email),
    ]

    responses = register_at_once([client_for(raps_admin), client_for(other_raps_admin)], bodies)

    assert statuses(responses) == [201, 201], [r.content for r in responses]
    assert User.objects.filter(email=email).count() == 1
    assert open_apprenticeships_of(email) == 2
