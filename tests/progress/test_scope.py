"""Anyone who reads the apprenticeship reads its progress; everyone else gets 404, as if it did
not exist; a caller who is not signed in gets 401."""

import uuid

import pytest

from tests.progress.conftest import progress_url


@pytest.mark.parametrize("persona", ["raps_admin", "employer_a_admin", "employer_a_supervisor", "apprentice"])
def test_readers_of_the_apprenticeship_read_its_progress(request, client_for, apprenticeship, persona):
    response = client_for(request.getfixturevalue(persona)).get(progress_url(apprenticeship))

    assert response.status_code == 200
    assert response.json()["apprenticeship"] == str(apprenticeship.id)


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_progress_outside_the_callers_scope_is_not_found(request, client_for, apprenticeship, persona):
    response = client_for(request.getfixturevalue(persona)).get(progress_url(apprenticeship))

    assert response.status_code == 404
    assert "ojt" not in response.json()


def test_employer_b_reads_its_own_apprentices_progress_but_not_employer_as(
    client_for, employer_b_supervisor, apprenticeship, other_apprenticeship
):
    client = client_for(employer_b_supervisor)

    assert client.get(progress_url(other_apprenticeship)).status_code == 200
    assert client.get(progress_url(apprenticeship)).status_code == 404


def test_the_apprentice_does_not_read_another_apprentices_progress(client_for, apprentice, other_apprenticeship):
    assert client_for(apprentice).get(progress_url(other_apprenticeship)).status_code == 404


def test_progress_of_an_unknown_apprenticeship_is_not_found(client_for, raps_admin):
    assert client_for(raps_admin).get(f"/api/v1/apprenticeships/{uuid.uuid4()}/progress/").status_code == 404


def test_progress_needs_a_signed_in_caller(anonymous_client, apprenticeship):
    response = anonymous_client.get(progress_url(apprenticeship))

    assert response.status_code == 401
    assert "ojt" not in response.json()
