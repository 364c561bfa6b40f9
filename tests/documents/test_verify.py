"""`GET /verify/{code}`: public, answers whether a current document has the code and its issue
date, leaks nothing else, and is rate-limited per address."""

import pytest
from django.conf import settings as django_settings

from apprenticeships.models import display_code
from apprenticeships.services import document_file, document_withdraw
from tests.documents.helpers import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(apprenticeship):
    return document_file(
        apprenticeship=apprenticeship,
        kind="credential",
        title="Certificate of completion",
        content=PDF,
        filename="certificate.pdf",
        content_type="application/pdf",
        by=None,
        reason="generated",
        verifiable=True,
    )


@pytest.mark.parametrize("written", [display_code, str, str.lower, lambda code: " ".join(display_code(code).lower())])
def test_a_current_documents_code_answers_its_kind_and_issue_date_and_nothing_else(
    anonymous_client, credential, written
):
    response = anonymous_client.get(f"/verify/{written(credential.verification_code)}")

    assert response.status_code == 200
    assert response.json() == {"valid": True, "kind": "credential", "issued_on": credential.issued_on.isoformat()}
    text = response.content.decode()
    apprenticeship = credential.apprenticeship
    for secret in (
        str(credential.pk),
        str(apprenticeship.pk),
        apprenticeship.apprentice.full_name,
        apprenticeship.apprentice.email,
        apprenticeship.program.sponsor.name,
    ):
        assert secret not in text


def test_an_unknown_code_answers_404_not_valid(anonymous_client, credential):
    for code in ("ABCD-EFGH-JKMN", "short", "x" * 200, "%00"):
        response = anonymous_client.get(f"/verify/{code}")
        assert response.status_code == 404
        assert response.json() == {"valid": False}


def test_a_withdrawn_documents_code_answers_like_an_unknown_one(anonymous_client, credential, raps_admin):
    document_withdraw(credential, reason="Issued in error", by=raps_admin)

    response = anonymous_client.get(f"/verify/{credential.verification_code}")

    assert response.status_code == 404
    assert response.json() == {"valid": False}


def test_a_signed_in_caller_gets_the_same_answer(client_for, outsider, credential):
    response = client_for(outsider).get(f"/verify/{credential.verification_code}")

    assert response.status_code == 200
    assert response.json()["valid"] is True


def test_verification_is_rate_limited_per_address(anonymous_client, credential, settings):
    rates = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**rates, "verify": "3/min"}}

    answers = [anonymous_client.get("/verify/ABCD-EFGH-JKMN").status_code for _ in range(3)]
    limited = anonymous_client.get(f"/verify/{credential.verification_code}")

    assert answers == [404, 404, 404]
    assert limited.status_code == 429
    assert "Retry-After" in limited
    other_address = anonymous_client.get(f"/verify/{credential.verification_code}", REMOTE_ADDR="198.51.100.7")
    assert other_address.status_code == 200
