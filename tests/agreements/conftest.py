import io

import pytest
from pypdf import PdfReader

from tests.factories import put_in_status


def pdf_text(content: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def registered(apprenticeship):
    """The apprentice's apprenticeship, registered and not yet active."""
    put_in_status(apprenticeship, "registered", status_changed_on=None)
    apprenticeship.refresh_from_db()
    return apprenticeship


@pytest.fixture
def agreement_of(client_for):
    """agreement_of(user, apprenticeship): the agreement's state as `user` reads it."""

    def read(user, apprenticeship):
        response = client_for(user).get(f"/api/v1/apprenticeships/{apprenticeship.id}/agreement/")
        assert response.status_code == 200, response.content
        return response.json()

    return read


@pytest.fixture
def sign(client_for, agreement_of):
    """sign(user, apprenticeship, **overrides): `user` signs through the API what they just read."""

    def run(user, apprenticeship, **overrides):
        state = agreement_of(user, apprenticeship)
        body = {"typed_name": user.full_name, "consent": True, "sha256": state["sha256"], **overrides}
        return client_for(user).post(
            f"/api/v1/apprenticeships/{apprenticeship.id}/agreement/sign/",
            body,
            format="json",
            HTTP_USER_AGENT="Mozilla/5.0 (test)",
        )

    return run
