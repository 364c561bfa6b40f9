"""The completion packet (docs/domain.md): approving the completion milestone files a transcript
and a completion application in the vault, each verifiable, whose figures are the record's;
asking again supersedes them, never deletes."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import LETTER

from apprenticeships.models import Apprenticeship, Document, display_code
from competencies.models import Milestone
from competencies.packet import record as records
from competencies.packet import services
from competencies.packet.tasks import sweep_packets_and_credentials
from tests.packet.conftest import pdf_pages, pdf_text

PACKET = "/api/v1/apprenticeships/{}/completion-packet/"


def packet_of(apprenticeship, **filters):
    return {
        d.kind: d
        for d in Document.objects.filter(
            apprenticeship=apprenticeship, kind__in=["transcript", "completion_application"], **filters
        )
    }


def test_approving_completion_files_the_transcript_and_the_application_with_codes(
    everything_reached, complete, apprenticeship
):
    assert packet_of(apprenticeship) == {}
    complete(everything_reached)
    packet = packet_of(apprenticeship)
    assert set(packet) == {"transcript", "completion_application"}
    for document in packet.values():
        assert document.status == "current"
        assert document.generated
        assert document.uploaded_by is None
        assert document.content_type == "application/pdf"
        assert document.size > 1000
        assert len(document.verification_code) == 12
        assert document.issued_on == datetime.date.today()
        text = pdf_text(document)
        assert f"{settings.PORTAL_URL}/verify/{display_code(document.verification_code)}" in text
        for page in pdf_pages(document):
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(LETTER)
    assert packet["transcript"].verification_code != packet["completion_application"].verification_code


def test_nothing_is_generated_before_completion(everything_reached, apprenticeship):
    assert services.packet_issue(apprenticeship_id=apprenticeship.pk) == {}
    assert services.packets_due() == []
    sweep_packets_and_credentials()
    assert packet_of(apprenticeship) == {}


def test_the_transcript_prints_the_records_figures(everything_reached, complete, apprenticeship, program):
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(rapids_apprentice_id="CA-2025-00042")
    complete(everything_reached)
    record = records.record_of(apprenticeship.pk)
    text = pdf_text(packet_of(apprenticeship)["transcript"])
    assert record.apprentice_name in text
    assert "CA-2025-00042" in text
    assert program.title in text
    assert program.sponsor.name in text
    assert apprenticeship.employer.name in text
    # 250 days of 8 h, all in Front end (target 1,200); none in Back end (target 800).
    assert "Front end 1,200.00 2,000.00 2 / 2" in text
    assert "Back end 800.00 0.00 2 / 2" in text
    assert "Approved OJT hours 2,000.00 2,000.00" in text
    assert "Total OJT hours 2,000.00" in text
    # 45 days of 4 h of the one course, at the program's provider when the log names none.
    provider = program.rti_provider or "—"
    assert f"Weekly class {provider} 180.00" in text
    assert "Total RTI hours 180.00" in text
    for line in record.competencies:
        assert f"{line.code} {line.title}" in text
    assert "Proficient" in text
    # Wages: the entry wage, Step 1 at registration, then Step 3 (the last reached, at completion).
    assert f"{apprenticeship.start_date.isoformat()} Entry ${apprenticeship.entry_wage:,.2f}" in text
    assert "Step 2 $25.00" in text
    assert "Step 3 $28.00" in text
    # Milestones with their decisions.
    completion = Milestone.objects.get(apprenticeship=apprenticeship, definition__name="Completion")
    assert completion.decided_by is not None
    assert (
        f"Completion {timezone.localdate(completion.reached_at).isoformat()} Approved {completion.decided_by.display_name}"
        in text
    )
    assert "Halfway" in text
    assert "Superseded" in text
    assert "Apprenticeship transcript" in text


def test_the_application_prints_what_the_agency_asks_for(
    everything_reached, complete, apprenticeship, program, raps_admin
):
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(
        rapids_apprentice_id="CA-2025-00042", ojt_credit_hours=Decimal("120"), credit_basis="Prior bootcamp"
    )
    complete(everything_reached)
    apprenticeship.refresh_from_db()
    text = pdf_text(packet_of(apprenticeship)["completion_application"])
    occupation = program.occupation
    assert "CA-2025-00042" in text
    assert occupation.onet_soc_code in text
    assert (occupation.rapids_code or "—") in text
    assert program.sponsor.registration_number in text
    assert f"Start date {apprenticeship.start_date.isoformat()}" in text
    assert f"Completion date {apprenticeship.ended_on.isoformat()}" in text
    assert "OJT hours 2,000.00 120.00 2,120.00" in text
    assert "RTI hours 180.00 0.00 180.00" in text
    assert f"Final wage (hourly) ${apprenticeship.current_wage_step.wage:,.2f}" in text
    assert f"Completion approved by {raps_admin.display_name}" in text
    assert "I attest that" in text
    assert "Signature" in text


def test_the_credit_and_its_basis_are_on_the_transcript(everything_reached, complete, apprenticeship):
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(
        ojt_credit_hours=Decimal("120"), rti_credit_hours=Decimal("20"), credit_basis="Prior bootcamp, 2024"
    )
    complete(everything_reached)
    text = pdf_text(packet_of(apprenticeship)["transcript"])
    assert "OJT hours credited 120.00" in text
    assert "RTI hours credited 20.00" in text
    assert "Basis Prior bootcamp, 2024" in text
    assert "Total OJT hours 2,120.00" in text
    assert "Total RTI hours 200.00" in text


def test_the_packet_is_generated_once_however_often_it_is_asked(everything_reached, complete, apprenticeship):
    complete(everything_reached)
    first = packet_of(apprenticeship)
    services.packet_issue(apprenticeship_id=apprenticeship.pk)
    sweep_packets_and_credentials()
    assert services.packets_due() == []
    assert packet_of(apprenticeship) == first
    assert Document.objects.filter(apprenticeship=apprenticeship, kind="transcript").count() == 1


def test_regenerating_supersedes_the_packet_and_keeps_the_old_documents(
    everything_reached, complete, apprenticeship, client_for, raps_admin
):
    complete(everything_reached)
    before = packet_of(apprenticeship)
    response = client_for(raps_admin).post(PACKET.format(apprenticeship.pk))
    assert response.status_code == 200, response.json()
    after = packet_of(apprenticeship, status="current")
    assert set(after) == {"transcript", "completion_application"}
    for kind, old in before.items():
        old.refresh_from_db()
        assert old.status == "superseded"
        assert old.status_reason
        assert after[kind].supersedes_id == old.pk
        assert after[kind].verification_code != old.verification_code
        assert old.file.storage.exists(old.file.name)
    assert Document.objects.filter(apprenticeship=apprenticeship).count() == 4
    body = response.json()
    assert body["transcript"]["id"] == str(after["transcript"].pk)
    assert body["completion_application"]["verification_code"] == after["completion_application"].verification_code


def test_the_sweep_files_a_packet_that_a_lost_task_left_undone(
    everything_reached, client_for, raps_admin, apprenticeship
):
    # Approved without running what the commit enqueued (a broker that was down).
    from tests.milestone_flow.helpers import milestone_url

    response = client_for(raps_admin).post(milestone_url(everything_reached["Completion"], "approve"))
    assert response.status_code == 200
    assert packet_of(apprenticeship) == {}
    assert services.packets_due() == [apprenticeship.pk]
    assert sweep_packets_and_credentials() >= 1
    assert set(packet_of(apprenticeship)) == {"transcript", "completion_application"}
    assert services.packets_due() == []


def test_the_packet_endpoint_gives_both_documents(everything_reached, complete, apprenticeship, client_for, apprentice):
    complete(everything_reached)
    packet = packet_of(apprenticeship)
    body = client_for(apprentice).get(PACKET.format(apprenticeship.pk)).json()
    for kind in ("transcript", "completion_application"):
        assert body[kind]["id"] == str(packet[kind].pk)
        assert body[kind]["verification_code"] == packet[kind].verification_code
        assert body[kind]["display_code"] == display_code(packet[kind].verification_code)
        assert body[kind]["issued_on"] == packet[kind].issued_on.isoformat()
    assert body["complete"] is True


def test_the_packet_of_an_open_apprenticeship_is_empty(apprenticeship, client_for, raps_admin):
    body = client_for(raps_admin).get(PACKET.format(apprenticeship.pk)).json()
    assert body == {
        "apprenticeship": str(apprenticeship.pk),
        "complete": False,
        "transcript": None,
        "completion_application": None,
    }


def test_regenerating_is_for_the_sponsors_raps_admins_of_a_completed_apprenticeship(
    apprenticeship, client_for, raps_admin, employer_a_supervisor, apprentice, other_raps_admin
):
    url = PACKET.format(apprenticeship.pk)
    assert client_for(raps_admin).post(url).status_code == 409
    assert client_for(employer_a_supervisor).post(url).status_code == 403
    assert client_for(apprentice).post(url).status_code == 403
    assert client_for(other_raps_admin).post(url).status_code == 404
    assert client_for(other_raps_admin).get(url).status_code == 404
    assert Document.objects.count() == 0
