"""Signing the apprenticeship agreement online: the apprentice, an administrator of the employer
and a RAPS administrator of the sponsor, each in their role, on the PDF they were shown."""

import pytest

from apprenticeships.models import AgreementSignature, AgreementVersion, Document
from tests import factories

pytestmark = pytest.mark.django_db


def _activate(client, apprenticeship):
    return client.post(
        f"/api/v1/apprenticeships/{apprenticeship.id}/transition/",
        {"to": "active", "reason": "started", "effective_date": "2025-01-06"},
        format="json",
    )


def test_activation_is_refused_until_the_three_have_signed_and_allowed_after(
    client_for, registered, apprentice, employer_a_admin, raps_admin, sign, agreement_of
):
    as_admin = client_for(raps_admin)
    refused = _activate(as_admin, registered)
    assert refused.status_code == 400
    assert refused.json()["status"] == [
        "The apprenticeship agreement is not signed by the apprentice, employer, sponsor yet (version 1)."
    ]

    assert sign(apprentice, registered).status_code == 201
    assert sign(employer_a_admin, registered).status_code == 201
    refused = _activate(as_admin, registered)
    assert refused.status_code == 400
    assert "not signed by the sponsor" in refused.json()["status"][0]

    signed = sign(raps_admin, registered)
    assert signed.status_code == 201, signed.json()
    body = signed.json()
    assert (body["fully_signed"], body["awaiting"], body["status"]) == (True, [], "signed")
    assert [row["role"] for row in body["signatures"]] == ["apprentice", "employer", "sponsor"]
    assert _activate(as_admin, registered).status_code == 200
    registered.refresh_from_db()
    assert registered.status == "active"


def test_each_signature_records_who_what_when_where_and_the_consent(registered, apprentice, sign):
    response = sign(apprentice, registered, typed_name="  ari   APPRENTICE ")

    assert response.status_code == 201, response.json()
    signature = AgreementSignature.objects.get()
    version = AgreementVersion.objects.get()
    assert (signature.role, signature.signer, signature.typed_name) == ("apprentice", apprentice, "ari   APPRENTICE")
    assert signature.sha256 == version.sha256
    assert signature.ip_address == "127.0.0.1"
    assert signature.user_agent == "Mozilla/5.0 (test)"
    assert signature.consent_text.startswith("I have read this apprenticeship agreement")
    assert response.json()["awaiting"] == ["employer", "sponsor"]


def test_the_apprentice_sees_no_signer_address_but_the_raps_admin_does(
    registered, apprentice, raps_admin, sign, agreement_of
):
    sign(apprentice, registered)

    assert "ip_address" not in agreement_of(apprentice, registered)["signatures"][0]
    assert agreement_of(raps_admin, registered)["signatures"][0]["ip_address"] == "127.0.0.1"


def test_an_outsider_and_another_sponsors_admin_get_404(
    client_for, registered, outsider, other_raps_admin, employer_b_supervisor
):
    for user in (outsider, other_raps_admin, employer_b_supervisor):
        client = client_for(user)
        assert client.get(f"/api/v1/apprenticeships/{registered.id}/agreement/").status_code == 404
        posted = client.post(
            f"/api/v1/apprenticeships/{registered.id}/agreement/sign/",
            {"typed_name": user.full_name, "consent": True, "sha256": "0" * 64},
            format="json",
        )
        assert posted.status_code == 404
    assert not AgreementSignature.objects.exists()


def test_a_supervisor_who_is_not_employer_admin_cannot_sign_for_the_employer(
    registered, employer_a_supervisor, sign, agreement_of
):
    assert agreement_of(employer_a_supervisor, registered)["may_sign_as"] == []

    response = sign(employer_a_supervisor, registered)
    assert response.status_code == 403
    assert sign(employer_a_supervisor, registered, role="employer").status_code == 403
    assert not AgreementSignature.objects.exists()


def test_a_cancelled_apprenticeships_agreement_is_not_signed(registered, apprentice, sign):
    from tests.factories import put_in_status

    put_in_status(registered, "cancelled", cancellation_reason="moved away", ended_on="2025-06-30")

    assert sign(apprentice, registered).status_code == 409
    assert not AgreementSignature.objects.exists()


def test_a_stale_sha256_is_refused_with_409_and_nothing_is_signed(registered, apprentice, sign):
    response = sign(apprentice, registered, sha256="a" * 64)

    assert response.status_code == 409
    assert "changed since you read it" in response.json()["detail"]
    assert not AgreementSignature.objects.exists()


def test_a_second_signature_in_the_same_role_is_refused_with_409(registered, apprentice, employer_a, sign):
    assert sign(apprentice, registered).status_code == 201
    again = sign(apprentice, registered)
    assert again.status_code == 409
    # Another administrator of the employer after the first: the employer has signed.
    first, second = factories.UserFactory(full_name="Em One"), factories.UserFactory(full_name="Em Two")
    for user in (first, second):
        factories.MembershipFactory(user=user, employer=employer_a, role="employer_admin")
    assert sign(first, registered).status_code == 201
    assert sign(second, registered).status_code == 409
    assert AgreementSignature.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"typed_name": ""}, "typed_name"),
        ({"typed_name": "Someone Else"}, "typed_name"),
        ({"consent": False}, "consent"),
        ({"sha256": "not-a-digest"}, "sha256"),
    ],
)
def test_a_signature_without_the_name_the_consent_or_the_digest_is_a_400(
    registered, apprentice, sign, overrides, field
):
    response = sign(apprentice, registered, **overrides)

    assert response.status_code == 400
    assert field in response.json()
    assert not AgreementSignature.objects.exists()


def test_a_person_who_holds_two_roles_says_which_one_they_sign_in(registered, employer_a, raps_admin, sign):
    factories.MembershipFactory(user=raps_admin, employer=employer_a, role="employer_admin")

    unsaid = sign(raps_admin, registered)
    assert unsaid.status_code == 400
    assert "role" in unsaid.json()
    assert sign(raps_admin, registered, role="employer").status_code == 201
    # The employer has signed: the other role is the only one left.
    response = sign(raps_admin, registered)
    assert response.status_code == 201
    assert response.json()["awaiting"] == ["apprentice"]


def test_the_fully_signed_pdf_is_filed_in_the_vault_with_a_signature_page(
    registered, apprentice, employer_a_admin, raps_admin, sign
):
    from tests.agreements.conftest import pdf_text

    for user in (apprentice, employer_a_admin, raps_admin):
        sign(user, registered)

    version = AgreementVersion.objects.get()
    document = Document.objects.get(apprenticeship=registered, kind="agreement")
    assert version.signed_document == document
    assert (document.status, document.generated, document.uploaded_by) == ("current", True, None)
    assert document.verification_code
    assert document.issued_on
    with document.file.open("rb") as stored:
        pages = pdf_text(stored.read())
    last = " ".join(pages[-1].split())
    assert "Signature page" in last
    assert version.sha256 in "".join(pages[-1].split())
    for name in ("Ari Apprentice", "Ada Admin", "Rae Admin", "127.0.0.1", "Mozilla/5.0 (test)", "I have read"):
        assert name in last, name
