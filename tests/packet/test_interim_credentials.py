"""Interim credentials (docs/domain.md): a work process completes when its target hours are
approved and every competency of it is signed off; the portal then issues its credential, a
verifiable PDF in the vault, once; RAPS admins may ask for one of a complete work process."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apprenticeships.models import Document
from competencies.models import HourLog, InterimCredential
from competencies.packet import services
from competencies.packet.tasks import sweep_packets_and_credentials
from competencies.services import hour_totals_recompute
from tests.hour_logs.records import LOGS
from tests.packet.conftest import approved_logs, pdf_text

CREDENTIALS = "/api/v1/apprenticeships/{}/credentials/"


def credentials_of(apprenticeship) -> list[str]:
    return sorted(c.work_process.title for c in InterimCredential.objects.filter(apprenticeship=apprenticeship))


@pytest.fixture
def front_end_hours(apprenticeship, employer_a_supervisor):
    """1,280 approved hours in Front end (target 1,200), stored directly."""
    approved_logs(apprenticeship, kind="ojt", days=160, hours="8", reviewer=employer_a_supervisor)
    hour_totals_recompute(apprenticeship=apprenticeship)


def test_a_credential_is_issued_when_the_last_competency_is_signed_off_not_before(
    front_end_hours, apprenticeship, front_end, employer_a_supervisor, sign_off, django_capture_on_commit_callbacks
):
    first, second = front_end.competencies.order_by("code")
    with django_capture_on_commit_callbacks(execute=True):
        sign_off(employer_a_supervisor, first)
    assert credentials_of(apprenticeship) == []
    with django_capture_on_commit_callbacks(execute=True):
        sign_off(employer_a_supervisor, second)
    assert credentials_of(apprenticeship) == ["Front end"]
    credential = InterimCredential.objects.get(apprenticeship=apprenticeship)
    document = credential.document
    assert document.kind == "credential"
    assert document.status == "current"
    assert len(document.verification_code) == 12
    assert credential.requested_by is None
    text = pdf_text(document)
    assert "Interim credential" in text
    assert "Work process Front end" in text
    assert "Target hours 1,200.00" in text
    assert "Approved hours 1,280.00" in text
    assert "Competencies signed off 2 / 2" in text
    assert f"{first.code} {first.title} Proficient" in text
    assert f"/verify/{document.verification_code[:4]}-" in text


def test_a_credential_is_issued_once_however_often_the_record_moves(
    front_end_hours, apprenticeship, front_end, employer_a_supervisor, sign_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for competency in front_end.competencies.all():
            sign_off(employer_a_supervisor, competency)
        # Signed off again (a new rating): still one credential.
        sign_off(employer_a_supervisor, front_end.competencies.first(), rating="advanced")
    services.credentials_issue_due(apprenticeship_id=apprenticeship.pk)
    sweep_packets_and_credentials()
    assert credentials_of(apprenticeship) == ["Front end"]
    assert Document.objects.filter(apprenticeship=apprenticeship, kind="credential").count() == 1


def test_the_database_holds_one_credential_per_work_process(
    front_end_hours, apprenticeship, front_end, employer_a_supervisor, sign_off
):
    for competency in front_end.competencies.all():
        sign_off(employer_a_supervisor, competency)
    (credential,) = services.credentials_issue_due(apprenticeship_id=apprenticeship.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterimCredential.objects.create(
            apprenticeship=apprenticeship,
            work_process=front_end,
            document=Document.objects.create(
                apprenticeship=apprenticeship,
                kind="credential",
                title="copy",
                file=credential.document.file.name,
                filename="x.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
            ),
            issued_on=datetime.date.today(),
        )


def test_hours_approved_in_bulk_complete_a_work_process(
    apprenticeship, front_end, employer_a_supervisor, sign_off, client_for, django_capture_on_commit_callbacks
):
    for competency in front_end.competencies.all():
        sign_off(employer_a_supervisor, competency)
    assert credentials_of(apprenticeship) == []
    approved_logs(apprenticeship, kind="ojt", days=149, hours="8", reviewer=employer_a_supervisor)
    hour_totals_recompute(apprenticeship=apprenticeship)
    submitted = [
        HourLog.objects.create(
            apprenticeship=apprenticeship,
            employer_id=apprenticeship.employer_id,
            date=datetime.date(2026, 1, 5) + datetime.timedelta(days=day),
            hours=Decimal("8"),
            kind="ojt",
            work_process=front_end,
            logged_by=apprenticeship.apprentice,
            status="submitted",
        )
        for day in range(2)
    ]
    hour_totals_recompute(apprenticeship=apprenticeship)
    # 1,192 h approved: one more log of 8 h reaches the 1,200 h target.
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(employer_a_supervisor).post(
            f"{LOGS}approve/", {"ids": [str(log.pk) for log in submitted]}
        )
    assert response.status_code == 200, response.json()
    assert credentials_of(apprenticeship) == ["Front end"]


def test_the_sweep_issues_a_credential_a_lost_task_left_undone(
    front_end_hours, apprenticeship, front_end, employer_a_supervisor, sign_off
):
    for competency in front_end.competencies.all():
        sign_off(employer_a_supervisor, competency)  # what the commit enqueued is not run
    assert credentials_of(apprenticeship) == []
    assert services.credentials_due() == [apprenticeship.pk]
    assert sweep_packets_and_credentials() == 1
    assert credentials_of(apprenticeship) == ["Front end"]
    assert services.credentials_due() == []


def test_a_raps_admin_asks_for_the_credential_of_a_complete_work_process(
    front_end_hours, apprenticeship, front_end, back_end, employer_a_supervisor, sign_off, client_for, raps_admin
):
    url = CREDENTIALS.format(apprenticeship.pk)
    as_admin = client_for(raps_admin)
    response = as_admin.post(url, {"work_process": str(front_end.pk)})
    assert response.status_code == 400
    assert "not complete" in response.json()["work_process"][0]
    for competency in front_end.competencies.all():
        sign_off(employer_a_supervisor, competency)
    response = as_admin.post(url, {"work_process": str(front_end.pk)})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["work_process_title"] == "Front end"
    assert body["requested_by"] == str(raps_admin.pk)
    assert body["document"]["kind"] == "credential"
    assert as_admin.post(url, {"work_process": str(front_end.pk)}).status_code == 409
    assert as_admin.post(url, {"work_process": str(back_end.pk)}).status_code == 400
    listed = as_admin.get(url).json()
    assert [item["id"] for item in listed] == [body["id"]]


def test_only_the_sponsors_raps_admins_ask_for_a_credential(
    front_end_hours,
    apprenticeship,
    front_end,
    employer_a_supervisor,
    apprentice,
    other_raps_admin,
    client_for,
    other_program_work_process,
):
    url = CREDENTIALS.format(apprenticeship.pk)
    body = {"work_process": str(front_end.pk)}
    assert client_for(employer_a_supervisor).post(url, body).status_code == 403
    assert client_for(apprentice).post(url, body).status_code == 403
    assert client_for(other_raps_admin).post(url, body).status_code == 404
    assert client_for(apprentice).get(url).status_code == 200
    response = client_for(employer_a_supervisor).post(url, {"work_process": str(other_program_work_process.pk)})
    assert response.status_code in (400, 403)
    assert InterimCredential.objects.count() == 0


@pytest.fixture
def other_program_work_process(other_sponsor):
    from tests import factories

    program = factories.ProgramFactory(sponsor=other_sponsor)
    return factories.WorkProcessFactory(program=program, title="Elsewhere", target_hours=100)


def test_a_work_process_of_another_program_is_a_bad_value(
    front_end_hours, apprenticeship, client_for, raps_admin, other_program_work_process
):
    response = client_for(raps_admin).post(
        CREDENTIALS.format(apprenticeship.pk), {"work_process": str(other_program_work_process.pk)}
    )
    assert response.status_code == 400
    assert response.json()["work_process"] == ["Not found."]
