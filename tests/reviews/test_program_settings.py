"""The program sets how often its apprentices are reviewed: every `review_interval_months`
(null: no periodic reviews; 1 to 24), at wage steps, and whether a wage step waits for a signed
review. Set by the sponsor's RAPS admins through the program API, in the program's history."""

import pytest

from apprenticeships.models import Program

pytestmark = pytest.mark.django_db


def _url(program) -> str:
    return f"/api/v1/programs/{program.pk}/"


def test_a_raps_admin_sets_the_review_schedule_and_history_records_it(client_for, raps_admin, program):
    response = client_for(raps_admin).patch(
        _url(program),
        {"review_interval_months": 6, "review_at_wage_steps": True, "wage_step_needs_review": True},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["review_interval_months"], body["review_at_wage_steps"], body["wage_step_needs_review"]) == (
        6,
        True,
        True,
    )
    program.refresh_from_db()
    assert program.review_interval_months == 6
    latest = program.history.latest()
    assert (latest.review_interval_months, latest.wage_step_needs_review) == (6, True)
    assert latest.prev_record.review_interval_months is None


def test_the_interval_can_be_turned_off(client_for, raps_admin, program):
    Program.objects.filter(pk=program.pk).update(review_interval_months=3)
    response = client_for(raps_admin).patch(_url(program), {"review_interval_months": None}, format="json")
    assert response.status_code == 200
    program.refresh_from_db()
    assert program.review_interval_months is None


@pytest.mark.parametrize("months", [0, 25, "often"])
def test_an_interval_outside_1_to_24_months_is_refused(client_for, raps_admin, program, months):
    response = client_for(raps_admin).patch(_url(program), {"review_interval_months": months}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["review_interval_months"]
    program.refresh_from_db()
    assert program.review_interval_months is None


def test_employer_staff_do_not_set_the_schedule(client_for, employer_a_supervisor, program, employer_a):
    response = client_for(employer_a_supervisor).patch(_url(program), {"review_interval_months": 6}, format="json")
    assert response.status_code == 403
    program.refresh_from_db()
    assert program.review_interval_months is None
