"""Uploading to the vault: who files which kinds, files taken for what their bytes are, the size
limit (refused, nothing written), new versions, and Idempotency-Key with a multipart body."""

import os

import pytest
from django.conf import settings

from apprenticeships.models import Document, DocumentStatus
from tests.documents.helpers import EXE, HTML, JPEG, PDF, PNG, documents_url, docx, plain_zip, post_upload

pytestmark = pytest.mark.django_db


def _stored_files() -> list[str]:
    root = os.path.join(settings.MEDIA_ROOT, "documents")
    return [os.path.join(path, name) for path, _dirs, names in os.walk(root) for name in names]


@pytest.mark.parametrize("kind", ["evidence", "aid_document", "other"])
def test_the_apprentice_uploads_evidence_aid_documents_and_other_papers(client_for, apprentice, apprenticeship, kind):
    response = post_upload(client_for(apprentice), apprenticeship, kind=kind)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == kind
    assert body["uploaded_by"] == {"id": str(apprentice.pk), "name": "Ari Apprentice"}
    assert body["generated"] is False
    assert body["status"] == "current"
    assert body["size"] == len(PDF)
    document = Document.objects.get(pk=body["id"])
    assert document.history.get().history_change_reason == "uploaded"


@pytest.mark.parametrize("persona", ["raps_admin", "employer_a_admin", "employer_a_supervisor"])
def test_staff_upload_progress_reviews_the_apprentice_may_not(request, client_for, apprenticeship, persona):
    staff = request.getfixturevalue(persona)
    assert post_upload(client_for(staff), apprenticeship, kind="progress_review").status_code == 201
    refused = post_upload(client_for(apprenticeship.apprentice), apprenticeship, kind="progress_review")
    assert refused.status_code == 403


@pytest.mark.parametrize("kind", ["agreement", "transcript", "completion_application", "credential"])
def test_generated_kinds_are_never_uploaded(client_for, raps_admin, apprenticeship, kind):
    response = post_upload(client_for(raps_admin), apprenticeship, kind=kind)

    assert response.status_code == 400
    assert "kind" in response.json()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "persona",
    ["employer_b_supervisor", "other_raps_admin", "outsider"],
    ids=["other employer", "other sponsor", "none"],
)
def test_an_upload_to_an_apprenticeship_out_of_scope_is_a_404(request, client_for, apprenticeship, persona):
    response = post_upload(client_for(request.getfixturevalue(persona)), apprenticeship)

    assert response.status_code == 404
    assert not Document.objects.exists()


def test_an_upload_without_signing_in_is_a_401(anonymous_client, apprenticeship):
    assert post_upload(anonymous_client, apprenticeship).status_code == 401


@pytest.mark.parametrize(
    ("content", "name", "sniffed", "stored_name"),
    [
        (PDF, "letter.pdf", "application/pdf", "letter.pdf"),
        (PNG, "scan.pdf", "image/png", "scan.png"),
        (JPEG, "photo", "image/jpeg", "photo.jpg"),
        (docx(), "reference.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", None),
    ],
)
def test_the_stored_type_is_the_one_found_in_the_bytes(
    client_for, apprentice, apprenticeship, content, name, sniffed, stored_name
):
    response = post_upload(
        client_for(apprentice), apprenticeship, content=content, name=name, content_type="text/plain"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == sniffed
    assert body["filename"] == (stored_name or name)
    assert Document.objects.get().content_type == sniffed


@pytest.mark.parametrize(
    "content", [HTML, EXE, plain_zip(), b"just some text\n"], ids=["html", "executable", "zip", "text"]
)
def test_a_file_named_pdf_that_is_something_else_is_refused_and_nothing_written(
    client_for, apprentice, apprenticeship, content
):
    before = _stored_files()
    response = post_upload(client_for(apprentice), apprenticeship, content=content, name="transcript.pdf")

    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert not Document.objects.exists()
    assert _stored_files() == before


def test_a_path_in_the_file_name_is_dropped(client_for, apprentice, apprenticeship):
    response = post_upload(client_for(apprentice), apprenticeship, name='../../etc/pass"wd.pdf')

    assert response.status_code == 201
    assert response.json()["filename"] == "passwd.pdf"
    assert ".." not in Document.objects.get().file.name


def test_an_oversized_file_is_refused_with_413_and_nothing_written(client_for, apprentice, apprenticeship, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    before = _stored_files()
    response = post_upload(client_for(apprentice), apprenticeship, content=PDF + b"0" * 1000)

    assert response.status_code == 413
    assert not Document.objects.exists()
    assert _stored_files() == before
    # Exactly at the limit is taken.
    assert post_upload(client_for(apprentice), apprenticeship, content=PDF.ljust(1000, b" ")).status_code == 201


def test_a_body_declared_larger_than_the_limit_is_refused_unread(client_for, apprentice, apprenticeship, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    client = client_for(apprentice)
    response = client.generic(
        "POST",
        documents_url(apprenticeship),
        b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert not Document.objects.exists()


def test_an_upload_with_no_file_is_a_400_on_file(client_for, apprentice, apprenticeship):
    response = client_for(apprentice).post(
        documents_url(apprenticeship), {"kind": "evidence", "title": "Nothing"}, format="multipart"
    )

    assert response.status_code == 400
    assert "file" in response.json()


def test_a_new_version_supersedes_the_old_one_which_is_kept(client_for, apprentice, apprenticeship):
    client = client_for(apprentice)
    first = post_upload(client, apprenticeship).json()

    without_reason = post_upload(client, apprenticeship, content=PNG, supersedes=first["id"])
    assert without_reason.status_code == 400
    assert "reason" in without_reason.json()

    second = post_upload(client, apprenticeship, content=PNG, supersedes=first["id"], reason="The signed copy")
    assert second.status_code == 201
    assert second.json()["supersedes"] == first["id"]
    old = Document.objects.get(pk=first["id"])
    assert old.status == DocumentStatus.SUPERSEDED
    assert old.status_reason == "The signed copy"
    listed = {row["id"]: row for row in client.get(documents_url(apprenticeship)).json()["results"]}
    assert listed[first["id"]]["superseded_by"] == second.json()["id"]
    assert listed[first["id"]]["status"] == "superseded"

    again = post_upload(client, apprenticeship, supersedes=first["id"], reason="Again")
    assert again.status_code == 400
    assert "supersedes" in again.json()


def test_a_document_of_another_apprenticeship_cannot_be_superseded(
    client_for, raps_admin, apprenticeship, other_apprenticeship
):
    client = client_for(raps_admin)
    theirs = post_upload(client, other_apprenticeship).json()

    response = post_upload(client, apprenticeship, supersedes=theirs["id"], reason="Mine now")

    assert response.status_code == 400
    assert "supersedes" in response.json()
    assert Document.objects.get(pk=theirs["id"]).status == DocumentStatus.CURRENT


def test_the_apprentice_cannot_supersede_what_staff_filed(client_for, apprentice, raps_admin, apprenticeship):
    filed = post_upload(client_for(raps_admin), apprenticeship).json()

    response = post_upload(client_for(apprentice), apprenticeship, supersedes=filed["id"], reason="Mine")

    assert response.status_code == 403
    assert Document.objects.get(pk=filed["id"]).status == DocumentStatus.CURRENT


def test_credit_evidence_is_marked_and_filtered(client_for, raps_admin, apprenticeship):
    client = client_for(raps_admin)
    credit = post_upload(client, apprenticeship, credit_evidence="true", description="Two years at a help desk")
    post_upload(client, apprenticeship, kind="other")

    assert credit.status_code == 201
    assert credit.json()["credit_evidence"] is True
    listed = client.get(documents_url(apprenticeship), {"credit_evidence": "true"}).json()["results"]
    assert [row["id"] for row in listed] == [credit.json()["id"]]
    assert listed[0]["description"] == "Two years at a help desk"
    refused = post_upload(client, apprenticeship, kind="other", credit_evidence="true")
    assert refused.status_code == 400
    assert "credit_evidence" in refused.json()


def test_an_upload_retried_with_its_idempotency_key_files_once(client_for, apprentice, apprenticeship):
    client = client_for(apprentice)
    headers = {"HTTP_IDEMPOTENCY_KEY": "upload-1"}
    body = {"kind": "evidence", "title": "Letter"}
    from tests.documents.helpers import upload

    first = client.post(documents_url(apprenticeship), {**body, "file": upload()}, format="multipart", **headers)
    again = client.post(documents_url(apprenticeship), {**body, "file": upload()}, format="multipart", **headers)
    other = client.post(
        documents_url(apprenticeship), {**body, "file": upload(PNG, "x.png")}, format="multipart", **headers
    )

    assert first.status_code == 201
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert other.status_code == 422
    assert Document.objects.count() == 1


def test_a_file_past_the_memory_threshold_is_filed_whole(client_for, apprentice, apprenticeship):
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE (spooled to a temporary file) and over
    # DATA_UPLOAD_MAX_MEMORY_SIZE (which bounds form fields, not files), under DOCUMENT_MAX_BYTES.
    content = PDF + b"0" * (3 * 1024 * 1024)
    response = post_upload(client_for(apprentice), apprenticeship, content=content)

    assert response.status_code == 201, response.content
    document = Document.objects.get()
    assert document.size == len(content)
    with document.file.open("rb") as stored:
        assert stored.read() == content
