"""When approved hours, sign-offs or credit reach a milestone definition, a pending milestone is
created in the transaction of the change that reached it (docs/domain.md, Milestone rules)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from competencies.models import HourLog, Milestone
from tests import factories
from tests.milestone_flow.helpers import (
    BULK,
    apprenticeship_url,
    days_from,
    give_credit_quietly,
    milestones_of,
    the_milestone,
)


def test_employer_staff_logging_ojt_past_500_hours_creates_a_pending_probation_milestone(
    client_for, employer_a_supervisor, apprenticeship, ojt
):
    # 21 days of 24 h: 504 approved OJT hours, logged and approved on entry in one request.
    items = [ojt(date=day, hours="24") for day in days_from(datetime.date(2025, 3, 3), 21)]

    response = client_for(employer_a_supervisor).post(BULK, items, format="json")

    assert response.status_code == 201, response.json()
    assert {log["status"] for log in response.json()} == {"approved"}
    assert milestones_of(apprenticeship) == [("Probation complete", "pending")]
    probation = the_milestone(apprenticeship, "Probation complete")
    assert probation.basis == "ojt=504.00"
    assert probation.decided_by is None
    assert probation.decided_at is None


def test_hours_just_under_the_threshold_reach_no_milestone(client_for, employer_a_supervisor, apprenticeship, ojt):
    # 20 days of 24 h and one of 19.75 h: 499.75 approved OJT hours.
    days = days_from(datetime.date(2025, 3, 3), 21)
    items = [ojt(date=day, hours="24") for day in days[:-1]] + [ojt(date=days[-1], hours="19.75")]

    response = client_for(employer_a_supervisor).post(BULK, items, format="json")

    assert response.status_code == 201, response.json()
    assert milestones_of(apprenticeship) == []


def test_a_bulk_request_with_one_bad_item_reaches_no_milestone(client_for, employer_a_supervisor, apprenticeship, ojt):
    """The milestone is written in the request's transaction: a request that writes nothing
    reaches nothing."""
    items = [ojt(date=day, hours="24") for day in days_from(datetime.date(2025, 3, 3), 21)]
    items.append(ojt(date="2025-04-01", hours="7.30"))  # not in quarter hours

    response = client_for(employer_a_supervisor).post(BULK, items, format="json")

    assert response.status_code == 400
    assert "hours" in response.json()["items"][21]
    assert not HourLog.objects.exists()
    assert not Milestone.objects.exists()


def test_crossing_1000_hours_creates_the_halfway_milestone_next_to_the_pending_probation(
    client_for, raps_admin, employer_a_supervisor, apprenticeship, ojt, log_as
):
    client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "996", "credit_basis": "Prior experience on file"},
        format="json",
    )
    assert milestones_of(apprenticeship) == [("Probation complete", "pending")]

    log_as(employer_a_supervisor, ojt(hours="8"))  # 1,004 h

    assert sorted(milestones_of(apprenticeship)) == [("Halfway", "pending"), ("Probation complete", "pending")]
    assert the_milestone(apprenticeship, "Halfway").basis == "ojt=1004.00"
    # The probation milestone was reached once: more hours do not write a second one.
    assert Milestone.objects.filter(apprenticeship=apprenticeship, definition__name="Probation complete").count() == 1


def test_submitted_hours_reach_no_milestone_until_employer_staff_approve_them(
    client_for, apprentice, employer_a_supervisor, apprenticeship, ojt, log_as
):
    give_credit_quietly(apprenticeship, ojt=496)

    submitted = log_as(apprentice, ojt(hours="8"))

    assert submitted["status"] == "submitted"
    assert milestones_of(apprenticeship) == []

    approved = client_for(employer_a_supervisor).post(f"/api/v1/hour-logs/{submitted['id']}/approve/")

    assert approved.status_code == 200, approved.json()
    assert milestones_of(apprenticeship) == [("Probation complete", "pending")]
    assert the_milestone(apprenticeship, "Probation complete").basis == "ojt=504.00"


def test_a_rejected_submission_reaches_no_milestone(
    client_for, apprentice, employer_a_supervisor, apprenticeship, ojt, log_as
):
    give_credit_quietly(apprenticeship, ojt=496)
    submitted = log_as(apprentice, ojt(hours="8"))

    rejected = client_for(employer_a_supervisor).post(
        f"/api/v1/hour-logs/{submitted['id']}/reject/", {"reason": "Not on the timesheet"}
    )

    assert rejected.status_code == 200
    assert milestones_of(apprenticeship) == []


def test_ojt_credit_changed_by_the_raps_admin_counts_toward_milestones(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "500.00", "credit_basis": "Prior experience on file"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert milestones_of(apprenticeship) == [("Probation complete", "pending")]
    assert the_milestone(apprenticeship, "Probation complete").basis == "ojt=500.00"


def test_credit_below_every_threshold_reaches_nothing(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "499.75", "credit_basis": "Prior experience on file"},
        format="json",
    )

    assert response.status_code == 200
    assert milestones_of(apprenticeship) == []


def test_approved_rti_hours_reach_an_rti_threshold_milestone(
    client_for, raps_admin, apprentice, apprenticeship, program, rti, log_as
):
    factories.MilestoneDefinitionFactory(program=program, name="Half the RTI", kind="rti_hours", threshold_hours=90)
    client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"rti_credit_hours": "84", "credit_basis": "Prior experience on file"},
        format="json",
    )
    submitted = log_as(apprentice, rti(hours="3"))  # submitted: 84 approved still
    assert milestones_of(apprenticeship) == []

    log_as(raps_admin, rti(date="2025-03-04", hours="3"))  # logged by the RAPS admin: approved, 87
    assert milestones_of(apprenticeship) == []
    approved = client_for(raps_admin).post(f"/api/v1/hour-logs/{submitted['id']}/approve/")  # 90

    assert approved.status_code == 200, approved.json()
    assert milestones_of(apprenticeship) == [("Half the RTI", "pending")]
    assert the_milestone(apprenticeship, "Half the RTI").basis == "rti=90.00"


def test_rti_hours_do_not_reach_ojt_milestones(client_for, raps_admin, apprenticeship, rti, log_as):
    give_credit_quietly(apprenticeship, rti=600)  # past every OJT threshold, if RTI counted there
    log_as(raps_admin, rti(hours="3"))

    assert milestones_of(apprenticeship) == []


def test_signing_off_every_competency_of_a_work_process_reaches_its_milestone(
    employer_a_supervisor, apprenticeship, program, front_end, back_end, sign_off
):
    factories.MilestoneDefinitionFactory(
        program=program,
        name="Front end mastered",
        kind="work_process_competencies",
        threshold_hours=None,
        work_process=front_end,
    )
    first, second = front_end.competencies.order_by("code")

    sign_off(employer_a_supervisor, first)
    for competency in back_end.competencies.all():  # another process's competencies do not count
        sign_off(employer_a_supervisor, competency)
    sign_off(employer_a_supervisor, first, rating="advanced")  # signing off again is not a second one
    assert milestones_of(apprenticeship) == []

    sign_off(employer_a_supervisor, second)

    assert milestones_of(apprenticeship) == [("Front end mastered", "pending")]
    assert the_milestone(apprenticeship, "Front end mastered").basis == "signed_off=2"


def test_at_most_one_pending_milestone_per_apprenticeship_and_definition_in_the_database(
    client_for, raps_admin, apprenticeship
):
    client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "500", "credit_basis": "Prior experience on file"},
        format="json",
    )
    pending = the_milestone(apprenticeship, "Probation complete")

    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(
            apprenticeship=apprenticeship, definition=pending.definition, reached_at=timezone.now(), basis="ojt=500.00"
        )

    assert Milestone.objects.filter(apprenticeship=apprenticeship).count() == 1


def test_a_decided_milestone_leaves_room_for_a_new_pending_one_in_the_database(client_for, raps_admin, apprenticeship):
    client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "500", "credit_basis": "Prior experience on file"},
        format="json",
    )
    rejected = the_milestone(apprenticeship, "Probation complete")
    client_for(raps_admin).post(f"/api/v1/milestones/{rejected.id}/reject/", {"reason": "Timesheets missing"})

    Milestone.objects.create(
        apprenticeship=apprenticeship, definition=rejected.definition, reached_at=timezone.now(), basis="ojt=508.00"
    )

    assert sorted(milestones_of(apprenticeship)) == [
        ("Probation complete", "pending"),
        ("Probation complete", "rejected"),
    ]
