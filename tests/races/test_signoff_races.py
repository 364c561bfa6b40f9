"""Sign-offs of one competency sent at the same moment by two of the employer's staff: each is
its own evaluation (both written), and exactly one is current, superseding the other
(`signoff_one_current_per_competency`); the work process counts the competency once."""

import pytest

from competencies.models import CompetencySignOff, WorkProcessTotal
from tests.races.helpers import at_once, statuses

pytestmark = pytest.mark.django_db(transaction=True)

SIGNOFFS = "/api/v1/competency-signoffs/"


def test_two_sign_offs_of_one_competency_at_once_leave_one_current(
    client_for, employer_a_supervisor, employer_a_admin, apprenticeship
):
    competency = apprenticeship.program.work_processes.get(title="Front end").competencies.order_by("code").first()
    clients = [client_for(employer_a_supervisor), client_for(employer_a_admin)]

    def body(rating):
        return {
            "apprenticeship": str(apprenticeship.id),
            "competency": str(competency.id),
            "rating": rating,
            "evidence": "Built the sign-up form unaided",
        }

    responses = at_once(
        *(
            lambda client=client, rating=rating: client.post(SIGNOFFS, body(rating), format="json")
            for client, rating in zip(clients, ["proficient", "expert"], strict=True)
        )
    )

    assert statuses(responses) == [201, 201], [r.content for r in responses]
    signoffs = CompetencySignOff.objects.filter(apprenticeship=apprenticeship, competency=competency)
    assert signoffs.count() == 2
    current = signoffs.get(is_current=True)
    assert signoffs.get(is_current=False).pk == current.supersedes_id
    total = WorkProcessTotal.objects.get(apprenticeship=apprenticeship, work_process=competency.work_process)
    assert total.competencies_signed_off == 1
