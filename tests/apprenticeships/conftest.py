import pytest

from tests.apprenticeships.helpers import APPRENTICESHIPS, registration_body


@pytest.fixture
def register(client_for, raps_admin, program, employer_a, django_capture_on_commit_callbacks):
    """POST a registration into the sponsor's program at employer A (five journeyworkers, so the
    1:1 ratio allows five apprentices), as the RAPS admin unless `by` says who. What waits for
    the commit (the invitation e-mail) runs, so that a refused registration shows it sent none."""
    employer_a.journeyworkers = 5
    employer_a.save()

    def post(*, by=None, employer=None, registration=None, **fields):
        body = registration_body(program, employer or employer_a, registration=registration, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(by or raps_admin).post(APPRENTICESHIPS, body)

    return post
