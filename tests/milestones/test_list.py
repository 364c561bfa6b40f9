"""GET /api/v1/milestones/ (`?status=pending`) and its detail: scoped like the apprenticeships
they belong to (RAPS admins the sponsor's, employer staff their employer's, apprentices their
own), 404 outside the scope, in a fixed number of queries."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.milestones.conftest import MILESTONES, reach


def ids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {milestone["id"] for milestone in response.json()["results"]}


def of(milestones, *names) -> set[str]:
    return {str(milestones[name].id) for name in names}


A_ALL = ["a_pending", "a_approved", "a_rejected"]


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("raps_admin", [*A_ALL, "b_pending"]),
        ("employer_a_admin", A_ALL),
        ("employer_a_supervisor", A_ALL),
        ("apprentice", A_ALL),
        ("employer_b_supervisor", ["b_pending"]),
        ("other_raps_admin", ["other_sponsor_pending"]),
        ("outsider", []),
    ],
)
def test_the_list_shows_the_milestones_of_the_apprenticeships_the_caller_reads(
    request, client_for, milestones, persona, visible
):
    response = client_for(request.getfixturevalue(persona)).get(MILESTONES)

    assert ids(response) == of(milestones, *visible)
    assert response.json()["count"] == len(visible)


def test_employer_b_sees_none_of_employer_as_milestones(client_for, employer_b_supervisor, apprenticeship, definitions):
    reach(apprenticeship, definitions["Halfway"])

    response = client_for(employer_b_supervisor).get(MILESTONES)

    assert ids(response) == set()


@pytest.mark.parametrize(
    ("persona", "pending"),
    [
        ("raps_admin", ["a_pending", "b_pending"]),
        ("employer_a_supervisor", ["a_pending"]),
        ("apprentice", ["a_pending"]),
        ("employer_b_supervisor", ["b_pending"]),
    ],
)
def test_status_pending_lists_only_the_pending_milestones_in_scope(request, client_for, milestones, persona, pending):
    response = client_for(request.getfixturevalue(persona)).get(MILESTONES, {"status": "pending"})

    assert ids(response) == of(milestones, *pending)
    assert {milestone["status"] for milestone in response.json()["results"]} == {"pending"}


def test_the_list_filters_by_apprenticeship_and_by_kind(client_for, raps_admin, milestones, other_apprenticeship):
    client = client_for(raps_admin)

    assert ids(client.get(MILESTONES, {"apprenticeship": str(other_apprenticeship.id)})) == of(milestones, "b_pending")
    assert ids(client.get(MILESTONES, {"definition__kind": "probation"})) == of(milestones, "a_approved", "b_pending")


def test_the_list_is_newest_first(client_for, apprentice, milestones):
    results = client_for(apprentice).get(MILESTONES).json()["results"]

    assert [milestone["id"] for milestone in results] == [
        str(milestones[name].id) for name in ("a_pending", "a_rejected", "a_approved")
    ]


def test_a_milestone_shows_its_definition_and_decision(client_for, apprentice, milestones, apprenticeship, raps_admin):
    approved = milestones["a_approved"]

    response = client_for(apprentice).get(f"{MILESTONES}{approved.id}/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(approved.id)
    assert body["apprenticeship"] == str(apprenticeship.id)
    assert body["definition"] == str(approved.definition_id)
    assert (body["name"], body["kind"], body["threshold_hours"]) == ("Probation complete", "probation", "500.00")
    assert body["status"] == "approved"
    assert body["decided_by"] == str(raps_admin.id)
    assert body["decided_at"]
    assert body["reached_at"]


@pytest.mark.parametrize("persona", ["raps_admin", "employer_a_admin", "employer_a_supervisor", "apprentice"])
def test_readers_read_a_milestone_in_their_scope(request, client_for, milestones, persona):
    response = client_for(request.getfixturevalue(persona)).get(f"{MILESTONES}{milestones['a_pending'].id}/")

    assert response.status_code == 200
    assert response.json()["status"] == "pending"


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_a_milestone_outside_the_callers_scope_is_not_found(request, client_for, milestones, persona):
    response = client_for(request.getfixturevalue(persona)).get(f"{MILESTONES}{milestones['a_pending'].id}/")

    assert response.status_code == 404
    assert "status" not in response.json()


def test_the_apprentice_does_not_read_another_apprentices_milestone(client_for, apprentice, milestones):
    assert client_for(apprentice).get(f"{MILESTONES}{milestones['b_pending'].id}/").status_code == 404


def test_an_unknown_milestone_is_not_found(client_for, raps_admin):
    assert client_for(raps_admin).get(f"{MILESTONES}{uuid.uuid4()}/").status_code == 404


def test_milestones_need_a_signed_in_caller(anonymous_client, milestones):
    assert anonymous_client.get(MILESTONES).status_code == 401
    assert anonymous_client.get(f"{MILESTONES}{milestones['a_pending'].id}/").status_code == 401


def test_milestones_are_not_written_through_the_list_or_the_record(client_for, raps_admin, milestones, apprenticeship):
    client = client_for(raps_admin)
    url = f"{MILESTONES}{milestones['a_pending'].id}/"

    responses = [
        client.post(MILESTONES, {"apprenticeship": str(apprenticeship.id)}, format="json"),
        client.patch(url, {"status": "approved"}, format="json"),
        client.delete(url),
    ]

    assert [response.status_code for response in responses] == [405, 405, 405]
    assert client.get(url).json()["status"] == "pending"


def test_filtering_by_an_apprenticeship_outside_the_scope_answers_as_for_one_that_does_not_exist(
    client_for, employer_b_supervisor, milestones, apprenticeship
):
    client = client_for(employer_b_supervisor)

    outside = client.get(MILESTONES, {"apprenticeship": str(apprenticeship.id)})
    unknown = client.get(MILESTONES, {"apprenticeship": str(uuid.uuid4())})

    assert (unknown.status_code, unknown.json()) == (outside.status_code, outside.json())


# --- queries ------------------------------------------------------------------------------------


def count_queries(client, rows, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(MILESTONES, params)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == rows
    return len(context.captured_queries)


def add_milestones(apprenticeship, count):
    """`count` approved milestones of new definitions, each decided by its own user."""
    for _ in range(count):
        definition = factories.MilestoneDefinitionFactory(program=apprenticeship.program)
        reach(apprenticeship, definition, status="approved", decided_by=factories.UserFactory())


@pytest.mark.parametrize("persona", ["raps_admin", "employer_a_supervisor", "apprentice"])
def test_the_list_answers_in_the_same_number_of_queries_for_1_and_50_milestones(
    request, client_for, apprenticeship, persona
):
    client = client_for(request.getfixturevalue(persona))
    add_milestones(apprenticeship, 1)
    one = count_queries(client, 1)

    add_milestones(apprenticeship, 49)
    fifty = count_queries(client, 50)

    # 1. session  2. user  3. memberships (with the sponsors an employer takes part in)  4. the
    # caller's own apprenticeships  5. COUNT(*)  6. the page of milestones with their definitions
    assert one == fifty == 6


def test_the_pending_list_answers_in_the_same_number_of_queries_for_1_and_50_milestones(
    client_for, raps_admin, apprenticeship
):
    def pending(count):
        for _ in range(count):
            reach(apprenticeship, factories.MilestoneDefinitionFactory(program=apprenticeship.program))

    client = client_for(raps_admin)
    pending(1)
    one = count_queries(client, 1, {"status": "pending"})

    pending(49)
    fifty = count_queries(client, 50, {"status": "pending"})

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. COUNT(*)
    # 6. the page of pending milestones with their definitions joined
    assert one == fifty == 6
