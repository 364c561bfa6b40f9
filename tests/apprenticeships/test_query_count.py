"""GET /api/v1/apprenticeships/ answers in the same number of queries for 1 apprenticeship and
for 50, each with its registration data, mentor and wage step id, and its employer, sponsor, program
and mentor by name."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.apprenticeships.helpers import APPRENTICESHIPS


def _count_queries(client, rows):
    with CaptureQueriesContext(connection) as context:
        response = client.get(APPRENTICESHIPS)
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == rows
    assert all(row["registration"]["first_name"] == "Ari" for row in results)
    assert all(row["sponsor"]["name"] and row["employer_detail"]["name"] for row in results)
    assert all(row["program_detail"]["title"] and row["mentor_detail"]["email"] for row in results)
    return len(context.captured_queries)


def _apprenticeships(count, program, employer, mentor):
    factories.ApprenticeshipFactory.create_batch(
        count, program=program, employer=employer, mentor=mentor, current_wage_step=program.wage_steps.first()
    )


def test_apprenticeships_list_query_count_is_flat(client_for, raps_admin, employer_a_supervisor, program, employer_a):
    client = client_for(raps_admin)
    _apprenticeships(1, program, employer_a, employer_a_supervisor)
    one = _count_queries(client, 1)

    _apprenticeships(49, program, employer_a, employer_a_supervisor)
    fifty = _count_queries(client, 50)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. COUNT(*)
    # 6. the page of apprenticeships, with apprentice, program and registration joined, as values
    # 7.-9. the page's sponsors, employers and mentors, one query each: PostgreSQL took longer to
    # plan the join of all the tables than these three take to run (a row names its wage step
    # by id only, which the page's own columns carry)
    assert one == fifty == 9


def test_apprenticeships_list_query_count_is_flat_for_employer_staff(
    client_for, employer_a_supervisor, program, employer_a
):
    client = client_for(employer_a_supervisor)
    _apprenticeships(1, program, employer_a, employer_a_supervisor)
    one = _count_queries(client, 1)

    _apprenticeships(49, program, employer_a, employer_a_supervisor)
    fifty = _count_queries(client, 50)

    # 1. session  2. user  3. memberships, with the sponsors the caller's employer takes part in
    # 4. the caller's own apprenticeships  5. COUNT(*)  6. the page of apprenticeships, joined
    # 7.-9. its sponsors, employers and mentors
    assert one == fifty == 9
