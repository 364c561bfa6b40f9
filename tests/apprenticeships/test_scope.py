"""Who reads which apprenticeship: RAPS admins all of their sponsor's, employer staff their
employer's, the apprentice their own; any other answers 404, on the record and on its history."""

import pytest

from tests import factories
from tests.apprenticeships.helpers import APPRENTICESHIPS, url

# persona -> the apprenticeships of the world below that it reads
SEES = {
    "raps_admin": {"at_a", "at_b"},
    "employer_a_admin": {"at_a"},
    "employer_a_supervisor": {"at_a"},
    "employer_b_supervisor": {"at_b"},
    "apprentice": {"at_a"},
    "other_raps_admin": {"at_c"},
    "outsider": set(),
    "platform_staff": set(),
}


@pytest.fixture
def world(apprenticeship, other_apprenticeship, other_sponsor, employer_c):
    """The apprentice's apprenticeship at employer A, another apprentice's at employer B (same
    sponsor), and a third at employer C in the other sponsor's program."""
    other_program = factories.ProgramFactory(sponsor=other_sponsor)
    return {
        "at_a": apprenticeship,
        "at_b": other_apprenticeship,
        "at_c": factories.ApprenticeshipFactory(program=other_program, employer=employer_c),
    }


@pytest.mark.parametrize("persona", SEES)
def test_the_list_shows_exactly_the_callers_apprenticeships(request, client_for, world, persona):
    response = client_for(request.getfixturevalue(persona)).get(APPRENTICESHIPS)

    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    assert listed == {str(world[name].id) for name in SEES[persona]}
    assert response.json()["count"] == len(SEES[persona])


@pytest.mark.parametrize("persona", SEES)
def test_each_apprenticeship_and_its_history_is_found_only_in_scope(request, client_for, world, persona):
    client = client_for(request.getfixturevalue(persona))

    answers = {
        name: (client.get(url(record)).status_code, client.get(url(record, "history")).status_code)
        for name, record in world.items()
    }

    assert answers == {name: (200, 200) if name in SEES[persona] else (404, 404) for name in world}


def test_the_list_filters_by_status_within_the_scope(client_for, raps_admin, world):
    factories.put_in_status(world["at_b"], "suspended")

    response = client_for(raps_admin).get(f"{APPRENTICESHIPS}?status=suspended")

    assert [row["id"] for row in response.json()["results"]] == [str(world["at_b"].id)]


def test_filtering_by_another_sponsors_program_finds_nothing(client_for, raps_admin, world):
    response = client_for(raps_admin).get(f"{APPRENTICESHIPS}?program={world['at_c'].program_id}")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_apprentice_reads_their_apprenticeship(client_for, apprentice, apprenticeship, program, employer_a):
    body = client_for(apprentice).get(url(apprenticeship)).json()

    assert body["apprentice"] == {"id": str(apprentice.id), "email": "apprentice@example.org", "name": "Ari Apprentice"}
    assert (body["program"], body["employer"], body["status"]) == (str(program.id), str(employer_a.id), "active")
    assert body["current_wage_step"] == str(program.wage_steps.get(name="Step 1").id)


def test_an_anonymous_caller_is_401(anonymous_client, apprenticeship):
    assert anonymous_client.get(APPRENTICESHIPS).status_code == 401
    assert anonymous_client.get(url(apprenticeship)).status_code == 401
