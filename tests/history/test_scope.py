"""History is scoped like the record it belongs to (404 outside the caller's scope, as if it did
not exist) and read-only to everyone."""

import uuid

import pytest

from tests.history.conftest import RESOURCES, history_url

READERS = [
    *[(resource, "raps_admin") for resource in RESOURCES],
    *[(resource, "employer_a_supervisor") for resource in RESOURCES],
    *[(resource, "employer_a_admin") for resource in RESOURCES],
    # The apprentice reads their own records and their program, not the employer record.
    *[(resource, "apprentice") for resource in RESOURCES if resource != "employers"],
    # Employer B takes part in the sponsor's programs: it reads the program, not employer A's records.
    ("programs", "employer_b_supervisor"),
]
NOT_READERS = [
    *[(resource, "employer_b_supervisor") for resource in RESOURCES if resource != "programs"],
    *[(resource, "other_raps_admin") for resource in RESOURCES],
    *[(resource, "outsider") for resource in RESOURCES],
    ("employers", "apprentice"),
]


@pytest.mark.parametrize(("resource", "persona"), READERS)
def test_readers_of_the_record_read_its_history(request, subject, session_caller, resource, persona):
    request.getfixturevalue("apprenticeship")  # the apprentice reads the program of their apprenticeship
    record = subject(resource)

    response = session_caller(request.getfixturevalue(persona)).get(record.history_url)

    assert response.status_code == 200
    assert response.json()["results"][-1]["history_type"] == "+"


@pytest.mark.parametrize(("resource", "persona"), NOT_READERS)
def test_history_of_a_record_outside_the_callers_scope_is_not_found(
    request, subject, session_caller, resource, persona
):
    record = subject(resource)

    response = session_caller(request.getfixturevalue(persona)).get(record.history_url)

    assert response.status_code == 404
    assert "results" not in response.json()


@pytest.mark.parametrize("resource", RESOURCES)
def test_history_of_an_unknown_record_is_not_found(session_caller, raps_admin, resource):
    assert session_caller(raps_admin).get(history_url(resource, uuid.uuid4())).status_code == 404


@pytest.mark.parametrize("resource", RESOURCES)
def test_history_needs_a_signed_in_caller(subject, anonymous_client, resource):
    record = subject(resource)

    assert anonymous_client.get(record.history_url).status_code == 401


@pytest.mark.parametrize("resource", RESOURCES)
def test_history_is_read_only(subject, client_for, raps_admin, resource):
    record = subject(resource)
    client = client_for(raps_admin)
    before = client.get(record.history_url).json()

    responses = [
        client.post(record.history_url, {}, format="json"),
        client.put(record.history_url, {}, format="json"),
        client.patch(record.history_url, {}, format="json"),
        client.delete(record.history_url),
    ]

    assert [response.status_code for response in responses] == [405, 405, 405, 405]
    assert client.get(record.history_url).json() == before
