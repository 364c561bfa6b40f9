"""Two RAPS administrators approve one milestone at the same moment: one wins, one gets 409."""

import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from competencies.models import Milestone, MilestoneStatus
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def at_once(*calls):
    barrier = threading.Barrier(len(calls), timeout=10)
    outcomes = [None] * len(calls)

    def run(position, call):
        try:
            barrier.wait()
            outcomes[position] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(position, call)) for position, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("second_action", ["approve", "reject"])
def test_concurrent_decisions_on_one_milestone_one_wins_the_other_gets_409(
    raps_admin, sponsor, apprenticeship, second_action
):
    colleague = factories.UserFactory()
    factories.MembershipFactory(user=colleague, sponsor=sponsor, role="raps_admin")
    definition = apprenticeship.program.milestone_definitions.get(name="Probation complete")
    milestone = Milestone.objects.create(
        apprenticeship=apprenticeship, definition=definition, reached_at=timezone.now()
    )
    clients = []
    for user in (raps_admin, colleague):
        client = APIClient()
        client.force_login(user)
        clients.append(client)

    for _attempt in range(3):
        Milestone.objects.filter(pk=milestone.pk).update(status="pending", decided_by=None, decided_at=None, note="")
        statuses = at_once(
            lambda: clients[0].post(f"/api/v1/milestones/{milestone.pk}/approve/").status_code,
            lambda: (
                clients[1]
                .post(f"/api/v1/milestones/{milestone.pk}/{second_action}/", {"reason": "not yet"})
                .status_code
            ),
        )
        assert sorted(statuses) == [200, 409]
        assert Milestone.objects.get(pk=milestone.pk).status in (MilestoneStatus.APPROVED, MilestoneStatus.REJECTED)
