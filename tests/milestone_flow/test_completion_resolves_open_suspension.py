"""Only an ending closes milestones: a suspension and the reinstatement leave the pending ones
pending (the same records, decided as before), and figures reached again after the
reinstatement reach no second one."""

from competencies.models import Milestone
from tests.milestone_flow.helpers import apprenticeship_url, milestone_url, milestones_of


def test_suspension_and_reinstatement_close_no_milestone(
    client_for, raps_admin, employer_a_supervisor, apprenticeship, everything_reached, program, sign_off
):
    as_admin = client_for(raps_admin)
    before = sorted(Milestone.objects.filter(apprenticeship=apprenticeship).values_list("id", "status"))

    suspended = as_admin.post(apprenticeship_url(apprenticeship, "transition"), {"to": "suspended", "reason": "leave"})
    after_suspension = sorted(Milestone.objects.filter(apprenticeship=apprenticeship).values_list("id", "status"))
    reinstated = as_admin.post(apprenticeship_url(apprenticeship, "transition"), {"to": "active", "reason": "back"})
    # The figures reach the same milestones again (a sign-off reconciles them): no second one.
    sign_off(employer_a_supervisor, program.work_processes.first().competencies.first())

    assert (suspended.status_code, reinstated.status_code) == (200, 200)
    assert after_suspension == before
    assert sorted(Milestone.objects.filter(apprenticeship=apprenticeship).values_list("id", "status")) == before
    assert len(milestones_of(apprenticeship)) == 5
    approved = as_admin.post(milestone_url(everything_reached["Wage step 2"], "approve"))
    assert approved.status_code == 200
