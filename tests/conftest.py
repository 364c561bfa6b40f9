"""Personas per scope (docs/architecture.md), in the manner of healthchecks' alice/bob/charlie.

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
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits count in the cache: every test starts with none used. Content types are
    cached per process, and a test that commits for real (transaction=True) flushes the table
    they point at: they are looked up afresh."""
    cache.clear()
    ContentType.objects.clear_cache()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """The language is per thread: a request in Spanish leaves it active for the next test."""
    translation.activate("en")
    yield
    translation.activate("en")


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


# --- the records: a program of the sponsor, and the apprentice's apprenticeship at employer A ----


@pytest.fixture
def program(sponsor):
    """Web Developer standards: 2,000 h OJT in two work processes (two competencies each),
    180 h RTI, probation 500 h, a three-step wage schedule and its milestone definitions."""
    program = factories.ProgramFactory(
        sponsor=sponsor, occupation=factories.OccupationFactory(title="Web Developer (test)")
    )
    front = factories.WorkProcessFactory(program=program, title="Front end", target_hours=1200, position=0)
    back = factories.WorkProcessFactory(program=program, title="Back end", target_hours=800, position=1)
    for process in (front, back):
        factories.CompetencyFactory.create_batch(2, work_process=process)
    for name, start, wage in [("Step 1", 0, "22.00"), ("Step 2", 1000, "25.00"), ("Step 3", 1500, "28.00")]:
        factories.WageStepFactory(program=program, name=name, starts_at_ojt_hours=start, wage=wage)
    factories.MilestoneDefinitionFactory(
        program=program, name="Probation complete", kind="probation", threshold_hours=500
    )
    factories.MilestoneDefinitionFactory(program=program, name="Halfway", kind="ojt_hours", threshold_hours=1000)
    return program


@pytest.fixture
def apprenticeship(program, employer_a, apprentice):
    """The apprentice's active apprenticeship at employer A (started 2025-01-06)."""
    employer_a.journeyworkers = 5
    employer_a.save()
    return factories.ApprenticeshipFactory(
        apprentice=apprentice, program=program, employer=employer_a, current_wage_step=program.wage_steps.first()
    )


@pytest.fixture
def other_apprenticeship(program, employer_b):
    """Another apprentice's apprenticeship at employer B, in the same program."""
    return factories.ApprenticeshipFactory(program=program, employer=employer_b)
