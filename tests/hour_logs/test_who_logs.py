"""Who logs what (docs/domain.md): employer staff log OJT and the sponsor's RAPS admins RTI, approved
on entry because they attest them; the apprentice submits either for approval; nobody else
reaches the apprenticeship at all."""

import pytest

from competencies.models import HourLog
from tests.hour_logs.records import LOGS, NO_HOURS, totals_of, work_process_totals_of


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "employer_a_admin"])
def test_employer_staff_log_ojt_approved_on_entry(request, client_for, apprenticeship, ojt, persona):
    staff = request.getfixturevalue(persona)

    response = client_for(staff).post(LOGS, ojt(hours="7.5"))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "approved"
    assert body["logged_by"] == {"id": str(staff.id), "name": staff.full_name}
    assert body["reviewed_by"] == {"id": str(staff.id), "name": staff.full_name}
    assert body["reviewed_at"] is not None
    log = HourLog.objects.get()
    assert (log.status, log.logged_by, log.reviewed_by) == ("approved", staff, staff)
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "7.50"}
    assert work_process_totals_of(apprenticeship) == {"Front end": "7.50"}


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "employer_a_admin"])
def test_employer_staff_may_not_log_rti(request, client_for, apprenticeship, rti, persona):
    response = client_for(request.getfixturevalue(persona)).post(LOGS, rti())

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Related-instruction hours are logged by the sponsor's RAPS administrators or submitted by the apprentice."
    }
    assert not HourLog.objects.exists()
    assert totals_of(apprenticeship) == NO_HOURS


def test_raps_admin_logs_rti_approved_on_entry(client_for, raps_admin, apprenticeship, rti):
    response = client_for(raps_admin).post(LOGS, rti(hours="4"))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "approved"
    assert body["reviewed_by"] == {"id": str(raps_admin.id), "name": raps_admin.full_name}
    assert (body["course"], body["instruction_provider"]) == ("JavaScript I", "LA Trade-Tech College")
    assert totals_of(apprenticeship) == {**NO_HOURS, "rti_approved": "4.00"}
    assert work_process_totals_of(apprenticeship) == {}


def test_raps_admin_may_not_log_ojt(client_for, raps_admin, apprenticeship, ojt):
    response = client_for(raps_admin).post(LOGS, ojt())

    assert response.status_code == 403
    assert response.json() == {
        "detail": "On-the-job hours are logged by the employer's staff or submitted by the apprentice."
    }
    assert not HourLog.objects.exists()
    assert totals_of(apprenticeship) == NO_HOURS


def test_the_apprentice_submits_ojt_for_approval(client_for, apprentice, apprenticeship, ojt):
    response = client_for(apprentice).post(LOGS, ojt(hours="6"))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted"
    assert body["logged_by"] == {"id": str(apprentice.id), "name": apprentice.full_name}
    assert (body["reviewed_by"], body["reviewed_at"]) == (None, None)
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "6.00"}
    assert work_process_totals_of(apprenticeship) == {}


def test_the_apprentice_submits_rti_for_approval(client_for, apprentice, apprenticeship, rti):
    response = client_for(apprentice).post(LOGS, rti(hours="2.5"))

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "submitted"
    assert totals_of(apprenticeship) == {**NO_HOURS, "rti_pending": "2.50"}


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_outside_the_scope_the_apprenticeship_is_not_found(request, client_for, apprenticeship, ojt, rti, persona):
    client = client_for(request.getfixturevalue(persona))

    responses = [client.post(LOGS, ojt()), client.post(LOGS, rti())]

    assert [response.status_code for response in responses] == [400, 400]
    assert [response.json() for response in responses] == [{"apprenticeship": ["Not found."]}] * 2
    assert not HourLog.objects.exists()
    assert totals_of(apprenticeship) == NO_HOURS


def test_an_apprentice_cannot_log_on_another_apprentices_apprenticeship(
    client_for, apprentice, other_apprenticeship, ojt
):
    response = client_for(apprentice).post(LOGS, ojt(apprenticeship=str(other_apprenticeship.id)))

    assert response.status_code == 400
    assert response.json() == {"apprenticeship": ["Not found."]}
    assert not HourLog.objects.exists()


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_outside_the_scope_the_logs_are_not_found(
    request, client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt, persona
):
    submitted = log_as(apprentice, ojt(date="2025-03-03"))
    approved = log_as(employer_a_supervisor, ojt(date="2025-03-04"))
    client = client_for(request.getfixturevalue(persona))

    responses = {
        "read": client.get(f"{LOGS}{submitted['id']}/"),
        "history": client.get(f"{LOGS}{submitted['id']}/history/"),
        "edit": client.patch(f"{LOGS}{submitted['id']}/", {"hours": "4"}),
        "approve": client.post(f"{LOGS}{submitted['id']}/approve/"),
        "reject": client.post(f"{LOGS}{submitted['id']}/reject/", {"reason": "No"}),
        "void": client.post(f"{LOGS}{approved['id']}/void/", {"reason": "No"}),
    }

    assert {action: response.status_code for action, response in responses.items()} == dict.fromkeys(responses, 404)
    assert sorted(HourLog.objects.values_list("status", "hours")) == [("approved", 8), ("submitted", 8)]


def test_a_caller_who_is_not_signed_in_gets_401_and_writes_nothing(anonymous_client, apprenticeship, ojt):
    response = anonymous_client.post(LOGS, ojt())

    assert response.status_code == 401
    assert not HourLog.objects.exists()
