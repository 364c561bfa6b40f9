"""The demo's agreements: every apprenticeship it activated is under an agreement signed by all
three (its signed copy in the vault), and one registered apprentice's waits for the employer."""

import io

import pytest
from django.core.management import call_command

from apprenticeships.demo import demo_employer_admin
from apprenticeships.models import AgreementVersion, Apprenticeship, Document

pytestmark = pytest.mark.django_db


def test_the_demo_has_signed_agreements_and_one_waiting_for_the_employer(client_for):
    output = io.StringIO()
    call_command("load_demo", stdout=output)

    activated = Apprenticeship.objects.exclude(status="registered")
    assert activated.exists()
    for apprenticeship in activated:
        version = AgreementVersion.objects.get(apprenticeship=apprenticeship, status="signed")
        assert version.signatures.count() == 3
        assert Document.objects.filter(pk=version.signed_document_id, kind="agreement", status="current").exists()
    waiting = AgreementVersion.objects.get(status="open")
    assert sorted(waiting.signatures.values_list("role", flat=True)) == ["apprentice", "sponsor"]
    admin = demo_employer_admin(waiting.apprenticeship.employer)
    assert admin.email in output.getvalue()

    state = client_for(admin).get(f"/api/v1/apprenticeships/{waiting.apprenticeship_id}/agreement/").json()
    assert (state["awaiting"], state["may_sign_as"]) == (["employer"], ["employer"])
    signed = client_for(admin).post(
        f"/api/v1/apprenticeships/{waiting.apprenticeship_id}/agreement/sign/",
        {"typed_name": admin.full_name, "consent": True, "sha256": state["sha256"]},
        format="json",
    )
    assert signed.status_code == 201, signed.json()
    assert signed.json()["fully_signed"] is True
