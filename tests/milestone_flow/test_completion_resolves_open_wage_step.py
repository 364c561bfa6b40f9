"""Completing moves the apprentice to the last wage step reached: the highest step of the
program's wage-step milestones whose threshold the hours reached, with its history, even when
that step's milestone was still pending (it is superseded)."""

from apprenticeships.models import Apprenticeship
from tests.milestone_flow.helpers import apprenticeship_url


def test_completing_moves_the_wage_step_to_the_last_step_reached_with_its_history(
    client_for, raps_admin, apprentice, apprenticeship, completed
):
    # Step 2 was approved; Step 3 (1,500 h) was reached but pending; Step 4 (2,500 h) was not reached.
    stored = Apprenticeship.objects.get(pk=apprenticeship.pk)
    assert stored.status == "completed"
    assert stored.current_wage_step.name == "Step 3"
    progress = client_for(apprentice).get(apprenticeship_url(apprenticeship, "progress")).json()
    assert progress["current_wage_step"]["name"] == "Step 3"
    history = client_for(raps_admin).get(apprenticeship_url(apprenticeship, "history")).json()["results"]
    reasons = [entry["history_change_reason"] for entry in history]
    assert reasons[:3] == [
        "completed: completion milestone approved",
        "wage step: Step 3 (the last step reached, at completion)",
        "wage step: Step 2",
    ]
    assert history[1]["history_user"]["id"] == str(raps_admin.id)
