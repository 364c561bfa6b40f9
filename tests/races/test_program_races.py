"""Programs for one occupation of one sponsor registered at the same moment: one is written, the
others get the 400 of the sequential check (`program_one_per_sponsor_occupation` holds it)."""

import pytest

from apprenticeships.models import Program, WorkProcess
from apprenticeships.services.programs import PROGRAM_EXISTS
from tests import factories
from tests.programs.helpers import PROGRAMS, program_body
from tests.races.helpers import at_once, statuses

pytestmark = pytest.mark.django_db(transaction=True)


def test_programs_for_one_occupation_registered_at_once_write_one(client_for, raps_admin, sponsor):
    occupation = factories.OccupationFactory(title="Web Developer (raced)", training_approach="time_based")
    clients = [client_for(raps_admin) for _ in range(4)]

    responses = at_once(
        *(
            lambda client=client, n=n: client.post(PROGRAMS, program_body(occupation, title=f"Web Developer {n}"))
            for n, client in enumerate(clients)
        )
    )

    assert statuses(responses) == [201, 400, 400, 400], [r.content for r in responses]
    for refused in (response for response in responses if response.status_code == 400):
        assert refused.json() == {"occupation": [PROGRAM_EXISTS]}
    assert Program.objects.filter(sponsor=sponsor, occupation=occupation).count() == 1
    written = Program.objects.get(sponsor=sponsor, occupation=occupation)
    assert set(WorkProcess.objects.values_list("program_id", flat=True)) == {written.pk}
