"""History pages: `?page_size=` splits the history, and each entry's changes are computed
against the entry just older than it, also when that entry is on the next page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.history import with_reason
from tests import factories
from tests.history.conftest import history_url


@pytest.fixture
def renamed_five_times(sponsor, raps_admin):
    """An employer of the sponsor with five versions: created as "Name 1", renamed to "Name 2"
    through "Name 5"."""
    employer = factories.EmployerFactory(name="Name 1")
    factories.ParticipationFactory(sponsor=sponsor, employer=employer)
    for number in range(2, 6):
        employer.name = f"Name {number}"
        with_reason(employer, f"renamed to Name {number}", user=raps_admin).save()
    return employer


def name_change(entry) -> tuple:
    (change,) = entry["changes"]
    return change["field"], change["old"], change["new"]


def test_the_last_entry_of_a_page_is_diffed_against_the_first_entry_of_the_next(
    client_for, raps_admin, renamed_five_times
):
    client = client_for(raps_admin)
    url = history_url("employers", renamed_five_times.id)

    first = client.get(url, {"page_size": 2}).json()
    second = client.get(url, {"page_size": 2, "page": 2}).json()
    third = client.get(url, {"page_size": 2, "page": 3}).json()

    assert first["count"] == 5
    assert first["next"]
    assert first["previous"] is None
    assert [entry["history_change_reason"] for entry in first["results"] + second["results"] + third["results"]] == [
        "renamed to Name 5",
        "renamed to Name 4",
        "renamed to Name 3",
        "renamed to Name 2",
        None,
    ]
    assert name_change(first["results"][0]) == ("name", "Name 4", "Name 5")
    # Its older neighbour ("Name 3") is the first entry of page 2.
    assert name_change(first["results"][1]) == ("name", "Name 3", "Name 4")
    assert name_change(second["results"][0]) == ("name", "Name 2", "Name 3")
    # Its older neighbour (the creation) is the only entry of page 3.
    assert name_change(second["results"][1]) == ("name", "Name 1", "Name 2")
    assert third["results"][0]["history_type"] == "+"
    assert third["next"] is None


def test_paged_history_is_the_same_as_the_whole_history(client_for, raps_admin, renamed_five_times):
    client = client_for(raps_admin)
    url = history_url("employers", renamed_five_times.id)

    whole = client.get(url).json()["results"]
    paged = [entry for page in (1, 2, 3) for entry in client.get(url, {"page_size": 2, "page": page}).json()["results"]]

    assert paged == whole


def test_a_page_past_the_end_of_the_history_is_not_found(client_for, raps_admin, renamed_five_times):
    response = client_for(raps_admin).get(history_url("employers", renamed_five_times.id), {"page": 9})

    assert response.status_code == 404


def count_queries(client, url, rows):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == rows
    return len(context.captured_queries)


def test_a_history_page_answers_in_the_same_number_of_queries_for_3_and_60_rows(client_for, raps_admin, sponsor):
    employer = factories.EmployerFactory(name="Version 0")
    factories.ParticipationFactory(sponsor=sponsor, employer=employer)

    def rename(first, last):
        # Each version by its own user, so that a query per row would show.
        for number in range(first, last):
            employer.name = f"Version {number}"
            with_reason(employer, "renamed", user=factories.UserFactory()).save()

    client = client_for(raps_admin)
    url = history_url("employers", employer.id)
    rename(1, 3)
    three = count_queries(client, url, 3)

    rename(3, 60)
    sixty = count_queries(client, f"{url}?page_size=60", 60)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. the employer,
    # within the caller's scope  6. COUNT(*) of its history  7. the page of history rows with
    # their users joined  8. the row just older than the page, to diff the page's last entry
    assert three == sixty == 8
