"""A change to anything the agreement shows, after a signature: the open signatures are void, a
new version replaces the one signed (kept, with its PDF), and the signers are told."""

import pytest

from apprenticeships.models import AgreementVersion, Document
from notifications.models import Notification
from tests import factories
from tests.agreements.conftest import pdf_text
from tests.agreements.helpers import sign_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_by_apprentice(registered, apprentice, sign):
    """The apprentice signed version 1."""
    assert sign(apprentice, registered).status_code == 201
    return AgreementVersion.objects.get(apprenticeship=registered)


def _versions(apprenticeship) -> list[tuple[int, str]]:
    return list(
        AgreementVersion.objects.filter(apprenticeship=apprenticeship)
        .order_by("number")
        .values_list("number", "status")
    )


def _assert_voided_and_told(apprenticeship, first: AgreementVersion, apprentice):
    assert _versions(apprenticeship) == [(1, "void"), (2, "open")]
    first.refresh_from_db()
    assert "signatures are void" in first.status_reason
    # The signed version's PDF stays, with the digest it was signed under.
    with first.file.open("rb") as stored:
        assert len(stored.read()) == first.size
    notice = Notification.objects.get(event="agreement_changed", recipient=apprentice)
    assert "version 2 replaces the one you signed" in notice.body
    assert "The signatures already given are void." in notice.body


def test_changing_the_apprenticeship_voids_the_signatures_and_makes_version_2(
    client_for, registered, raps_admin, apprentice, signed_by_apprentice, agreement_of
):
    response = client_for(raps_admin).patch(
        f"/api/v1/apprenticeships/{registered.id}/", {"entry_wage": "23.50"}, format="json"
    )
    assert response.status_code == 200, response.json()

    _assert_voided_and_told(registered, signed_by_apprentice, apprentice)
    state = agreement_of(apprentice, registered)
    assert (state["version"], state["signatures"], state["awaiting"]) == (2, [], ["apprentice", "employer", "sponsor"])
    current = AgreementVersion.objects.get(apprenticeship=registered, number=2)
    with current.file.open("rb") as stored:
        assert "$23.50" in " ".join(pdf_text(stored.read()))


def test_changing_the_apprentices_registered_name_voids_the_signatures(
    client_for, registered, raps_admin, apprentice, signed_by_apprentice
):
    response = client_for(raps_admin).patch(
        f"/api/v1/apprenticeships/{registered.id}/", {"registration": {"middle_name": "Quinn"}}, format="json"
    )
    assert response.status_code == 200, response.json()

    _assert_voided_and_told(registered, signed_by_apprentice, apprentice)


def test_a_change_the_agreement_does_not_show_keeps_the_signatures(
    client_for, registered, raps_admin, employer_a_supervisor, signed_by_apprentice
):
    response = client_for(raps_admin).patch(
        f"/api/v1/apprenticeships/{registered.id}/", {"mentor": str(employer_a_supervisor.id)}, format="json"
    )
    assert response.status_code == 200, response.json()

    assert _versions(registered) == [(1, "open")]
    assert not Notification.objects.filter(event="agreement_changed").exists()


def test_changing_the_programs_wage_schedule_voids_the_signatures(
    client_for, registered, program, raps_admin, apprentice, signed_by_apprentice, other_apprenticeship
):
    sign_agreement(other_apprenticeship)
    step = program.wage_steps.get(name="Step 2")
    response = client_for(raps_admin).patch(
        f"/api/v1/programs/{program.id}/", {"wage_steps": [{"id": str(step.id), "wage": "26.75"}]}, format="json"
    )
    assert response.status_code == 200, response.json()

    _assert_voided_and_told(registered, signed_by_apprentice, apprentice)
    current = AgreementVersion.objects.get(apprenticeship=registered, number=2)
    with current.file.open("rb") as stored:
        assert "$26.75" in " ".join(pdf_text(stored.read()))
    # Every signed agreement of the program: the other one, signed by all three, is amended.
    assert _versions(other_apprenticeship) == [(1, "superseded"), (2, "open")]


def test_renaming_the_employer_voids_the_signatures(
    client_for, registered, employer_a, raps_admin, apprentice, signed_by_apprentice
):
    response = client_for(raps_admin).patch(
        f"/api/v1/employers/{employer_a.id}/", {"name": "Employer A, Inc."}, format="json"
    )
    assert response.status_code == 200, response.json()

    _assert_voided_and_told(registered, signed_by_apprentice, apprentice)


def test_renaming_the_sponsor_voids_the_signatures(
    client_for, registered, sponsor, raps_admin, apprentice, signed_by_apprentice
):
    response = client_for(raps_admin).patch(f"/api/v1/sponsors/{sponsor.id}/", {"name": "THRTP"}, format="json")
    assert response.status_code == 200, response.json()

    _assert_voided_and_told(registered, signed_by_apprentice, apprentice)


def test_changing_the_occupation_voids_the_signatures(
    client_for, registered, program, platform_staff, apprentice, signed_by_apprentice
):
    response = client_for(platform_staff).patch(
        f"/api/v1/occupations/{program.occupation_id}/", {"rapids_code": "1234HY"}, format="json"
    )
    assert response.status_code == 200, response.json()

    _assert_voided_and_told(registered, signed_by_apprentice, apprentice)


def test_a_change_made_outside_the_services_is_caught_when_the_agreement_is_next_read(
    registered, apprentice, signed_by_apprentice, agreement_of
):
    # As the Django admin would: no service, no hook.
    type(registered).objects.filter(pk=registered.pk).update(credit_basis="Changed in the admin")

    state = agreement_of(apprentice, registered)

    assert (state["version"], state["signatures"]) == (2, [])
    _assert_voided_and_told(registered, signed_by_apprentice, apprentice)


def test_a_signature_on_the_old_digest_after_a_change_is_refused(
    client_for, registered, raps_admin, employer_a_admin, signed_by_apprentice
):
    client_for(raps_admin).patch(f"/api/v1/apprenticeships/{registered.id}/", {"entry_wage": "23.50"}, format="json")

    response = client_for(employer_a_admin).post(
        f"/api/v1/apprenticeships/{registered.id}/agreement/sign/",
        {"typed_name": "Ada Admin", "consent": True, "sha256": signed_by_apprentice.sha256},
        format="json",
    )

    assert response.status_code == 409
    assert "version 2 is current" in response.json()["detail"]


def test_a_change_after_all_three_signed_makes_an_amendment_that_supersedes_the_signed_copy(
    client_for, registered, apprentice, employer_a_admin, raps_admin
):
    sign_agreement(registered, employer_admin=employer_a_admin, raps_admin=raps_admin)
    signed = Document.objects.get(apprenticeship=registered, kind="agreement")

    client_for(raps_admin).patch(f"/api/v1/apprenticeships/{registered.id}/", {"entry_wage": "24.00"}, format="json")

    assert _versions(registered) == [(1, "superseded"), (2, "open")]
    signed.refresh_from_db()
    assert signed.status == "current"  # in force until the amendment is signed
    notices = Notification.objects.filter(event="agreement_changed")
    assert {notice.recipient for notice in notices} == {apprentice, employer_a_admin, raps_admin}
    assert "stays in force until the amended version is signed" in notices.first().body

    sign_agreement(registered, employer_admin=employer_a_admin, raps_admin=raps_admin)

    signed.refresh_from_db()
    amended = Document.objects.get(apprenticeship=registered, kind="agreement", status="current")
    assert (signed.status, amended.supersedes) == ("superseded", signed)
    assert _versions(registered) == [(1, "superseded"), (2, "signed")]


def test_a_program_change_leaves_agreements_nobody_signed_to_be_remade_when_read(
    client_for, registered, program, raps_admin, apprentice, agreement_of
):
    other = factories.ApprenticeshipFactory(program=program, employer=registered.employer)
    agreement_of(apprentice, registered)  # version 1 made, nobody signed

    client_for(raps_admin).patch(f"/api/v1/programs/{program.id}/", {"rti_provider": "LATTC"}, format="json")

    assert _versions(registered) == [(1, "open")]
    assert _versions(other) == []
    assert agreement_of(apprentice, registered)["version"] == 2
    assert _versions(registered) == [(1, "void"), (2, "open")]
    assert not Notification.objects.filter(event="agreement_changed").exists()
