"""Fixtures of the packet tests: the milestone-flow fixtures (everything reached, a sign-off call)
and the PDFs' text."""

import io

import pytest
from pypdf import PdfReader

from tests.milestone_flow import conftest as flow
from tests.milestone_flow.helpers import milestone_url

front_end, back_end, ojt, rti, log_as, sign_off, everything_reached = (
    flow.front_end,
    flow.back_end,
    flow.ojt,
    flow.rti,
    flow.log_as,
    flow.sign_off,
    flow.everything_reached,
)
approved_logs = flow.approved_logs


def pdf_text(document) -> str:
    """The text of a filed PDF, its whitespace collapsed (a table cell may wrap)."""
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_pages(document) -> list:
    with document.file.open("rb") as handle:
        return list(PdfReader(io.BytesIO(handle.read())).pages)


@pytest.fixture
def complete(client_for, raps_admin, django_capture_on_commit_callbacks):
    """Approve probation and Step 2, then the completion, running what its commit enqueues."""

    def approve(reached):
        as_admin = client_for(raps_admin)
        for name in ("Probation complete", "Wage step 2"):
            assert as_admin.post(milestone_url(reached[name], "approve")).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = as_admin.post(milestone_url(reached["Completion"], "approve"), {"note": "Final review"})
        assert response.status_code == 200, response.json()

    return approve
