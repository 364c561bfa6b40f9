"""Fixtures of the sign-off tests: the program's competencies and a sign-off body as a client
posts it."""

import pytest

from apprenticeships.models import Competency

SIGNOFFS = "/api/v1/competency-signoffs/"


@pytest.fixture
def competencies(apprenticeship):
    """The program's four competencies, Front end's two first."""
    return list(
        Competency.objects.filter(work_process__program=apprenticeship.program).order_by(
            "work_process__position", "code"
        )
    )


@pytest.fixture
def competency(competencies):
    return competencies[0]


@pytest.fixture
def signoff_body(apprenticeship, competency):
    def body(**overrides):
        return {
            "apprenticeship": str(apprenticeship.id),
            "competency": str(competency.id),
            "rating": "proficient",
            "evidence": "Built the sign-up form unaided",
            "evidence_url": "https://git.example.org/acme/web/pull/42",
            **overrides,
        }

    return body


@pytest.fixture
def sign_off(client_for, signoff_body):
    """POST a sign-off as `user` and return the response."""

    def post(user, **overrides):
        return client_for(user).post(SIGNOFFS, signoff_body(**overrides), format="json")

    return post
