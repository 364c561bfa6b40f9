"""Approving a wage-step milestone moves the apprentice's current wage step; approving the
completion milestone completes the apprenticeship, and nothing else does."""

import pytest
from django.utils import timezone

from apprenticeships.models import Apprenticeship
from competencies.models import HourTotals
from tests import factories
from tests.milestone_flow.helpers import (
    apprenticeship_url,
    give_credit_quietly,
    milestone_url,
    milestones_of,
    the_milestone,
)


@pytest.fixture
def wage_step_definition(program):
    step_2 = program.wage_steps.get(name="Step 2")
    return factories.MilestoneDefinitionFactory(
        program=program, name="Wage step 2", kind="wage_step", threshold_hours=1000, wage_step=step_2
    )


@pytest.fixture
def completion_definition(program):
    return factories.MilestoneDefinitionFactory(
        program=program, name="Completion", kind="completion", threshold_hours=None
    )


@pytest.fixture
def sign_off_everything(employer_a_supervisor, program, sign_off):
    def run():
        for process in program.work_processes.all():
            for competency in process.competencies.all():
                sign_off(employer_a_supervisor, competency)

    return run


def _progress(client, apprenticeship) -> dict:
    return client.get(apprenticeship_url(apprenticeship, "progress")).json()


def test_approving_a_wage_step_milestone_moves_the_current_wage_step(
    client_for, raps_admin, apprentice, employer_a_supervisor, apprenticeship, wage_step_definition, ojt, log_as
):
    as_admin = client_for(raps_admin)
    as_admin.patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "996", "credit_basis": "Prior experience on file"},
        format="json",
    )
    assert ("Wage step 2", "pending") not in milestones_of(apprenticeship)
    log_as(employer_a_supervisor, ojt(hours="8"))
    wage_step = the_milestone(apprenticeship, "Wage step 2")
    # Reaching the step is not yet moving it: a RAPS admin decides.
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).current_wage_step.name == "Step 1"

    response = as_admin.post(milestone_url(wage_step, "approve"))

    assert response.status_code == 200, response.json()
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).current_wage_step.name == "Step 2"
    assert _progress(client_for(apprentice), apprenticeship)["current_wage_step"]["name"] == "Step 2"
    newest = as_admin.get(apprenticeship_url(apprenticeship, "history")).json()["results"][0]
    assert newest["history_change_reason"] == "wage step: Step 2"
    assert newest["history_user"]["id"] == str(raps_admin.id)


def test_rejecting_a_wage_step_milestone_keeps_the_wage_step(
    client_for, raps_admin, apprenticeship, wage_step_definition
):
    client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "1000", "credit_basis": "Prior experience on file"},
        format="json",
    )
    wage_step = the_milestone(apprenticeship, "Wage step 2")

    response = client_for(raps_admin).post(milestone_url(wage_step, "reject"), {"reason": "Evaluation pending"})

    assert response.status_code == 200
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).current_wage_step.name == "Step 1"


def test_the_completion_milestone_is_reached_only_with_all_hours_and_every_competency(
    raps_admin, apprenticeship, completion_definition, sign_off_everything, rti, log_as
):
    give_credit_quietly(apprenticeship, ojt=2000, rti="179.75")
    sign_off_everything()
    assert ("Completion", "pending") not in milestones_of(apprenticeship)  # RTI is 0.25 h short

    log_as(raps_admin, rti(hours="0.25"))

    assert ("Completion", "pending") in milestones_of(apprenticeship)
    assert the_milestone(apprenticeship, "Completion").basis == "ojt=2000.00;rti=180.00;signed_off=4"


def test_all_hours_without_every_competency_reach_no_completion(
    client_for, raps_admin, employer_a_supervisor, apprenticeship, program, completion_definition, sign_off
):
    give_credit_quietly(apprenticeship, ojt=2000, rti=180)  # every hour (credit through the API stays below them)
    competencies = [c for process in program.work_processes.all() for c in process.competencies.all()]
    for competency in competencies[:-1]:
        sign_off(employer_a_supervisor, competency)

    assert ("Completion", "pending") not in milestones_of(apprenticeship)


def test_approving_the_completion_milestone_completes_the_apprenticeship(
    client_for, raps_admin, apprentice, apprenticeship, completion_definition, sign_off_everything
):
    as_admin = client_for(raps_admin)
    give_credit_quietly(apprenticeship, ojt=2000, rti=180)  # every hour (credit through the API stays below them)
    sign_off_everything()
    completion = the_milestone(apprenticeship, "Completion")

    response = as_admin.post(milestone_url(completion, "approve"))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    stored = Apprenticeship.objects.get(pk=apprenticeship.pk)
    assert stored.status == "completed"
    assert HourTotals.objects.get(apprenticeship=apprenticeship).status == "completed"  # the reports' copy
    assert stored.ended_on == timezone.localdate()
    assert stored.status_changed_on == timezone.localdate()
    shown = client_for(apprentice).get(apprenticeship_url(apprenticeship)).json()
    assert shown["status"] == "completed"
    # Completed is final.
    again = as_admin.post(apprenticeship_url(apprenticeship, "transition"), {"to": "active", "reason": "oops"})
    assert again.status_code == 409


def test_a_transition_to_completed_is_refused_even_with_everything_done(
    client_for, raps_admin, apprenticeship, completion_definition, sign_off_everything
):
    as_admin = client_for(raps_admin)
    give_credit_quietly(apprenticeship, ojt=2000, rti=180)  # every hour (credit through the API stays below them)
    sign_off_everything()

    response = as_admin.post(apprenticeship_url(apprenticeship, "transition"), {"to": "completed", "reason": "done"})

    assert response.status_code == 409
    stored = Apprenticeship.objects.get(pk=apprenticeship.pk)
    assert stored.status == "active"
    assert stored.ended_on is None
    assert the_milestone(apprenticeship, "Completion").status == "pending"


def test_approving_completion_of_a_suspended_apprenticeship_is_refused_and_changes_nothing(
    client_for, raps_admin, apprenticeship, completion_definition, sign_off_everything
):
    as_admin = client_for(raps_admin)
    give_credit_quietly(apprenticeship, ojt=2000, rti=180)  # every hour (credit through the API stays below them)
    sign_off_everything()
    completion = the_milestone(apprenticeship, "Completion")
    as_admin.post(apprenticeship_url(apprenticeship, "transition"), {"to": "suspended", "reason": "leave"})

    response = as_admin.post(milestone_url(completion, "approve"))

    assert response.status_code == 409
    completion.refresh_from_db()
    assert completion.status == "pending"
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).status == "suspended"


def test_rejecting_the_completion_milestone_leaves_the_apprenticeship_active(
    client_for, raps_admin, apprenticeship, completion_definition, sign_off_everything
):
    as_admin = client_for(raps_admin)
    give_credit_quietly(apprenticeship, ojt=2000, rti=180)  # every hour (credit through the API stays below them)
    sign_off_everything()
    completion = the_milestone(apprenticeship, "Completion")

    response = as_admin.post(milestone_url(completion, "reject"), {"reason": "Final evaluation missing"})

    assert response.status_code == 200
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).status == "active"


def test_a_wage_step_milestone_cannot_change_a_cancelled_apprenticeship(
    client_for, raps_admin, apprenticeship, wage_step_definition
):
    as_admin = client_for(raps_admin)
    as_admin.patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "1000", "credit_basis": "Prior experience on file"},
        format="json",
    )
    wage_step = the_milestone(apprenticeship, "Wage step 2")
    as_admin.post(
        apprenticeship_url(apprenticeship, "transition"),
        {"to": "cancelled", "reason": "Moved away", "exit_reason": "other"},
    )
    assert as_admin.patch(apprenticeship_url(apprenticeship), {"entry_wage": "25.00"}, format="json").status_code == 409

    response = as_admin.post(milestone_url(wage_step, "approve"))

    assert Apprenticeship.objects.get(pk=apprenticeship.pk).current_wage_step.name == "Step 1"
    assert response.status_code == 409
