"""/api/v1/priority-populations/: a sponsor's RAPS administrators define the groups its summary
counts; the history keeps every change; nothing is deleted; nobody else sees them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apprenticeships.models import PriorityPopulation

URL = "/api/v1/priority-populations/"


def define(client, **body):
    return client.post(
        URL, {"name": "South LA", "criterion": "zip_code_in", "values": ["90001", "90002"]} | body, format="json"
    )


def test_a_raps_admin_defines_a_population_of_their_sponsor(client_for, raps_admin, sponsor):
    response = define(client_for(raps_admin))

    assert response.status_code == 201, response.content
    population = PriorityPopulation.objects.get(pk=response.json()["id"])
    assert (population.sponsor, population.values, population.active) == (sponsor, ["90001", "90002"], True)
    assert population.history.get().history_change_reason == "priority population defined"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"values": ["9000"]}, "values"),
        ({"values": []}, "values"),
        ({"criterion": "employment_status_in", "values": ["XX"]}, "values"),
        ({"criterion": "education_level_in", "values": [True]}, "values"),
        ({"criterion": "veteran", "values": [1]}, "values"),
        ({"criterion": "salary_below"}, "criterion"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_criterion_or_value_is_a_400_and_nothing_is_written(client_for, raps_admin, body, field):
    response = define(client_for(raps_admin), **body)

    assert response.status_code == 400
    assert field in response.json()
    assert not PriorityPopulation.objects.exists()


def test_veteran_and_disability_take_no_values(client_for, raps_admin):
    client = client_for(raps_admin)

    assert define(client, name="Veterans", criterion="veteran", values=[]).status_code == 201
    unnamed_values = client.post(URL, {"name": "Disability", "criterion": "disability"}, format="json")
    assert unnamed_values.status_code == 201, unnamed_values.content
    assert unnamed_values.json()["values"] == []


def test_two_active_populations_of_a_sponsor_cannot_share_a_name(client_for, raps_admin):
    client = client_for(raps_admin)
    assert define(client).status_code == 201

    response = define(client)

    assert response.status_code == 400
    assert "name" in response.json()


def test_a_population_is_made_inactive_never_deleted_and_its_history_says_so(client_for, raps_admin):
    client = client_for(raps_admin)
    population_id = define(client).json()["id"]

    changed = client.patch(f"{URL}{population_id}/", {"values": ["90003"]}, format="json")
    ended = client.patch(f"{URL}{population_id}/", {"active": False}, format="json")
    deleted = client.delete(f"{URL}{population_id}/")
    history = client.get(f"{URL}{population_id}/history/").json()["results"]

    assert (changed.status_code, ended.status_code, deleted.status_code) == (200, 200, 405)
    assert PriorityPopulation.objects.get(pk=population_id).active is False
    assert [entry["history_change_reason"] for entry in history] == [
        "priority population made inactive",
        "priority population changed",
        "priority population defined",
    ]
    # Its name is free again for a new one.
    assert define(client).status_code == 201


def test_a_change_to_a_bad_value_is_refused(client_for, raps_admin):
    client = client_for(raps_admin)
    population_id = define(client).json()["id"]

    response = client.patch(f"{URL}{population_id}/", {"criterion": "gender_in"}, format="json")

    assert response.status_code == 400
    assert "values" in response.json()


@pytest.mark.parametrize("persona", ["employer_a_admin", "employer_a_supervisor", "apprentice", "outsider"])
def test_only_raps_admins_define_populations(request, client_for, persona):
    response = define(client_for(request.getfixturevalue(persona)))

    assert response.status_code == 403
    assert not PriorityPopulation.objects.exists()


@pytest.mark.parametrize("persona", ["employer_a_admin", "other_raps_admin", "outsider"])
def test_nobody_else_sees_the_sponsors_populations(request, client_for, raps_admin, persona):
    population_id = define(client_for(raps_admin)).json()["id"]
    client = client_for(request.getfixturevalue(persona))

    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{population_id}/").status_code == 404
    assert client.patch(f"{URL}{population_id}/", {"active": False}, format="json").status_code == 404


def test_the_list_filters_on_active(client_for, raps_admin):
    client = client_for(raps_admin)
    first = define(client).json()["id"]
    define(client, name="Veterans", criterion="veteran", values=[])
    client.patch(f"{URL}{first}/", {"active": False}, format="json")

    listed = client.get(URL, {"active": "true"}).json()

    assert [row["name"] for row in listed["results"]] == ["Veterans"]


def test_the_list_query_count_is_the_same_for_1_and_for_20_populations(client_for, raps_admin, sponsor):
    client = client_for(raps_admin)

    def count_queries(expected):
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).json()["count"] == expected
        return len(context.captured_queries)

    PriorityPopulation.objects.create(sponsor=sponsor, name="First", criterion="veteran")
    one = count_queries(1)
    for n in range(19):
        PriorityPopulation.objects.create(sponsor=sponsor, name=f"Group {n}", criterion="disability")
    twenty = count_queries(20)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. COUNT  6. the page
    assert one == twenty == 6
