"""`GET /api/v1/<resource>/{id}/history/` for every resource that has one: a paginated list,
newest first, of who changed what, when, from what to what, and why (docs/api.md)."""

import pytest

from tests.history.conftest import ENTRY_KEYS, PARTS_SHOWN, RESOURCES


@pytest.mark.parametrize("resource", RESOURCES)
def test_history_is_a_page_of_entries_newest_first_with_the_change_and_who_made_it(
    subject, session_caller, raps_admin, resource
):
    record = subject(resource)
    changed = record.change_through_api(session_caller(record.changer))
    assert changed.status_code in (200, 201), changed.json()

    response = session_caller(raps_admin).get(record.history_url)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    entries = body["results"]
    assert body["count"] == len(entries) >= 2
    assert all(set(entry) == ENTRY_KEYS for entry in entries)
    assert all(set(change) == {"field", "old", "new"} for entry in entries for change in entry["changes"])
    assert [entry["history_date"] for entry in entries] == sorted((e["history_date"] for e in entries), reverse=True)
    if resource not in PARTS_SHOWN:  # history ids are of each part's own history table
        assert [entry["history_id"] for entry in entries] == sorted((e["history_id"] for e in entries), reverse=True)
    newest, oldest = entries[0], entries[-1]
    assert newest["history_type"] == "~"
    assert newest["history_user"] == record.changer_ref
    assert newest["history_change_reason"] == record.reason
    assert record.change in newest["changes"]
    assert oldest["history_type"] == "+"
    assert all(change["old"] is None for change in oldest["changes"])


@pytest.mark.parametrize("resource", ["apprenticeships", "programs", "employers", "milestones"])
def test_a_record_stored_outside_any_request_and_without_a_user_names_nobody(
    subject, session_caller, raps_admin, resource
):
    record = subject(resource)  # stored by a factory or the ORM: no request, no user

    entries = session_caller(raps_admin).get(record.history_url).json()["results"]

    assert entries[-1]["history_type"] == "+"
    assert entries[-1]["history_user"] is None


def test_the_creation_entry_shows_every_field_as_new(subject, session_caller, raps_admin):
    record = subject("employers")

    created = session_caller(raps_admin).get(record.history_url).json()["results"][-1]

    assert {"field": "name", "old": None, "new": "Employer A"} in created["changes"]
    assert {"field": "naics_code", "old": None, "new": "541511"} in created["changes"]
    assert not {change["field"] for change in created["changes"]} & {"id", "created_at", "updated_at"}


def test_an_entry_lists_only_the_fields_that_changed(subject, session_caller, raps_admin):
    record = subject("employers")
    record.change_in_code()

    newest = session_caller(raps_admin).get(record.history_url).json()["results"][0]

    assert newest["changes"] == [{"field": "name", "old": "Employer A", "new": "Employer A, Inc."}]
