"""PATCH /api/v1/apprenticeships/{id}/: the sponsor's RAPS admins change the agreement and the
registration data of an open apprenticeship, with history; a cancelled or completed one is final."""

import datetime

import pytest

from apprenticeships.models import Apprenticeship
from tests import factories
from tests.apprenticeships.helpers import url


def test_raps_admin_changes_the_mentor_and_expected_end_date_with_history(
    client_for, raps_admin, employer_a_supervisor, apprenticeship
):
    client = client_for(raps_admin)

    response = client.patch(
        url(apprenticeship), {"mentor": str(employer_a_supervisor.id), "expected_end_date": "2027-03-31"}
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["mentor"], response.json()["expected_end_date"]) == (
        str(employer_a_supervisor.id),
        "2027-03-31",
    )
    apprenticeship.refresh_from_db()
    assert (apprenticeship.mentor, apprenticeship.expected_end_date) == (
        employer_a_supervisor,
        datetime.date(2027, 3, 31),
    )
    newest = client.get(url(apprenticeship, "history")).json()["results"][0]
    assert (newest["history_type"], newest["history_change_reason"]) == ("~", "updated")
    assert newest["history_user"] == {"id": str(raps_admin.id), "name": "Rae Admin"}
    assert sorted(newest["changes"], key=lambda change: change["field"]) == [
        {"field": "expected_end_date", "old": "2026-12-31", "new": "2027-03-31"},
        {"field": "mentor", "old": None, "new": str(employer_a_supervisor.id)},
    ]


def test_raps_admin_changes_registration_data_with_history(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).patch(
        url(apprenticeship),
        {"registration": {"street_address": "200 Spring St", "zip_code": "90013", "veteran_status": 1}},
    )

    assert response.status_code == 200, response.json()
    registration = response.json()["registration"]
    assert (registration["street_address"], registration["zip_code"], registration["veteran_status"]) == (
        "200 Spring St",
        "90013",
        1,
    )
    stored = Apprenticeship.objects.get(pk=apprenticeship.pk).registration
    assert (stored.street_address, stored.zip_code, stored.veteran_status, stored.first_name) == (
        "200 Spring St",
        "90013",
        1,
        "Ari",
    )
    changed = stored.history.first()
    assert (changed.history_type, changed.history_user, changed.history_change_reason) == ("~", raps_admin, "updated")
    assert changed.prev_record.zip_code == "90012"


def test_a_mentor_who_is_not_staff_of_the_employer_is_refused(
    client_for, raps_admin, employer_b_supervisor, apprenticeship
):
    response = client_for(raps_admin).patch(url(apprenticeship), {"mentor": str(employer_b_supervisor.id)})

    assert response.status_code == 400
    assert list(response.json()) == ["mentor"]
    apprenticeship.refresh_from_db()
    assert apprenticeship.mentor is None


def test_a_date_of_birth_that_makes_the_apprentice_under_16_is_refused(client_for, raps_admin, apprenticeship):
    # The apprenticeship started on 2025-01-06.
    response = client_for(raps_admin).patch(url(apprenticeship), {"registration": {"date_of_birth": "2009-01-07"}})

    assert response.status_code == 400
    assert list(response.json()) == ["date_of_birth"]
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).registration.date_of_birth == datetime.date(2000, 5, 17)


def test_an_expected_end_date_before_the_start_is_refused(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).patch(url(apprenticeship), {"expected_end_date": "2024-12-31"})

    assert response.status_code == 400
    assert list(response.json()) == ["expected_end_date"]
    apprenticeship.refresh_from_db()
    assert apprenticeship.expected_end_date == datetime.date(2026, 12, 31)


def test_an_expected_end_date_after_the_programs_term_is_refused(client_for, raps_admin, apprenticeship):
    assert (apprenticeship.start_date, apprenticeship.program.term_months) == (datetime.date(2025, 1, 6), 36)

    response = client_for(raps_admin).patch(url(apprenticeship), {"expected_end_date": "9999-12-31"})

    assert response.status_code == 400
    assert list(response.json()) == ["expected_end_date"]
    assert "2028-01-06" in response.json()["expected_end_date"][0]
    apprenticeship.refresh_from_db()
    assert apprenticeship.expected_end_date == datetime.date(2026, 12, 31)


def test_a_registration_value_that_is_not_a_rapids_code_is_refused(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).patch(url(apprenticeship), {"registration": {"education_level": 2}})

    assert response.status_code == 400
    assert list(response.json()["registration"]) == ["education_level"]
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).registration.education_level == 3


def test_a_failed_change_writes_nothing_at_all(client_for, raps_admin, employer_a_supervisor, apprenticeship):
    before = apprenticeship.history.count()

    response = client_for(raps_admin).patch(
        url(apprenticeship),
        {"mentor": str(employer_a_supervisor.id), "registration": {"date_of_birth": "2015-01-01"}},
    )

    assert response.status_code == 400
    apprenticeship.refresh_from_db()
    assert apprenticeship.mentor is None
    assert apprenticeship.history.count() == before


@pytest.mark.parametrize("final", ["cancelled", "completed"])
def test_a_final_apprenticeship_is_not_changed(client_for, raps_admin, program, employer_a, final):
    apprenticeship = factories.ApprenticeshipFactory(
        program=program,
        employer=employer_a,
        status=final,
        ended_on=datetime.date(2025, 6, 30),
        cancellation_reason="moved away" if final == "cancelled" else "",
    )

    response = client_for(raps_admin).patch(url(apprenticeship), {"expected_end_date": "2027-03-31"})

    assert response.status_code == 409
    apprenticeship.refresh_from_db()
    assert apprenticeship.expected_end_date == datetime.date(2026, 12, 31)


def test_an_apprenticeship_cancelled_through_the_api_is_then_final(client_for, raps_admin, apprenticeship):
    client = client_for(raps_admin)
    client.post(url(apprenticeship, "transition"), {"to": "cancelled", "reason": "moved away", "exit_reason": "other"})

    response = client.patch(url(apprenticeship), {"registration": {"city": "Pasadena"}})

    assert response.status_code == 409
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).registration.city == "Los Angeles"


@pytest.mark.parametrize("persona", ["employer_a_admin", "employer_a_supervisor", "apprentice"])
def test_readers_of_the_apprenticeship_may_not_change_it(request, client_for, apprenticeship, persona):
    response = client_for(request.getfixturevalue(persona)).patch(
        url(apprenticeship), {"expected_end_date": "2027-03-31"}
    )

    assert response.status_code == 403
    apprenticeship.refresh_from_db()
    assert apprenticeship.expected_end_date == datetime.date(2026, 12, 31)


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_an_apprenticeship_outside_the_callers_scope_is_not_found_for_patch(
    request, client_for, apprenticeship, persona
):
    response = client_for(request.getfixturevalue(persona)).patch(
        url(apprenticeship), {"expected_end_date": "2027-03-31"}
    )

    assert response.status_code == 404
    apprenticeship.refresh_from_db()
    assert apprenticeship.expected_end_date == datetime.date(2026, 12, 31)


def test_raps_admin_clears_a_wrongly_entered_ssn(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).patch(url(apprenticeship), {"registration": {"ssn": ""}})

    assert response.status_code == 200, response.json()
    assert response.json()["ssn_masked"] is None
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).registration.ssn_last4 == ""
