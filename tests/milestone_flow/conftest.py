"""Fixtures of the milestone-flow tests: the hour-log bodies of tests/hour_logs and a sign-off
call. Plain helpers are in helpers.py."""

import pytest

from tests.hour_logs import conftest as hour_logs
from tests.milestone_flow.helpers import SIGNOFFS

# The hour-log tests' fixtures: the program's work processes and log bodies as clients send them.
front_end, back_end, ojt, rti, log_as = (
    hour_logs.front_end,
    hour_logs.back_end,
    hour_logs.ojt,
    hour_logs.rti,
    hour_logs.log_as,
)


@pytest.fixture
def sign_off(client_for, apprenticeship):
    """Sign off a competency of the apprentice's apprenticeship as `user` (must succeed)."""

    def post(user, competency, rating="proficient"):
        response = client_for(user).post(
            SIGNOFFS,
            {"apprenticeship": str(apprenticeship.id), "competency": str(competency.id), "rating": rating},
        )
        assert response.status_code in (200, 201), response.json()
        return response.json()

    return post
