"""Hours that reach a milestone, approved at the same moment by two reviewers: the milestone is
reached once (`milestone_one_standing_per_definition` holds it whatever the lock does)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from competencies.models import Milestone
from tests.milestone_flow.helpers import give_credit_quietly
from tests.races.helpers import at_once, statuses

pytestmark = pytest.mark.django_db(transaction=True)

LOGS = "/api/v1/hour-logs/"


def test_two_logs_that_each_reach_probation_written_at_once_reach_it_once(
    client_for, employer_a_supervisor, employer_a_admin, apprenticeship
):
    """Staff's own logs count as approved: each of the two reaches the 500 h of probation."""
    give_credit_quietly(apprenticeship, ojt=Decimal("496"))
    front_end = apprenticeship.program.work_processes.get(title="Front end")
    clients = [client_for(employer_a_supervisor), client_for(employer_a_admin)]

    def body(day):
        return {
            "apprenticeship": str(apprenticeship.id),
            "date": day,
            "hours": "8",
            "kind": "ojt",
            "work_process": str(front_end.id),
            "description": "Built the sign-up form",
        }

    responses = at_once(
        *(
            lambda client=client, day=day: client.post(LOGS, body(day))
            for client, day in zip(clients, ["2025-03-03", "2025-03-04"], strict=True)
        )
    )

    assert statuses(responses) == [201, 201], [r.content for r in responses]
    probation = apprenticeship.program.milestone_definitions.get(kind="probation")
    standing = Milestone.objects.filter(apprenticeship=apprenticeship, definition=probation)
    assert list(standing.values_list("status", flat=True)) == ["pending"]


def test_the_database_refuses_a_second_standing_milestone_of_a_definition(apprenticeship, raps_admin):
    definition = apprenticeship.program.milestone_definitions.first()
    Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=definition,
        reached_at=timezone.now(),
        status="approved",
        decided_by=raps_admin,
        decided_at=timezone.now(),
    )

    with pytest.raises(IntegrityError, match="milestone_one_standing_per_definition"), transaction.atomic():
        Milestone.objects.create(apprenticeship=apprenticeship, definition=definition, reached_at=timezone.now())
