"""Every write through the API takes an optional `reason`, recorded with every history row it
saves: after the service's own reason ("approved: <reason>"), alone where the service gives none.
A decision's own `reason` (a rejection's, a transition's) is recorded once. A `reason` that is not
a text of at most 2,000 characters is a 400 naming it, and nothing is written."""

import pytest
from django.utils import timezone

from competencies.models import Milestone
from portal.models import AuditEntry
from tests.history.conftest import history_url

APPROVED_BY_REASON = "checked against the timesheets"


def newest(client, resource, record_id) -> dict:
    return client.get(history_url(resource, record_id)).json()["results"][0]


def test_a_reason_sent_with_a_patch_is_recorded_after_the_services_own(client_for, raps_admin, employer_a):
    client = client_for(raps_admin)

    response = client.patch(
        f"/api/v1/employers/{employer_a.id}/", {"name": "Employer A, Inc.", "reason": " legal name  "}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert newest(client, "employers", employer_a.id)["history_change_reason"] == "updated: legal name"


def test_a_reason_sent_with_an_action_is_recorded_with_the_decision(client_for, raps_admin, apprenticeship):
    milestone = Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=apprenticeship.program.milestone_definitions.get(name="Halfway"),
        reached_at=timezone.now(),
    )
    client = client_for(raps_admin)

    response = client.post(f"/api/v1/milestones/{milestone.id}/approve/", {"reason": APPROVED_BY_REASON}, format="json")

    assert response.status_code == 200, response.json()
    assert newest(client, "milestones", milestone.id)["history_change_reason"] == f"approved: {APPROVED_BY_REASON}"
    entry = AuditEntry.objects.filter(record_type="milestone", record_id=milestone.id).latest("at")
    assert entry.reason == f"approved: {APPROVED_BY_REASON}"


def test_a_decisions_own_reason_is_recorded_once(client_for, raps_admin, apprenticeship):
    client = client_for(raps_admin)

    response = client.post(
        f"/api/v1/apprenticeships/{apprenticeship.id}/transition/",
        {"to": "suspended", "reason": "leave of absence"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert (
        newest(client, "apprenticeships", apprenticeship.id)["history_change_reason"] == "suspended: leave of absence"
    )


def test_a_long_reason_is_kept_whole_in_the_audit_trail_and_its_beginning_in_history(
    client_for, raps_admin, employer_a
):
    reason = "Corrected after the agency's review. " * 20  # 740 characters: longer than history's column
    client = client_for(raps_admin)

    response = client.patch(f"/api/v1/employers/{employer_a.id}/", {"name": "Renamed", "reason": reason}, format="json")

    assert response.status_code == 200, response.json()
    entry = AuditEntry.objects.filter(record_type="employer", record_id=employer_a.id).latest("at")
    assert entry.reason == f"updated: {reason.strip()}"
    shown = newest(client, "employers", employer_a.id)["history_change_reason"]
    assert len(shown) == 100
    assert shown.endswith("…")
    assert entry.reason.startswith(shown[:-1])


@pytest.mark.parametrize("reason", [12, ["why"], {"text": "why"}, "x" * 2001, "nul \x00 inside"])
def test_a_reason_that_is_not_a_short_text_is_a_400_naming_it_and_nothing_is_written(
    client_for, raps_admin, employer_a, reason
):
    before = employer_a.history.count()

    response = client_for(raps_admin).patch(
        f"/api/v1/employers/{employer_a.id}/", {"name": "Renamed", "reason": reason}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()
    employer_a.refresh_from_db()
    assert employer_a.name != "Renamed"
    assert employer_a.history.count() == before


def test_a_reason_is_held_for_its_request_only(client_for, raps_admin, employer_a):
    client = client_for(raps_admin)
    client.patch(f"/api/v1/employers/{employer_a.id}/", {"name": "First", "reason": "first"}, format="json")

    client.patch(f"/api/v1/employers/{employer_a.id}/", {"name": "Second"}, format="json")

    assert newest(client, "employers", employer_a.id)["history_change_reason"] == "updated"


def test_every_write_of_the_schema_takes_a_reason(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    def properties(body_schema) -> dict:
        if "$ref" in body_schema:
            return components[body_schema["$ref"].rsplit("/", 1)[-1]].get("properties", {})
        found = dict(body_schema.get("properties", {}))
        for part in body_schema.get("allOf", []):
            found |= properties(part)
        return found

    writes = [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in operations.items()
        if method in ("post", "patch", "put")
    ]
    assert len(writes) > 10
    for path, method, operation in writes:
        contents = operation["requestBody"]["content"]
        object_bodies = [c["schema"] for c in contents.values() if c["schema"].get("type") != "array"]
        for body in object_bodies:
            assert "reason" in properties(body), (method, path)


def test_records_written_together_keep_each_its_own_whole_reason_though_their_beginnings_are_the_same(
    employer_a, employer_b
):
    """A bulk write cuts each history reason to the column, and the audit entries keep each
    record's whole reason, even where two whole reasons begin with the same 100 characters."""
    from portal.history import bulk_update_with_history, with_reason
    from sponsors.models import Employer

    shared = "Corrected after the agency's review of the quarter's records. " * 3  # 186 characters
    employer_a.name, employer_b.name = "Renamed A", "Renamed B"
    with_reason(employer_a, f"{shared}: the first employer")
    with_reason(employer_b, f"{shared}: the second employer")

    bulk_update_with_history([employer_a, employer_b], Employer, ["name"])

    for employer, ending in ((employer_a, "the first employer"), (employer_b, "the second employer")):
        entry = AuditEntry.objects.filter(record_type="employer", record_id=employer.id).latest("at")
        assert entry.reason == f"{shared}: {ending}"
        assert len(employer.history.latest().history_change_reason) == 100
