"""Every event of docs/domain.md's "Events that notify" tells exactly its recipients, with one
notification row each, and nobody else."""

import pytest

from notifications.models import Notification
from tests import factories
from tests.milestone_flow.helpers import apprenticeship_url, give_credit_quietly, milestone_url
from tests.notifications.helpers import (
    APPRENTICE,
    EMPLOYER_A_ADMIN,
    EMPLOYER_A_STAFF,
    EMPLOYER_A_SUPERVISOR,
    RAPS_ADMIN,
    snapshot,
    the_notification,
    told,
    told_since,
)


def test_ojt_hours_an_apprentice_submits_tell_the_employers_staff(everyone, apprentice, ojt, log_as):
    log = log_as(apprentice, ojt(hours="7.50"))

    assert told() == {("hours_submitted", EMPLOYER_A_ADMIN), ("hours_submitted", EMPLOYER_A_SUPERVISOR)}
    notification = the_notification("hours_submitted", EMPLOYER_A_SUPERVISOR)
    assert notification.subject_id == log["id"]
    assert notification.subject_type.model == "hourlog"


def test_rti_hours_an_apprentice_submits_tell_the_sponsors_raps_admins(everyone, sponsor, apprentice, rti, log_as):
    second_admin = factories.UserFactory(email="second.admin@example.org")
    factories.MembershipFactory(user=second_admin, sponsor=sponsor, role="raps_admin")

    log_as(apprentice, rti(hours="3"))

    assert told() == {("hours_submitted", RAPS_ADMIN), ("hours_submitted", "second.admin@example.org")}


def test_several_logs_of_one_request_tell_each_reviewer_once(client_for, everyone, apprentice, ojt):
    response = client_for(apprentice).post(
        "/api/v1/hour-logs/bulk/", [ojt(date="2025-03-03"), ojt(date="2025-03-04")], format="json"
    )

    assert response.status_code == 201, response.json()
    assert Notification.objects.filter(event="hours_submitted").count() == 2
    assert told() == {("hours_submitted", email) for email in EMPLOYER_A_STAFF}


def test_approving_submitted_hours_tells_the_apprentice(
    client_for, everyone, apprentice, employer_a_supervisor, ojt, log_as
):
    log = log_as(apprentice, ojt())
    before = snapshot()

    response = client_for(employer_a_supervisor).post(f"/api/v1/hour-logs/{log['id']}/approve/")

    assert response.status_code == 200
    assert told_since(before) == {("hours_approved", APPRENTICE)}


def test_rejecting_submitted_hours_tells_the_apprentice_why(client_for, everyone, apprentice, raps_admin, rti, log_as):
    log = log_as(apprentice, rti())
    before = snapshot()

    response = client_for(raps_admin).post(
        f"/api/v1/hour-logs/{log['id']}/reject/", {"reason": "No attendance record for that class"}
    )

    assert response.status_code == 200
    assert told_since(before) == {("hours_rejected", APPRENTICE)}
    notification = the_notification("hours_rejected", APPRENTICE)
    assert "No attendance record for that class" in notification.body
    assert "No attendance record for that class" in notification.body_html


def test_voiding_approved_hours_tells_the_apprentice_why(client_for, everyone, employer_a_supervisor, ojt, log_as):
    log = log_as(employer_a_supervisor, ojt())
    before = snapshot()

    response = client_for(employer_a_supervisor).post(
        f"/api/v1/hour-logs/{log['id']}/void/", {"reason": "Logged twice"}
    )

    assert response.status_code == 200
    assert told_since(before) == {("hours_voided", APPRENTICE)}
    assert "Logged twice" in the_notification("hours_voided", APPRENTICE).body


def test_hours_employer_staff_log_are_approved_on_entry_and_tell_the_apprentice(
    everyone, employer_a_supervisor, ojt, log_as
):
    log_as(employer_a_supervisor, ojt())

    assert told() == {("hours_approved", APPRENTICE)}


def test_a_competency_sign_off_tells_the_apprentice(client_for, everyone, employer_a_admin, apprenticeship, front_end):
    competency = front_end.competencies.first()

    response = client_for(employer_a_admin).post(
        "/api/v1/competency-signoffs/",
        {"apprenticeship": str(apprenticeship.id), "competency": str(competency.id), "rating": "advanced"},
    )

    assert response.status_code == 201, response.json()
    assert told() == {("competency_signed_off", APPRENTICE)}


def test_a_reached_milestone_tells_the_raps_admins_and_the_apprentice(everyone, reach_probation):
    milestone = reach_probation()

    assert told() == {("milestone_reached", RAPS_ADMIN), ("milestone_reached", APPRENTICE)}
    assert the_notification("milestone_reached", RAPS_ADMIN).subject_id == str(milestone.pk)


def test_hours_that_reach_a_milestone_tell_both_events(everyone, apprenticeship, employer_a_supervisor, ojt, log_as):
    give_credit_quietly(apprenticeship, ojt=496)

    log_as(employer_a_supervisor, ojt())

    assert told() == {
        ("hours_approved", APPRENTICE),
        ("milestone_reached", RAPS_ADMIN),
        ("milestone_reached", APPRENTICE),
    }


def test_an_approved_milestone_tells_the_apprentice_and_the_employers_staff(
    client_for, everyone, raps_admin, reach_probation
):
    milestone = reach_probation()
    before = snapshot()

    response = client_for(raps_admin).post(milestone_url(milestone, "approve"))

    assert response.status_code == 200
    assert told_since(before) == {("milestone_approved", email) for email in {APPRENTICE, *EMPLOYER_A_STAFF}}


def test_a_rejected_milestone_tells_the_apprentice_and_the_employers_staff_why(
    client_for, everyone, raps_admin, reach_probation
):
    milestone = reach_probation()
    before = snapshot()

    response = client_for(raps_admin).post(milestone_url(milestone, "reject"), {"reason": "Credit not documented"})

    assert response.status_code == 200
    assert told_since(before) == {("milestone_rejected", email) for email in {APPRENTICE, *EMPLOYER_A_STAFF}}
    assert "Credit not documented" in the_notification("milestone_rejected", APPRENTICE).body


@pytest.mark.parametrize(
    ("moves", "reason", "says"),
    [
        ([("suspended", "Leave of absence")], "Leave of absence", "from active to suspended"),
        ([("suspended", "Leave"), ("active", "Back from leave")], "Back from leave", "from suspended to active"),
        ([("cancelled", "Moved out of state")], "Moved out of state", "from active to cancelled"),
    ],
)
def test_a_status_change_tells_the_apprentice_and_the_employers_staff(
    client_for, everyone, raps_admin, apprenticeship, moves, reason, says
):
    for to, why in moves:
        before = snapshot()
        response = client_for(raps_admin).post(
            apprenticeship_url(apprenticeship, "transition"),
            {"to": to, "reason": why, **({"exit_reason": "other"} if to == "cancelled" else {})},
        )
        assert response.status_code == 200, response.json()
        assert told_since(before) == {("status_changed", email) for email in {APPRENTICE, *EMPLOYER_A_STAFF}}

    newest = Notification.objects.filter(event="status_changed", recipient__email=APPRENTICE).order_by("-created_at")
    assert says in newest[0].body
    assert f"Reason: {reason}" in newest[0].body


def test_completing_through_the_completion_milestone_tells_the_status_change_too(
    client_for, everyone, raps_admin, employer_a_supervisor, apprenticeship, program
):
    factories.MilestoneDefinitionFactory(program=program, name="Completion", kind="completion", threshold_hours=None)
    # Every hour credited (more than a registration may credit: set straight in the database).
    give_credit_quietly(apprenticeship, ojt="2000", rti="180")
    for process in program.work_processes.all():
        for competency in process.competencies.all():
            client_for(employer_a_supervisor).post(
                "/api/v1/competency-signoffs/",
                {"apprenticeship": str(apprenticeship.id), "competency": str(competency.id), "rating": "proficient"},
            )
    completion = apprenticeship.milestones.get(definition__name="Completion")
    before = snapshot()

    response = client_for(raps_admin).post(milestone_url(completion, "approve"))

    assert response.status_code == 200, response.json()
    people = {APPRENTICE, *EMPLOYER_A_STAFF}
    assert told_since(before) == {("milestone_approved", e) for e in people} | {("status_changed", e) for e in people}
    assert "from active to completed" in the_notification("status_changed", APPRENTICE).body


def test_a_milestone_reached_again_after_a_rejection_tells_again(
    client_for, everyone, raps_admin, employer_a_supervisor, reach_probation, ojt, log_as
):
    client_for(raps_admin).post(milestone_url(reach_probation(), "reject"), {"reason": "Credit not documented"})
    before = snapshot()

    log_as(employer_a_supervisor, ojt())

    assert told_since(before) == {
        ("hours_approved", APPRENTICE),
        ("milestone_reached", APPRENTICE),
        ("milestone_reached", RAPS_ADMIN),
    }
    again = Notification.objects.exclude(pk__in=before).get(event="milestone_reached", recipient__email=RAPS_ADMIN)
    assert "508.00 OJT hours" in again.body


def test_a_refused_action_tells_nobody(client_for, everyone, employer_b_supervisor, apprentice, ojt, log_as):
    log = log_as(apprentice, ojt())
    before = snapshot()

    response = client_for(employer_b_supervisor).post(f"/api/v1/hour-logs/{log['id']}/approve/")

    assert response.status_code == 404
    assert told_since(before) == set()
