"""Cancelling an apprenticeship leaves nothing to decide: its pending milestones are withdrawn,
with the reason in their note and history, and the running totals follow the status."""

from competencies.models import HourTotals, Milestone
from tests import factories


def test_cancelling_withdraws_every_pending_milestone_and_the_totals_follow(client_for, raps_admin, apprenticeship):
    definition = apprenticeship.program.milestone_definitions.first()
    pending = Milestone.objects.create(
        apprenticeship=apprenticeship, definition=definition, reached_at=apprenticeship.created_at, basis="ojt=500.00"
    )
    decided = Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=factories.MilestoneDefinitionFactory(program=apprenticeship.program),
        reached_at=apprenticeship.created_at,
        status="approved",
        decided_by=raps_admin,
        decided_at=apprenticeship.created_at,
    )

    response = client_for(raps_admin).post(
        f"/api/v1/apprenticeships/{apprenticeship.pk}/transition/",
        {"to": "cancelled", "reason": "Moved out of the county", "exit_reason": "other"},
        format="json",
    )

    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == "withdrawn"
    assert pending.note == "Withdrawn: the apprenticeship was cancelled."
    # The service's reason, then the one the request gave (the cancellation's): the history says why.
    assert (
        pending.history.first().history_change_reason == "withdrawn: apprenticeship cancelled: Moved out of the county"
    )
    decided.refresh_from_db()
    assert decided.status == "approved"
    assert HourTotals.objects.get(apprenticeship=apprenticeship).status == "cancelled"
