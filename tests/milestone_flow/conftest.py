"""Fixtures of the milestone-flow tests: the hour-log bodies of tests/hour_logs and a sign-off
call. Plain helpers are in helpers.py."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from competencies.models import HourLog, Milestone
from competencies.services import hour_totals_recompute
from tests import factories
from tests.hour_logs import conftest as hour_logs
from tests.milestone_flow.helpers import SIGNOFFS, milestone_url

# The hour-log tests' fixtures: the program's work processes and log bodies as clients send them.
front_end, back_end, ojt, rti, log_as = (
    hour_logs.front_end,
    hour_logs.back_end,
    hour_logs.ojt,
    hour_logs.rti,
    hour_logs.log_as,
)


@pytest.fixture
def sign_off(client_for, apprenticeship):
    """Sign off a competency of the apprentice's apprenticeship as `user` (must succeed)."""

    def post(user, competency, rating="proficient"):
        response = client_for(user).post(
            SIGNOFFS,
            {"apprenticeship": str(apprenticeship.id), "competency": str(competency.id), "rating": rating},
        )
        assert response.status_code in (200, 201), response.json()
        return response.json()

    return post


@pytest.fixture
def everything_reached(client_for, raps_admin, employer_a_supervisor, apprenticeship, program, sign_off):
    """The apprentice has done everything: 2,000 h of approved OJT and 180 h of RTI (stored
    directly, then the running totals rebuilt) and every competency signed off through the API,
    which reaches the program's milestones. The program has wage-step milestones at 1,000 h
    (Step 2), 1,500 h (Step 3) and 2,500 h (Step 4, beyond the hours done) and a completion
    milestone. Returns the milestones by name, all pending."""
    steps = {step.name: step for step in program.wage_steps.all()}
    steps["Step 4"] = factories.WageStepFactory(program=program, name="Step 4", starts_at_ojt_hours=2500, wage="30.00")
    for name, threshold in (("Step 2", 1000), ("Step 3", 1500), ("Step 4", 2500)):
        factories.MilestoneDefinitionFactory(
            program=program,
            name=f"Wage {name.lower()}",
            kind="wage_step",
            threshold_hours=threshold,
            wage_step=steps[name],
        )
    factories.MilestoneDefinitionFactory(program=program, name="Completion", kind="completion", threshold_hours=None)
    approved_logs(apprenticeship, kind="ojt", days=250, hours="8", reviewer=employer_a_supervisor)
    approved_logs(apprenticeship, kind="rti", days=45, hours="4", reviewer=raps_admin)
    hour_totals_recompute(apprenticeship=apprenticeship)
    for process in program.work_processes.all():
        for competency in process.competencies.all():
            sign_off(employer_a_supervisor, competency)
    pending = {
        milestone.definition.name: milestone for milestone in Milestone.objects.filter(apprenticeship=apprenticeship)
    }
    assert set(pending) == {"Probation complete", "Halfway", "Wage step 2", "Wage step 3", "Completion"}
    assert {milestone.status for milestone in pending.values()} == {"pending"}
    return pending


@pytest.fixture
def completed(client_for, raps_admin, everything_reached):
    """The RAPS admin approved probation and Step 2, rejected Halfway, and left Step 3 pending
    when approving completion. Returns the milestones by name, as they were before completion."""
    as_admin = client_for(raps_admin)
    for name in ("Probation complete", "Wage step 2"):
        assert as_admin.post(milestone_url(everything_reached[name], "approve")).status_code == 200
    assert (
        as_admin.post(milestone_url(everything_reached["Halfway"], "reject"), {"reason": "Log audit"}).status_code
        == 200
    )
    response = as_admin.post(milestone_url(everything_reached["Completion"], "approve"))
    assert response.status_code == 200, response.json()
    return everything_reached


def approved_logs(apprenticeship, *, kind, days, hours, reviewer):
    """`days` approved logs of `hours` each, one a day from the start date, stored directly."""
    work_process = apprenticeship.program.work_processes.first() if kind == "ojt" else None
    HourLog.objects.bulk_create(
        HourLog(
            apprenticeship=apprenticeship,
            employer_id=apprenticeship.employer_id,
            date=apprenticeship.start_date + datetime.timedelta(days=offset),
            hours=Decimal(hours),
            kind=kind,
            work_process=work_process,
            course="" if kind == "ojt" else "Weekly class",
            logged_by=reviewer,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
            status="approved",
        )
        for offset in range(days)
    )
