"""GET /api/v1/reports/rapids-exits.csv: the sponsor's completions and cancellations for RAPIDS,
each with the date it took effect and, for a cancellation, its exit reason code and free text
(the registration file has no exit column), for its RAPS admins only."""

import csv
import io

from apprenticeships.services import apprenticeship_complete
from tests import factories

EXITS_URL = "/api/v1/reports/rapids-exits.csv"


def exits(client, params=None) -> list[dict]:
    response = client.get(EXITS_URL, params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def cancel(client, apprenticeship, *, on: str, code: str = "found_other_employment", reason: str = "Took a job"):
    response = client.post(
        f"/api/v1/apprenticeships/{apprenticeship.pk}/transition/",
        {"to": "cancelled", "reason": reason, "exit_reason": code, "effective_date": on},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_a_cancellation_is_exported_with_its_effective_date_and_exit_reason_code(
    client_for, raps_admin, apprenticeship, other_apprenticeship
):
    client = client_for(raps_admin)
    cancel(client, apprenticeship, on="2025-06-30", code="voluntary_quit", reason="Moved out of state")

    rows = exits(client)

    assert [(row["Email"], row["Status"]) for row in rows] == [(apprenticeship.apprentice.email, "Cancelled")]
    row = rows[0]
    assert (row["Effective Date"], row["Exit Reason Code"], row["Exit Reason"], row["Reason"]) == (
        "06/30/2025",
        "voluntary_quit",
        "Voluntary quit",
        "Moved out of state",
    )
    assert row["Occupation"] == apprenticeship.program.occupation.rapids_code


def test_a_completion_is_an_exit_without_a_reason_code(client_for, raps_admin, apprenticeship):
    apprenticeship_complete(apprenticeship=apprenticeship, changed_by=raps_admin)
    apprenticeship.refresh_from_db()

    (row,) = exits(client_for(raps_admin))

    assert (row["Status"], row["Effective Date"], row["Exit Reason Code"]) == (
        "Completed",
        f"{apprenticeship.ended_on:%m/%d/%Y}",
        "",
    )


def test_exits_are_filtered_by_the_date_they_took_effect(client_for, raps_admin, apprenticeship, other_apprenticeship):
    client = client_for(raps_admin)
    cancel(client, apprenticeship, on="2025-03-01")
    cancel(client, other_apprenticeship, on="2025-09-01")

    rows = exits(client, {"ended_after": "2025-06-01"})

    assert [row["Email"] for row in rows] == [other_apprenticeship.apprentice.email]


def test_another_sponsors_exits_are_not_in_the_file(client_for, raps_admin, other_raps_admin, other_sponsor):
    elsewhere = factories.ApprenticeshipFactory(program=factories.ProgramFactory(sponsor=other_sponsor))
    cancel(client_for(other_raps_admin), elsewhere, on="2025-05-01")

    assert exits(client_for(raps_admin)) == []
    assert [row["Email"] for row in exits(client_for(other_raps_admin))] == [elsewhere.apprentice.email]


def test_only_raps_admins_export_exits(client_for, apprentice, employer_a_supervisor, apprenticeship):
    for user in (apprentice, employer_a_supervisor):
        assert client_for(user).get(EXITS_URL).status_code == 403
