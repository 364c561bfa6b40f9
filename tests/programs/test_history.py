"""GET /api/v1/programs/{id}/history/: who changed the standards, when, from what to what."""

import pytest

from tests.programs.helpers import PROGRAMS, program_body


def _of_a_part(entry) -> bool:
    return any("[" in change["field"] for change in entry["changes"])


@pytest.fixture
def changed_program(client_for, raps_admin, occupation):
    """A program the RAPS admin registered and then changed (RTI hours 180 -> 144)."""
    client = client_for(raps_admin)
    created = client.post(PROGRAMS, program_body(occupation)).json()
    changed = client.patch(f"{PROGRAMS}{created['id']}/", {"rti_hours_required": "144.00", "term_months": 18})
    assert changed.status_code == 200, changed.json()
    return created["id"]


def test_history_lists_the_change_newest_first_with_the_raps_admin_and_the_changed_fields(
    client_for, raps_admin, changed_program
):
    response = client_for(raps_admin).get(f"{PROGRAMS}{changed_program}/history/")

    assert response.status_code == 200
    # The program's own entries; those of its work processes and other parts are named after
    # them (tests/history/test_parts.py).
    entries = [entry for entry in response.json()["results"] if not _of_a_part(entry)]
    assert len(entries) == 2
    newest, oldest = entries
    assert newest["history_date"] > oldest["history_date"]
    assert (newest["history_type"], oldest["history_type"]) == ("~", "+")
    raps_admin_ref = {"id": str(raps_admin.id), "name": "Rae Admin"}
    assert newest["history_user"] == oldest["history_user"] == raps_admin_ref
    assert (newest["history_change_reason"], oldest["history_change_reason"]) == (
        "changed standards",
        "registered standards",
    )
    assert sorted(newest["changes"], key=lambda change: change["field"]) == [
        {"field": "rti_hours_required", "old": "180.00", "new": "144.00"},
        {"field": "term_months", "old": 24, "new": 18},
    ]
    assert {"field": "probation_hours", "old": None, "new": "500.00"} in oldest["changes"]


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "apprentice"])
def test_readers_of_a_program_read_its_history(request, client_for, apprenticeship, program, persona):
    response = client_for(request.getfixturevalue(persona)).get(f"{PROGRAMS}{program.id}/history/")

    assert response.status_code == 200
    assert {entry["history_type"] for entry in response.json()["results"]} == {"+"}


@pytest.mark.parametrize("persona", ["other_raps_admin", "outsider"])
def test_the_history_of_a_program_outside_the_callers_scope_is_not_found(request, client_for, program, persona):
    response = client_for(request.getfixturevalue(persona)).get(f"{PROGRAMS}{program.id}/history/")

    assert response.status_code == 404


def test_history_is_read_only(client_for, raps_admin, program):
    client = client_for(raps_admin)

    assert client.post(f"{PROGRAMS}{program.id}/history/", {}).status_code == 405
    assert client.delete(f"{PROGRAMS}{program.id}/history/").status_code == 405
    assert client.delete(f"{PROGRAMS}{program.id}/").status_code == 405
