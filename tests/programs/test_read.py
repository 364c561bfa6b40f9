"""GET /api/v1/programs/: the sponsor's RAPS admins and the staff of its employers read its
programs, an apprentice reads the program of their own apprenticeship; everyone else finds none."""

import pytest

from tests.programs.helpers import PROGRAMS


def _ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_a_program_answers_with_its_schedules_nested_as_the_api_contract_says(client_for, raps_admin, program):
    body = client_for(raps_admin).get(f"{PROGRAMS}{program.id}/").json()

    front, back = body["work_processes"]
    assert set(front) == {"id", "title", "target_hours", "competencies"}
    assert (front["title"], front["target_hours"], back["title"], back["target_hours"]) == (
        "Front end",
        "1200.00",
        "Back end",
        "800.00",
    )
    assert [set(competency) for competency in front["competencies"]] == [{"id", "code", "title"}] * 2
    assert {"id", "name", "starts_at_ojt_hours", "wage"} <= set(body["wage_steps"][0])
    assert [(s["name"], s["starts_at_ojt_hours"], s["wage"]) for s in body["wage_steps"]] == [
        ("Step 1", "0.00", "22.00"),
        ("Step 2", "1000.00", "25.00"),
        ("Step 3", "1500.00", "28.00"),
    ]
    assert {"id", "name", "kind", "threshold_hours"} <= set(body["milestone_definitions"][0])
    assert [(d["name"], d["kind"], d["threshold_hours"]) for d in body["milestone_definitions"]] == [
        ("Probation complete", "probation", "500.00"),
        ("Halfway", "ojt_hours", "1000.00"),
    ]


def test_raps_admin_lists_the_sponsors_programs(client_for, raps_admin, program):
    assert _ids(client_for(raps_admin).get(PROGRAMS)) == [str(program.id)]


@pytest.mark.parametrize("persona", ["employer_a_admin", "employer_a_supervisor", "employer_b_supervisor"])
def test_staff_of_an_employer_taking_part_read_the_sponsors_programs(request, client_for, program, persona):
    client = client_for(request.getfixturevalue(persona))

    assert _ids(client.get(PROGRAMS)) == [str(program.id)]
    assert client.get(f"{PROGRAMS}{program.id}/").status_code == 200


def test_the_apprentice_reads_the_program_of_their_apprenticeship(client_for, apprentice, apprenticeship, program):
    client = client_for(apprentice)

    detail = client.get(f"{PROGRAMS}{program.id}/")

    assert _ids(client.get(PROGRAMS)) == [str(program.id)]
    assert detail.status_code == 200
    assert [wp["title"] for wp in detail.json()["work_processes"]] == ["Front end", "Back end"]


def test_an_apprentice_without_an_apprenticeship_in_it_does_not_find_the_program(client_for, apprentice, program):
    client = client_for(apprentice)

    assert _ids(client.get(PROGRAMS)) == []
    assert client.get(f"{PROGRAMS}{program.id}/").status_code == 404


def test_another_sponsors_admin_does_not_find_the_program(client_for, other_raps_admin, program):
    client = client_for(other_raps_admin)

    assert _ids(client.get(PROGRAMS)) == []
    assert client.get(f"{PROGRAMS}{program.id}/").status_code == 404
    assert client.patch(f"{PROGRAMS}{program.id}/", {"title": "Mine"}).status_code == 404
    assert client.get(f"{PROGRAMS}{program.id}/history/").status_code == 404


def test_an_outsider_lists_no_programs_and_finds_none(client_for, outsider, program):
    client = client_for(outsider)

    assert _ids(client.get(PROGRAMS)) == []
    assert client.get(f"{PROGRAMS}{program.id}/").status_code == 404


def test_an_anonymous_caller_is_401(anonymous_client, program):
    assert anonymous_client.get(PROGRAMS).status_code == 401
