"""Fixtures of the progress tests: the program's work processes, hours written through the
services (so the running totals move as they do in production) and the progress read back."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apprenticeships.selectors import caller_scope
from competencies import services
from competencies.services import HourEntry


def progress_url(apprenticeship) -> str:
    return f"/api/v1/apprenticeships/{apprenticeship.id}/progress/"


@pytest.fixture
def front_end(program):
    return program.work_processes.get(title="Front end")


@pytest.fixture
def back_end(program):
    return program.work_processes.get(title="Back end")


@pytest.fixture
def log_hours(apprenticeship, front_end):
    """Write one log through `hour_log_create` as `user`, `days_ago` days before today: approved
    on entry for employer staff (OJT) and RAPS admins (RTI), submitted for the apprentice."""

    def write(user, hours, *, days_ago=1, kind="ojt", work_process=None):
        return services.hour_log_create(
            scope=caller_scope(user=user),
            logged_by=user,
            entry=HourEntry(
                apprenticeship_id=apprenticeship.pk,
                date=timezone.localdate() - datetime.timedelta(days=days_ago),
                hours=Decimal(str(hours)),
                kind=kind,
                work_process=str((work_process or front_end).pk) if kind == "ojt" else None,
            ),
        )

    return write


@pytest.fixture
def progress(client_for, raps_admin, apprenticeship):
    """The apprenticeship's progress as the RAPS admin reads it (the request must succeed)."""

    def read(user=None):
        response = client_for(user or raps_admin).get(progress_url(apprenticeship))
        assert response.status_code == 200, response.content
        return response.json()

    return read
