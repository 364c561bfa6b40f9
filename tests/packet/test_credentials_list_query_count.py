"""An apprenticeship's interim credentials list answers in the same number of queries for one
credential and for several, each with its work process and document."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apprenticeships.services import document_file
from competencies.models import InterimCredential
from tests.packet.test_interim_credentials import CREDENTIALS


def _issue(apprenticeship, work_process):
    document = document_file(
        apprenticeship=apprenticeship,
        kind="credential",
        title=f"Interim credential: {work_process.title}",
        content=b"%PDF-1.4 credential",
        filename="credential.pdf",
        content_type="application/pdf",
        by=None,
        reason="issued",
        verifiable=True,
    )
    InterimCredential.objects.create(
        apprenticeship=apprenticeship, work_process=work_process, document=document, issued_on=timezone.localdate()
    )


def _count(client, apprenticeship, credentials: int) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(CREDENTIALS.format(apprenticeship.pk))
    assert response.status_code == 200, response.content
    assert len(response.json()) == credentials
    return len(context.captured_queries)


def test_the_credentials_list_costs_the_same_queries_for_one_credential_and_for_two(
    client_for, raps_admin, apprenticeship
):
    client = client_for(raps_admin)
    first, second = apprenticeship.program.work_processes.order_by("position")[:2]
    _issue(apprenticeship, first)
    one = _count(client, apprenticeship, 1)

    _issue(apprenticeship, second)
    two = _count(client, apprenticeship, 2)

    assert one == two
