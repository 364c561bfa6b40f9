"""Review of hours (docs/domain.md): a submitted log is approved or rejected (with a reason) by
employer staff (OJT) or the sponsor's RAPS admins (RTI), never by whoever logged it; an approved
log is only voided, with a reason, which keeps the row and takes it out of the totals."""

import pytest

from competencies.models import HourLog
from tests import factories
from tests.hour_logs.records import LOGS, NO_HOURS, totals_of, work_process_totals_of


def url(log, action):
    return f"{LOGS}{log['id']}/{action}/"


# --- approve -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "employer_a_admin"])
def test_employer_staff_approve_submitted_ojt_and_its_hours_move_from_pending_to_approved(
    request, client_for, log_as, apprentice, apprenticeship, ojt, persona
):
    reviewer = request.getfixturevalue(persona)
    log = log_as(apprentice, ojt(hours="7.5"))
    pending = totals_of(apprenticeship)

    response = client_for(reviewer).post(url(log, "approve"))

    assert pending == {**NO_HOURS, "ojt_pending": "7.50"}
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert response.json()["reviewed_by"] == {"id": str(reviewer.id), "name": reviewer.full_name}
    stored = HourLog.objects.get(pk=log["id"])
    assert (stored.status, stored.reviewed_by, stored.logged_by) == ("approved", reviewer, apprentice)
    assert stored.reviewed_at is not None
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "7.50"}
    assert work_process_totals_of(apprenticeship) == {"Front end": "7.50"}


def test_a_raps_admin_does_not_approve_ojt(client_for, log_as, apprentice, raps_admin, apprenticeship, ojt):
    log = log_as(apprentice, ojt())

    response = client_for(raps_admin).post(url(log, "approve"))

    assert response.status_code == 403
    assert response.json() == {"detail": "On-the-job hours are approved by the apprentice's employer staff."}
    assert HourLog.objects.get().status == "submitted"
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "8.00"}


def test_the_sponsors_raps_admin_approves_submitted_rti(
    client_for, log_as, apprentice, raps_admin, apprenticeship, rti
):
    log = log_as(apprentice, rti(hours="3"))

    response = client_for(raps_admin).post(url(log, "approve"))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert HourLog.objects.get().reviewed_by == raps_admin
    assert totals_of(apprenticeship) == {**NO_HOURS, "rti_approved": "3.00"}


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "employer_a_admin"])
def test_employer_staff_do_not_approve_or_reject_rti(
    request, client_for, log_as, apprentice, apprenticeship, rti, persona
):
    log = log_as(apprentice, rti())
    client = client_for(request.getfixturevalue(persona))

    approving = client.post(url(log, "approve"))
    rejecting = client.post(url(log, "reject"), {"reason": "Not a course of the program"})

    assert (approving.status_code, rejecting.status_code) == (403, 403)
    assert approving.json() == {
        "detail": "Related-instruction hours are approved by the sponsor's RAPS administrators."
    }
    stored = HourLog.objects.get()
    assert (stored.status, stored.reviewed_by, stored.review_note) == ("submitted", None, "")
    assert totals_of(apprenticeship) == {**NO_HOURS, "rti_pending": "3.00"}


@pytest.mark.parametrize("kind", ["ojt", "rti"])
def test_the_apprentice_cannot_approve_or_reject_their_own_hours(
    request, client_for, log_as, apprentice, apprenticeship, kind
):
    log = log_as(apprentice, request.getfixturevalue(kind)())
    client = client_for(apprentice)

    responses = [client.post(url(log, "approve")), client.post(url(log, "reject"), {"reason": "Changed my mind"})]

    assert [response.status_code for response in responses] == [403, 403]
    assert HourLog.objects.get().status == "submitted"
    assert totals_of(apprenticeship)[f"{kind}_pending"] == {"ojt": "8.00", "rti": "3.00"}[kind]


def test_an_apprentice_who_is_also_employer_staff_cannot_approve_their_own_hours(
    client_for, log_as, apprentice, employer_a, apprenticeship, ojt
):
    factories.MembershipFactory(user=apprentice, employer=employer_a, role="supervisor")
    log = log_as(apprentice, ojt())

    response = client_for(apprentice).post(url(log, "approve"))

    assert log["status"] == "submitted"  # their own hours wait, though they are staff
    assert response.status_code == 403
    assert response.json() == {"detail": "Nobody approves their own hours."}
    assert HourLog.objects.get().status == "submitted"
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "8.00"}


# --- reject --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "This field is required."),
        ({"reason": ""}, "This field may not be blank."),
        ({"reason": "   "}, "This field may not be blank."),
    ],
)
def test_a_rejection_needs_a_reason(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt, body, message
):
    log = log_as(apprentice, ojt())

    response = client_for(employer_a_supervisor).post(url(log, "reject"), body)

    assert response.status_code == 400
    assert response.json() == {"reason": [message]}
    assert HourLog.objects.get().status == "submitted"
    assert HourLog.history.count() == 1
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "8.00"}


def test_rejecting_records_the_reason_and_takes_the_hours_out_of_pending(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt
):
    log = log_as(apprentice, ojt(hours="5"))

    response = client_for(employer_a_supervisor).post(url(log, "reject"), {"reason": "  Was on leave that day "})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "rejected"
    assert response.json()["review_note"] == "Was on leave that day"
    stored = HourLog.objects.get()
    assert (stored.status, stored.review_note, stored.reviewed_by) == (
        "rejected",
        "Was on leave that day",
        employer_a_supervisor,
    )
    assert totals_of(apprenticeship) == NO_HOURS
    assert work_process_totals_of(apprenticeship) == {}


def test_the_sponsors_raps_admin_rejects_submitted_rti(client_for, log_as, apprentice, raps_admin, apprenticeship, rti):
    log = log_as(apprentice, rti())

    response = client_for(raps_admin).post(url(log, "reject"), {"reason": "No attendance record"})

    assert response.status_code == 200, response.json()
    assert HourLog.objects.get().status == "rejected"
    assert totals_of(apprenticeship) == NO_HOURS


# --- decided logs ------------------------------------------------------------------------------------


def test_approving_or_rejecting_an_approved_log_is_409(
    client_for, log_as, employer_a_supervisor, employer_a_admin, apprenticeship, ojt
):
    log = log_as(employer_a_supervisor, ojt())  # approved on entry
    client = client_for(employer_a_admin)  # another reviewer: not refused as their own hours

    approving = client.post(url(log, "approve"))
    rejecting = client.post(url(log, "reject"), {"reason": "Twice"})

    assert (approving.status_code, rejecting.status_code) == (409, 409)
    assert approving.json() == {"detail": "This log is approved: only a submitted log is approved."}
    stored = HourLog.objects.get()
    assert (stored.status, stored.reviewed_by) == ("approved", employer_a_supervisor)
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "8.00"}
    assert work_process_totals_of(apprenticeship) == {"Front end": "8.00"}


def test_approving_a_rejected_log_is_409(client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt):
    log = log_as(apprentice, ojt())
    client = client_for(employer_a_supervisor)
    client.post(url(log, "reject"), {"reason": "Was on leave"})

    approving = client.post(url(log, "approve"))
    rejecting_again = client.post(url(log, "reject"), {"reason": "Again"})

    assert (approving.status_code, rejecting_again.status_code) == (409, 409)
    assert approving.json() == {"detail": "This log is rejected: only a submitted log is approved."}
    stored = HourLog.objects.get()
    assert (stored.status, stored.review_note) == ("rejected", "Was on leave")
    assert totals_of(apprenticeship) == NO_HOURS


def test_approving_twice_counts_the_hours_once(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt
):
    log = log_as(apprentice, ojt())
    client = client_for(employer_a_supervisor)

    first, second = client.post(url(log, "approve")), client.post(url(log, "approve"))

    assert (first.status_code, second.status_code) == (200, 409)
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "8.00"}
    assert work_process_totals_of(apprenticeship) == {"Front end": "8.00"}


# --- void ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("voider", ["employer_a_supervisor", "employer_a_admin", "raps_admin"])
def test_voiding_an_approved_ojt_log_keeps_the_row_and_takes_it_out_of_the_totals(
    request, client_for, log_as, employer_a_supervisor, apprenticeship, ojt, voider
):
    voided_by = request.getfixturevalue(voider)
    kept = log_as(employer_a_supervisor, ojt(date="2025-03-03", hours="4"))
    log = log_as(employer_a_supervisor, ojt(date="2025-03-04", hours="6"))

    response = client_for(voided_by).post(url(log, "void"), {"reason": "Logged on the wrong apprentice"})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "voided"
    stored = HourLog.objects.get(pk=log["id"])
    assert (stored.status, stored.review_note, stored.reviewed_by) == (
        "voided",
        "Logged on the wrong apprentice",
        voided_by,
    )
    assert HourLog.objects.get(pk=kept["id"]).status == "approved"
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "4.00"}
    assert work_process_totals_of(apprenticeship) == {"Front end": "4.00"}


def test_voiding_an_approved_rti_log_is_the_raps_admins(
    client_for, log_as, raps_admin, employer_a_supervisor, apprenticeship, rti
):
    log = log_as(raps_admin, rti(hours="3"))

    by_employer = client_for(employer_a_supervisor).post(url(log, "void"), {"reason": "Not ours"})
    by_raps_admin = client_for(raps_admin).post(url(log, "void"), {"reason": "Course cancelled"})

    assert by_employer.status_code == 403
    assert by_raps_admin.status_code == 200, by_raps_admin.json()
    assert HourLog.objects.get().status == "voided"
    assert totals_of(apprenticeship) == NO_HOURS


def test_only_an_approved_log_is_voided(client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt):
    submitted = log_as(apprentice, ojt(date="2025-03-03"))
    rejected = log_as(apprentice, ojt(date="2025-03-04"))
    approved = log_as(employer_a_supervisor, ojt(date="2025-03-05"))
    client = client_for(employer_a_supervisor)
    client.post(url(rejected, "reject"), {"reason": "Was on leave"})
    client.post(url(approved, "void"), {"reason": "Wrong day"})

    responses = {
        "submitted": client.post(url(submitted, "void"), {"reason": "No"}),
        "rejected": client.post(url(rejected, "void"), {"reason": "No"}),
        "voided": client.post(url(approved, "void"), {"reason": "Again"}),
    }

    assert {state: response.status_code for state, response in responses.items()} == dict.fromkeys(responses, 409)
    assert responses["submitted"].json() == {"detail": "This log is submitted: only an approved log is voided."}
    assert sorted(HourLog.objects.values_list("status", flat=True)) == ["rejected", "submitted", "voided"]
    assert HourLog.objects.get(pk=approved["id"]).review_note == "Wrong day"
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "8.00"}


@pytest.mark.parametrize(
    ("body", "message"), [({}, "This field is required."), ({"reason": " "}, "This field may not be blank.")]
)
def test_voiding_needs_a_reason(client_for, log_as, employer_a_supervisor, apprenticeship, ojt, body, message):
    log = log_as(employer_a_supervisor, ojt())

    response = client_for(employer_a_supervisor).post(url(log, "void"), body)

    assert response.status_code == 400
    assert response.json() == {"reason": [message]}
    assert HourLog.objects.get().status == "approved"
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "8.00"}


def test_the_apprentice_cannot_void_their_hours(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt
):
    log = log_as(apprentice, ojt())
    client_for(employer_a_supervisor).post(url(log, "approve"))

    response = client_for(apprentice).post(url(log, "void"), {"reason": "I made a mistake"})

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the employer's staff (OJT) or the sponsor's RAPS administrators void hours."
    }
    assert HourLog.objects.get().status == "approved"
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "8.00"}
