"""GET /api/v1/hour-logs/{id}/history/ (docs/api.md): newest first, who changed what from what to
what, and why. Read-only, scoped like the log."""

from tests.hour_logs.records import LOGS


def history(client, log) -> list[dict]:
    response = client.get(f"{LOGS}{log['id']}/history/")
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_after_approval_the_newest_entry_names_the_approver_and_the_status_change(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt
):
    log = log_as(apprentice, ojt())
    client_for(employer_a_supervisor).post(f"{LOGS}{log['id']}/approve/")

    entries = history(client_for(apprentice), log)

    assert [entry["history_type"] for entry in entries] == ["~", "+"]
    approved, submitted = entries
    assert approved["history_user"] == {"id": str(employer_a_supervisor.id), "name": "Sam Supervisor"}
    assert approved["history_change_reason"] == "approved"
    assert {"field": "status", "old": "submitted", "new": "approved"} in approved["changes"]
    assert {"field": "reviewed_by", "old": None, "new": str(employer_a_supervisor.id)} in approved["changes"]
    assert submitted["history_user"] == {"id": str(apprentice.id), "name": "Ari Apprentice"}
    assert submitted["history_change_reason"] == "submitted for approval"
    assert approved["history_date"] >= submitted["history_date"]


def test_after_voiding_the_newest_entry_says_why(
    client_for, log_as, employer_a_supervisor, raps_admin, apprenticeship, ojt
):
    log = log_as(employer_a_supervisor, ojt())
    client_for(raps_admin).post(f"{LOGS}{log['id']}/void/", {"reason": "Logged on the wrong apprentice"})

    entries = history(client_for(employer_a_supervisor), log)

    voided, logged = entries
    assert voided["history_change_reason"].startswith("voided")
    assert voided["history_change_reason"] == "voided: Logged on the wrong apprentice"
    assert voided["history_user"] == {"id": str(raps_admin.id), "name": "Rae Admin"}
    assert {"field": "status", "old": "approved", "new": "voided"} in voided["changes"]
    assert {"field": "review_note", "old": "", "new": "Logged on the wrong apprentice"} in voided["changes"]
    assert logged["history_change_reason"] == "logged and approved on entry"
    assert logged["history_type"] == "+"


def test_a_rejection_and_an_edit_are_in_the_history_with_their_reasons(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt
):
    log = log_as(apprentice, ojt(hours="8"))
    client_for(apprentice).patch(f"{LOGS}{log['id']}/", {"hours": "6"})
    client_for(employer_a_supervisor).post(f"{LOGS}{log['id']}/reject/", {"reason": "Was on leave"})

    entries = history(client_for(employer_a_supervisor), log)

    assert [entry["history_change_reason"] for entry in entries] == [
        "rejected: Was on leave",
        "changed while submitted",
        "submitted for approval",
    ]
    assert {"field": "hours", "old": "8.00", "new": "6.00"} in entries[1]["changes"]
    assert entries[1]["history_user"]["id"] == str(apprentice.id)


def test_history_is_read_only(client_for, log_as, raps_admin, apprenticeship, rti):
    log = log_as(raps_admin, rti())
    client = client_for(raps_admin)

    responses = [
        client.post(f"{LOGS}{log['id']}/history/", {}),
        client.patch(f"{LOGS}{log['id']}/history/", {}),
        client.delete(f"{LOGS}{log['id']}/history/"),
    ]

    assert [response.status_code for response in responses] == [405, 405, 405]
    assert len(history(client, log)) == 1
