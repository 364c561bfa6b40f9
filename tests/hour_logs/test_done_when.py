"""The records issue's acceptance path, through the API alone."""

import datetime

from competencies.models import HourLog


def test_submitted_hours_move_from_pending_to_approved_and_history_names_the_approver(
    client_for, apprentice, employer_a_supervisor, employer_b_supervisor, apprenticeship
):
    front_end = apprenticeship.program.work_processes.get(title="Front end")
    as_apprentice, as_employer_a, as_employer_b = (
        client_for(apprentice),
        client_for(employer_a_supervisor),
        client_for(employer_b_supervisor),
    )

    submitted = as_apprentice.post(
        "/api/v1/hour-logs/",
        {
            "apprenticeship": str(apprenticeship.id),
            "date": "2025-03-03",
            "hours": "7.50",
            "kind": "ojt",
            "work_process": str(front_end.id),
            "description": "Built the sign-up form",
        },
    )
    log_id = submitted.json()["id"]
    pending = as_apprentice.get(f"/api/v1/apprenticeships/{apprenticeship.id}/progress/").json()["ojt"]

    assert submitted.status_code == 201, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert pending["pending"] == "7.50"
    assert pending["approved"] == "0.00"

    assert as_employer_b.get(f"/api/v1/hour-logs/{log_id}/").status_code == 404
    assert as_employer_b.post(f"/api/v1/hour-logs/{log_id}/approve/").status_code == 404
    assert as_employer_b.get(f"/api/v1/apprenticeships/{apprenticeship.id}/progress/").status_code == 404
    assert as_employer_b.get(f"/api/v1/hour-logs/{log_id}/history/").status_code == 404

    approved = as_employer_a.post(f"/api/v1/hour-logs/{log_id}/approve/")
    progress = as_apprentice.get(f"/api/v1/apprenticeships/{apprenticeship.id}/progress/").json()
    history = as_apprentice.get(f"/api/v1/hour-logs/{log_id}/history/").json()["results"]

    assert approved.status_code == 200
    assert progress["ojt"]["approved"] == "7.50"
    assert progress["ojt"]["pending"] == "0.00"
    assert progress["work_processes"][0]["approved_hours"] == "7.50"
    newest = history[0]
    assert newest["history_user"] == {"id": str(employer_a_supervisor.id), "name": employer_a_supervisor.full_name}
    assert newest["history_change_reason"] == "approved"
    assert {"field": "status", "old": "submitted", "new": "approved"} in newest["changes"]
    assert history[-1]["history_type"] == "+"


def test_bad_input_names_the_field_and_writes_nothing(client_for, apprentice, apprenticeship):
    response = client_for(apprentice).post(
        "/api/v1/hour-logs/",
        {
            "apprenticeship": str(apprenticeship.id),
            "date": "2025-03-03",
            "hours": "7.30",
            "kind": "ojt",
            "work_process": str(apprenticeship.program.work_processes.first().id),
        },
    )

    assert response.status_code == 400
    assert "hours" in response.json()
    assert not HourLog.objects.exists()


def test_a_suspended_apprenticeship_refuses_hours_with_409(
    client_for, raps_admin, employer_a_supervisor, apprenticeship
):
    suspended = client_for(raps_admin).post(
        f"/api/v1/apprenticeships/{apprenticeship.id}/transition/", {"to": "suspended", "reason": "leave of absence"}
    )

    response = client_for(employer_a_supervisor).post(
        "/api/v1/hour-logs/",
        {
            "apprenticeship": str(apprenticeship.id),
            "date": str(datetime.date(2025, 3, 4)),
            "hours": "8",
            "kind": "ojt",
            "work_process": str(apprenticeship.program.work_processes.first().id),
        },
    )

    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"
    assert response.status_code == 409
    assert not HourLog.objects.exists()
