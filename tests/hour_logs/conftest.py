"""Fixtures of the hour-log tests: the program's work processes and request bodies as clients
send them. Plain helpers (running totals, scopes) are in records.py."""

import pytest

from tests.hour_logs.records import LOGS


@pytest.fixture
def front_end(apprenticeship):
    return apprenticeship.program.work_processes.get(title="Front end")


@pytest.fixture
def back_end(apprenticeship):
    return apprenticeship.program.work_processes.get(title="Back end")


@pytest.fixture
def ojt(apprenticeship, front_end):
    """The body of an OJT log on the apprentice's apprenticeship (8 h in Front end on 2025-03-03)."""

    def body(**overrides):
        return {
            "apprenticeship": str(apprenticeship.id),
            "date": "2025-03-03",
            "hours": "8",
            "kind": "ojt",
            "work_process": str(front_end.id),
            "description": "Built the sign-up form",
            **overrides,
        }

    return body


@pytest.fixture
def rti(apprenticeship):
    """The body of an RTI log on the apprentice's apprenticeship (3 h on 2025-03-03)."""

    def body(**overrides):
        return {
            "apprenticeship": str(apprenticeship.id),
            "date": "2025-03-03",
            "hours": "3",
            "kind": "rti",
            "course": "JavaScript I",
            "instruction_provider": "LA Trade-Tech College",
            **overrides,
        }

    return body


@pytest.fixture
def log_as(client_for):
    """POST one log as `user` through the API and return its JSON (the write must succeed)."""

    def post(user, body):
        response = client_for(user).post(LOGS, body)
        assert response.status_code == 201, response.json()
        return response.json()

    return post
