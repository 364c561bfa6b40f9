"""A closed milestone is not decided: approving or rejecting a superseded or a withdrawn one is a
409 saying why it was closed, and nothing changes."""

import pytest

from apprenticeships.models import Apprenticeship
from competencies.models import Milestone
from tests.milestone_flow.helpers import apprenticeship_url, milestone_url


@pytest.mark.parametrize(("action", "body"), [("approve", {}), ("reject", {"reason": "Too late"})])
def test_deciding_a_superseded_milestone_is_a_409_saying_why(
    client_for, raps_admin, apprenticeship, completed, action, body
):
    superseded = completed["Wage step 3"]

    response = client_for(raps_admin).post(milestone_url(superseded, action), body)

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This milestone is superseded and closed: Superseded: the apprenticeship was completed (its completion "
        "milestone was approved). Only a pending milestone is decided."
    )
    stored = Milestone.objects.get(pk=superseded.pk)
    assert (stored.status, stored.decided_by) == ("superseded", None)


@pytest.mark.parametrize(("action", "body"), [("approve", {}), ("reject", {"reason": "Too late"})])
def test_deciding_a_withdrawn_milestone_is_a_409_saying_why(
    client_for, raps_admin, apprenticeship, everything_reached, action, body
):
    as_admin = client_for(raps_admin)
    as_admin.post(
        apprenticeship_url(apprenticeship, "transition"),
        {"to": "cancelled", "reason": "Moved away", "exit_reason": "other"},
    )
    withdrawn = everything_reached["Wage step 2"]

    response = as_admin.post(milestone_url(withdrawn, action), body)

    assert response.status_code == 409
    assert "withdrawn and closed: Withdrawn: the apprenticeship was cancelled." in response.json()["detail"]
    assert Milestone.objects.get(pk=withdrawn.pk).status == "withdrawn"
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).current_wage_step.name == "Step 1"
