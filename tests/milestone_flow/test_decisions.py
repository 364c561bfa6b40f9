"""Only a RAPS administrator of the sponsor approves or rejects a pending milestone; a rejected one
is reached again only when the data that reached it changes; voiding the hours a pending one
relied on withdraws it; history names who decided."""

import pytest

from competencies.models import Milestone
from tests.milestone_flow.helpers import (
    apprenticeship_url,
    give_credit_quietly,
    milestone_url,
    milestones_of,
    the_milestone,
)


@pytest.fixture
def probation(client_for, raps_admin, employer_a_supervisor, apprenticeship, ojt, log_as):
    """The apprentice's pending "Probation complete" (496 h of credit and 8 h logged by employer A)."""
    give_credit_quietly(apprenticeship, ojt=496)
    log_as(employer_a_supervisor, ojt(hours="8"))
    return the_milestone(apprenticeship, "Probation complete")


def test_raps_admin_approves_a_pending_milestone_once(client_for, raps_admin, probation):
    as_admin = client_for(raps_admin)

    approved = as_admin.post(milestone_url(probation, "approve"), {"note": "Evaluated by the mentor"})
    again = as_admin.post(milestone_url(probation, "approve"))
    then_rejected = as_admin.post(milestone_url(probation, "reject"), {"reason": "Changed my mind"})

    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert body["status"] == "approved"
    assert body["name"] == "Probation complete"
    assert body["decided_by"] == str(raps_admin.id)
    assert body["decided_at"] is not None
    assert body["note"] == "Evaluated by the mentor"
    assert again.status_code == 409
    assert then_rejected.status_code == 409
    probation.refresh_from_db()
    assert probation.status == "approved"
    assert probation.decided_by == raps_admin


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "employer_a_admin", "apprentice"])
@pytest.mark.parametrize(("action", "body"), [("approve", {}), ("reject", {"reason": "Not yet"})])
def test_people_who_read_the_milestone_but_are_not_raps_admins_get_403(
    request, client_for, probation, persona, action, body
):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(milestone_url(probation)).status_code == 200
    response = client.post(milestone_url(probation, action), body)

    assert response.status_code == 403
    probation.refresh_from_db()
    assert probation.status == "pending"
    assert probation.decided_by is None


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
@pytest.mark.parametrize(("action", "body"), [("approve", {}), ("reject", {"reason": "Not yet"})])
def test_people_outside_the_apprenticeship_get_404(request, client_for, probation, persona, action, body):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(milestone_url(probation)).status_code == 404
    response = client.post(milestone_url(probation, action), body)

    assert response.status_code == 404
    probation.refresh_from_db()
    assert probation.status == "pending"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_rejecting_a_milestone_needs_a_reason(client_for, raps_admin, probation, body):
    response = client_for(raps_admin).post(milestone_url(probation, "reject"), body, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    probation.refresh_from_db()
    assert probation.status == "pending"


def test_raps_admin_rejects_a_pending_milestone_with_the_reason(client_for, raps_admin, probation):
    response = client_for(raps_admin).post(milestone_url(probation, "reject"), {"reason": "Timesheets missing"})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "rejected"
    assert response.json()["note"] == "Timesheets missing"
    assert response.json()["decided_by"] == str(raps_admin.id)
    assert client_for(raps_admin).post(milestone_url(probation, "reject"), {"reason": "again"}).status_code == 409


def test_pending_milestones_are_listed_with_status_pending(client_for, raps_admin, probation, apprenticeship):
    client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "992", "credit_basis": "Prior experience on file"},
        format="json",
    )
    client_for(raps_admin).post(milestone_url(probation, "approve"))

    pending = client_for(raps_admin).get("/api/v1/milestones/", {"status": "pending"}).json()["results"]

    assert [(row["name"], row["status"]) for row in pending] == [("Halfway", "pending")]


def test_a_rejected_milestone_is_not_reached_again_by_an_unrelated_change(
    client_for, raps_admin, employer_a_supervisor, apprenticeship, probation, rti, log_as, sign_off
):
    client_for(raps_admin).post(milestone_url(probation, "reject"), {"reason": "Timesheets missing"})

    client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"rti_credit_hours": "20", "credit_basis": "Prior experience on file"},
        format="json",
    )
    log_as(raps_admin, rti(hours="3"))
    sign_off(employer_a_supervisor, apprenticeship.program.work_processes.first().competencies.first())
    client_for(raps_admin).patch(apprenticeship_url(apprenticeship), {"expected_end_date": "2027-01-29"}, format="json")

    assert milestones_of(apprenticeship) == [("Probation complete", "rejected")]


def test_a_rejected_milestone_is_reached_again_as_a_new_pending_one_when_more_hours_are_approved(
    client_for, raps_admin, employer_a_supervisor, apprenticeship, probation, ojt, log_as
):
    client_for(raps_admin).post(milestone_url(probation, "reject"), {"reason": "Timesheets missing"})

    log_as(employer_a_supervisor, ojt(date="2025-03-04", hours="8"))

    assert milestones_of(apprenticeship) == [("Probation complete", "rejected"), ("Probation complete", "pending")]
    again = the_milestone(apprenticeship, "Probation complete")
    assert again.pk != probation.pk
    assert again.basis == "ojt=512.00"
    probation.refresh_from_db()
    assert probation.status == "rejected"
    assert probation.note == "Timesheets missing"


def test_a_rejected_milestone_is_reached_again_when_the_credit_changes(
    client_for, raps_admin, apprenticeship, probation
):
    client_for(raps_admin).post(milestone_url(probation, "reject"), {"reason": "Credit not documented"})

    client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "500", "credit_basis": "Prior experience on file"},
        format="json",
    )

    assert milestones_of(apprenticeship) == [("Probation complete", "rejected"), ("Probation complete", "pending")]
    assert the_milestone(apprenticeship, "Probation complete").basis == "ojt=508.00"


def test_an_approved_milestone_is_never_reached_again(
    client_for, raps_admin, employer_a_supervisor, apprenticeship, probation, ojt, log_as
):
    client_for(raps_admin).post(milestone_url(probation, "approve"))

    log_as(employer_a_supervisor, ojt(date="2025-03-04", hours="8"))

    assert milestones_of(apprenticeship) == [("Probation complete", "approved")]


def test_voiding_hours_a_pending_milestone_relied_on_withdraws_it(
    client_for, raps_admin, employer_a_supervisor, apprenticeship, probation
):
    log_id = apprenticeship.hour_logs.get().id

    voided = client_for(employer_a_supervisor).post(
        f"/api/v1/hour-logs/{log_id}/void/", {"reason": "Logged on the wrong apprentice"}
    )

    assert voided.status_code == 200, voided.json()
    assert milestones_of(apprenticeship) == [("Probation complete", "withdrawn")]
    probation.refresh_from_db()
    assert probation.status == "withdrawn"
    assert "496.00" in probation.note
    # A withdrawn milestone is not decided: approving it is refused.
    assert client_for(raps_admin).post(milestone_url(probation, "approve")).status_code == 409


def test_voiding_hours_a_milestone_does_not_need_keeps_it_pending(
    client_for, raps_admin, employer_a_supervisor, apprenticeship, probation, ojt, log_as
):
    extra = log_as(employer_a_supervisor, ojt(date="2025-03-04", hours="8"))  # 512 h

    client_for(employer_a_supervisor).post(f"/api/v1/hour-logs/{extra['id']}/void/", {"reason": "Duplicate"})

    assert milestones_of(apprenticeship) == [("Probation complete", "pending")]


def test_a_withdrawn_milestone_is_reached_again_when_hours_come_back(
    client_for, employer_a_supervisor, apprenticeship, probation, ojt, log_as
):
    log_id = apprenticeship.hour_logs.get().id
    client_for(employer_a_supervisor).post(f"/api/v1/hour-logs/{log_id}/void/", {"reason": "Wrong day"})

    log_as(employer_a_supervisor, ojt(date="2025-03-04", hours="8"))

    assert milestones_of(apprenticeship) == [("Probation complete", "withdrawn"), ("Probation complete", "pending")]


def test_milestone_history_names_the_approver(client_for, raps_admin, apprentice, probation):
    client_for(raps_admin).post(milestone_url(probation, "approve"))

    response = client_for(apprentice).get(milestone_url(probation, "history"))

    assert response.status_code == 200, response.json()
    history = response.json()["results"]
    newest, oldest = history[0], history[-1]
    assert newest["history_user"] == {"id": str(raps_admin.id), "name": "Rae Admin"}
    assert newest["history_change_reason"] == "approved"
    assert {"field": "status", "old": "pending", "new": "approved"} in newest["changes"]
    assert oldest["history_type"] == "+"
    assert oldest["history_change_reason"].startswith("reached: 504.00 OJT hours")


def test_milestone_history_is_not_readable_outside_the_apprenticeship(client_for, employer_b_supervisor, probation):
    assert client_for(employer_b_supervisor).get(milestone_url(probation, "history")).status_code == 404


def test_deciding_one_apprenticeships_milestone_leaves_anothers_alone(
    client_for, raps_admin, other_apprenticeship, probation
):
    client_for(raps_admin).patch(
        apprenticeship_url(other_apprenticeship),
        {"ojt_credit_hours": "500", "credit_basis": "Prior experience on file"},
        format="json",
    )

    client_for(raps_admin).post(milestone_url(probation, "approve"))

    assert Milestone.objects.get(apprenticeship=other_apprenticeship).status == "pending"
