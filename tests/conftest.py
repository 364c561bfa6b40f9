"""Personas per scope (STYLE.md point 6), in the manner of healthchecks' alice/bob/charlie.

One sponsor ("the sponsor") runs programs with employers A and B; another sponsor runs its own
with employer C. Each persona is a signed-up user with a verified address:

- raps_admin: RAPS administrator of the sponsor
- employer_a_admin, employer_a_supervisor: staff of employer A
- employer_b_supervisor: staff of employer B
- apprentice: an apprentice (no membership; the role comes through an apprenticeship)
- other_raps_admin: RAPS administrator of the other sponsor
- outsider: signed up, belongs nowhere
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits count in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sponsor(db):
    return factories.SponsorFactory(name="Technology HRTP")


@pytest.fixture
def employer_a(sponsor):
    employer = factories.EmployerFactory(name="Employer A")
    factories.ParticipationFactory(sponsor=sponsor, employer=employer)
    return employer


@pytest.fixture
def employer_b(sponsor):
    employer = factories.EmployerFactory(name="Employer B")
    factories.ParticipationFactory(sponsor=sponsor, employer=employer)
    return employer


@pytest.fixture
def other_sponsor(db):
    return factories.SponsorFactory(name="Other Sponsor")


@pytest.fixture
def employer_c(other_sponsor):
    employer = factories.EmployerFactory(name="Employer C")
    factories.ParticipationFactory(sponsor=other_sponsor, employer=employer)
    return employer


@pytest.fixture
def raps_admin(sponsor):
    user = factories.UserFactory(email="raps.admin@example.org", full_name="Rae Admin")
    factories.MembershipFactory(user=user, sponsor=sponsor, role="raps_admin")
    return user


@pytest.fixture
def employer_a_admin(employer_a):
    user = factories.UserFactory(email="admin.a@example.org", full_name="Ada Admin")
    factories.MembershipFactory(user=user, employer=employer_a, role="employer_admin")
    return user


@pytest.fixture
def employer_a_supervisor(employer_a):
    user = factories.UserFactory(email="supervisor.a@example.org", full_name="Sam Supervisor")
    factories.MembershipFactory(user=user, employer=employer_a, role="supervisor")
    return user


@pytest.fixture
def employer_b_supervisor(employer_b):
    user = factories.UserFactory(email="supervisor.b@example.org", full_name="Bo Supervisor")
    factories.MembershipFactory(user=user, employer=employer_b, role="supervisor")
    return user


@pytest.fixture
def apprentice(db):
    return factories.UserFactory(email="apprentice@example.org", full_name="Ari Apprentice")


@pytest.fixture
def other_raps_admin(other_sponsor, employer_c):
    user = factories.UserFactory(email="other.admin@example.org", full_name="Oli Other")
    factories.MembershipFactory(user=user, sponsor=other_sponsor, role="raps_admin")
    return user


@pytest.fixture
def outsider(db):
    return factories.UserFactory(email="outsider@example.org", full_name="Charlie Outsider")


@pytest.fixture
def platform_staff(db):
    return factories.UserFactory(email="staff@example.org", full_name="Pat Staff", is_staff=True, is_superuser=True)


@pytest.fixture
def anonymous_client():
    return APIClient()


@pytest.fixture
def client_for():
    """An API client signed in as `user` through the browser session (CSRF not enforced here;
    tests/auth covers CSRF and the app client's X-Session-Token)."""

    def make(user):
        client = APIClient()
        client.force_login(user)
        return client

    return make
