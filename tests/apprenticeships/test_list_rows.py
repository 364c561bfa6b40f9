"""The apprenticeships list and the roster read their page as rows of values
(apprenticeships/selectors/list_rows.py), not model instances: each row must be exactly what the same
apprenticeship's own record (`apprenticeships/{id}/`, read as a model) says, for every reader,
with or without a mentor, registration data, running totals or a wage step."""

import datetime
from decimal import Decimal

import pytest

from apprenticeships.models import ApprenticeRegistration
from competencies.models import HourTotals
from tests import factories

LIST = "/api/v1/apprenticeships/?page_size=200"
ROSTER = "/api/v1/apprenticeships/?include=progress&page_size=200"


@pytest.fixture
def varied(program, employer_a, employer_a_supervisor, apprentice):
    """Apprenticeships that differ in every part a row reads."""
    mentored = factories.ApprenticeshipFactory(
        program=program,
        employer=employer_a,
        apprentice=apprentice,
        mentor=employer_a_supervisor,
        current_wage_step=program.wage_steps.first(),
        ojt_credit_hours=Decimal("120.50"),
        credit_basis="Prior bootcamp",
    )
    cancelled = factories.ApprenticeshipFactory(
        program=program,
        employer=employer_a,
        status="cancelled",
        ended_on=datetime.date(2025, 3, 1),
        status_changed_on=datetime.date(2025, 3, 1),
        cancellation_reason="Moved away",
        exit_reason="voluntary_quit",
        cancelled_during_probation=True,
        rapids_apprentice_id="CA-2025-0042",
    )
    unregistered = factories.ApprenticeshipFactory(program=program, employer=employer_a, registration=False)
    no_totals = factories.ApprenticeshipFactory(program=program, employer=employer_a)
    HourTotals.objects.filter(apprenticeship=no_totals).delete()
    ApprenticeRegistration.objects.filter(apprenticeship=mentored).update(
        middle_name="Q", telephone="555-0100", prior_wage=Decimal("18.25"), wioa_participant=True
    )
    return [mentored, cancelled, unregistered, no_totals]


def _rows(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def _record(client, apprenticeship) -> dict:
    response = client.get(f"/api/v1/apprenticeships/{apprenticeship.id}/")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("reader", ["raps_admin", "employer_a_supervisor"])
def test_each_list_row_is_the_apprenticeships_own_record(request, client_for, reader, varied):
    client = client_for(request.getfixturevalue(reader))

    rows = _rows(client, LIST)

    assert set(rows) >= {str(a.id) for a in varied}
    for apprenticeship in varied:
        assert rows[str(apprenticeship.id)] == _record(client, apprenticeship)


def test_the_apprentice_reads_their_own_row_as_their_record(client_for, apprentice, varied):
    client = client_for(apprentice)

    rows = _rows(client, LIST)

    assert list(rows) == [str(varied[0].id)]
    assert rows[str(varied[0].id)] == _record(client, varied[0])
    assert rows[str(varied[0].id)]["registration"]["telephone"] == "555-0100"


def test_each_roster_row_is_the_record_with_its_progress(client_for, raps_admin, varied):
    client = client_for(raps_admin)

    rows = _rows(client, ROSTER)

    for apprenticeship in varied:
        row = rows[str(apprenticeship.id)]
        assert {**row, "progress": None} == _record(client, apprenticeship)
        assert row["progress"]["ojt"]["required"] == f"{apprenticeship.program.ojt_hours_required:.2f}"
    # Credit counts toward the hours; a row with no running totals reads as nothing logged.
    assert rows[str(varied[0].id)]["progress"]["ojt"]["credited"] == "120.50"
    no_totals = rows[str(varied[3].id)]["progress"]
    assert (no_totals["ojt"]["approved"], no_totals["pending_logs"], no_totals["last_logged_on"]) == ("0.00", 0, None)
