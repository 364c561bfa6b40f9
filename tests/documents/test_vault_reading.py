"""Reading the vault: scoped like the apprenticeship for every persona, downloads byte for byte
(with the headers that keep a browser from running them) and in the audit trail, withdrawal
with a reason by the uploader or a RAPS admin, never a delete."""

import pytest

from apprenticeships.models import DocumentDownload, DocumentStatus
from apprenticeships.services import document_file
from tests.documents.helpers import PDF, PNG, document_url, documents_url, post_upload

pytestmark = pytest.mark.django_db

READERS = ["raps_admin", "employer_a_admin", "employer_a_supervisor", "apprentice"]
NOT_READERS = ["employer_b_supervisor", "other_raps_admin", "outsider"]


@pytest.fixture
def evidence(client_for, apprentice, apprenticeship):
    response = post_upload(client_for(apprentice), apprenticeship, content=PNG, name="scan.png")
    assert response.status_code == 201
    return apprenticeship.documents.get(pk=response.json()["id"])


@pytest.fixture
def generated(apprenticeship):
    return document_file(
        apprenticeship=apprenticeship,
        kind="transcript",
        title="Transcript",
        content=PDF,
        filename="transcript.pdf",
        content_type="application/pdf",
        by=None,
        reason="generated",
        verifiable=True,
    )


def _read(request, persona):
    return request.getfixturevalue(persona)


@pytest.mark.parametrize("persona", READERS)
def test_the_apprenticeships_readers_list_read_and_download_its_documents(
    request, client_for, evidence, generated, persona
):
    client = client_for(_read(request, persona))

    listed = client.get(documents_url(evidence.apprenticeship))
    assert listed.status_code == 200
    rows = {row["id"]: row for row in listed.json()["results"]}
    assert set(rows) == {str(evidence.pk), str(generated.pk)}
    assert rows[str(generated.pk)]["verification_code"].count("-") == 2
    assert rows[str(generated.pk)]["uploaded_by"] is None
    assert rows[str(evidence.pk)]["download"].endswith(document_url(evidence, "download/"))
    assert client.get(document_url(evidence)).status_code == 200
    assert client.get(document_url(evidence, "download/")).status_code == 200


@pytest.mark.parametrize("persona", NOT_READERS)
def test_outside_the_apprenticeships_scope_everything_is_a_404(request, client_for, evidence, persona):
    client = client_for(_read(request, persona))

    assert client.get(documents_url(evidence.apprenticeship)).status_code == 404
    assert client.get(document_url(evidence)).status_code == 404
    assert client.get(document_url(evidence, "download/")).status_code == 404
    assert client.get(document_url(evidence, "history/")).status_code == 404
    assert client.post(document_url(evidence, "withdraw/"), {"reason": "x"}, format="json").status_code == 404
    assert not DocumentDownload.objects.exists()


def test_a_document_under_another_apprenticeship_in_the_path_is_a_404(
    client_for, raps_admin, evidence, other_apprenticeship
):
    url = f"/api/v1/apprenticeships/{other_apprenticeship.pk}/documents/{evidence.pk}/"
    assert client_for(raps_admin).get(url).status_code == 404


def test_the_list_filters_by_kind_and_status(client_for, raps_admin, evidence, generated):
    client = client_for(raps_admin)
    url = documents_url(evidence.apprenticeship)

    assert [row["id"] for row in client.get(url, {"kind": "transcript"}).json()["results"]] == [str(generated.pk)]
    assert client.get(url, {"status": "withdrawn"}).json()["results"] == []
    assert client.get(url, {"kind": "nonsense"}).status_code == 400


def test_the_list_pages_by_cursor_in_a_total_order(client_for, raps_admin, apprenticeship):
    client = client_for(raps_admin)
    for number in range(5):
        post_upload(client, apprenticeship, title=f"Paper {number}")
    url = documents_url(apprenticeship)

    seen, cursor = [], ""
    while cursor is not None:
        page = client.get(url, {"cursor": cursor, "page_size": 2}).json()
        seen += [row["title"] for row in page["results"]]
        cursor = page["next"] and page["next"].split("cursor=")[1].split("&")[0]
    assert seen == [f"Paper {number}" for number in reversed(range(5))]


def test_the_list_reads_a_fixed_number_of_queries(client_for, raps_admin, apprenticeship, django_assert_num_queries):
    client = client_for(raps_admin)
    for _ in range(3):
        post_upload(client, apprenticeship)
    client.get(documents_url(apprenticeship))  # warm: the session's user
    # Session, user, scope (2), the apprenticeship, the count, the page.
    with django_assert_num_queries(7):
        response = client.get(documents_url(apprenticeship))
    assert response.status_code == 200
    for _ in range(3):
        post_upload(client, apprenticeship, kind="other")
    with django_assert_num_queries(7):
        assert len(client.get(documents_url(apprenticeship)).json()["results"]) == 6


def test_a_download_is_the_bytes_uploaded_with_safe_headers(client_for, employer_a_supervisor, evidence):
    response = client_for(employer_a_supervisor).get(document_url(evidence, "download/"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="scan.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_download_is_in_the_audit_trail_for_the_raps_admin(client_for, raps_admin, employer_a_supervisor, evidence):
    downloaded = client_for(employer_a_supervisor).get(document_url(evidence, "download/"), REMOTE_ADDR="203.0.113.9")
    assert downloaded.status_code == 200

    download = DocumentDownload.objects.get()
    assert (download.document, download.downloaded_by, download.ip_address) == (
        evidence,
        employer_a_supervisor,
        "203.0.113.9",
    )
    trail = client_for(raps_admin).get("/api/v1/audit/", {"record_type": "document_download"})
    assert trail.status_code == 200
    [entry] = trail.json()["results"]
    assert entry["actor"] == {"id": str(employer_a_supervisor.pk), "name": "Sam Supervisor"}
    assert entry["record_id"] == str(download.pk)
    assert entry["reason"] == "downloaded"
    assert {"field": "ip_address", "old": None, "new": "203.0.113.9"} in entry["changes"]
    # And in the document's own history, as one of its downloads.
    history = client_for(raps_admin).get(document_url(evidence, "history/")).json()["results"]
    assert history[0]["history_user"]["name"] == "Sam Supervisor"
    assert "downloads.downloaded_by" in {change["field"] for change in history[0]["changes"]}


def test_withdrawing_needs_a_reason_and_keeps_the_document(client_for, apprentice, raps_admin, evidence):
    client = client_for(apprentice)
    url = document_url(evidence, "withdraw/")

    assert client.post(url, {}, format="json").status_code == 400
    assert client.post(url, {"reason": "  "}, format="json").status_code == 400
    response = client.post(url, {"reason": "Wrong apprentice's letter"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    evidence.refresh_from_db()
    assert (evidence.status, evidence.status_reason) == (DocumentStatus.WITHDRAWN, "Wrong apprentice's letter")
    assert client.post(url, {"reason": "Again"}, format="json").status_code == 409
    # Staff still download it (an auditor needs it); the apprentice no longer does.
    assert client_for(raps_admin).get(document_url(evidence, "download/")).status_code == 200
    assert client.get(document_url(evidence, "download/")).status_code == 403


@pytest.mark.parametrize("method", ["delete", "put", "patch"])
def test_a_document_is_never_deleted_or_replaced_in_place(client_for, raps_admin, evidence, method):
    response = getattr(client_for(raps_admin), method)(document_url(evidence))

    assert response.status_code == 405
    assert evidence.__class__.objects.filter(pk=evidence.pk).exists()


def test_only_the_uploader_and_raps_admins_withdraw(client_for, employer_a_supervisor, raps_admin, evidence):
    body = {"reason": "Not needed"}
    refused = client_for(employer_a_supervisor).post(document_url(evidence, "withdraw/"), body, format="json")
    assert refused.status_code == 403
    assert client_for(raps_admin).post(document_url(evidence, "withdraw/"), body, format="json").status_code == 200


def test_a_generated_document_is_withdrawn_by_raps_admins_only(client_for, employer_a_admin, raps_admin, generated):
    body = {"reason": "Issued in error"}
    url = document_url(generated, "withdraw/")
    assert client_for(employer_a_admin).post(url, body, format="json").status_code == 403
    assert client_for(generated.apprenticeship.apprentice).post(url, body, format="json").status_code == 403
    assert client_for(raps_admin).post(url, body, format="json").status_code == 200


def test_the_documents_history_says_who_withdrew_it_and_why(client_for, raps_admin, evidence):
    client = client_for(raps_admin)
    client.post(document_url(evidence, "withdraw/"), {"reason": "Duplicate"}, format="json")

    history = client.get(document_url(evidence, "history/")).json()["results"]

    assert history[0]["history_user"]["name"] == "Rae Admin"
    assert "Duplicate" in history[0]["history_change_reason"]
    assert {"field": "status", "old": "current", "new": "withdrawn"} in history[0]["changes"]
    assert history[-1]["history_type"] == "+"
