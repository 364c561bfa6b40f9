"""Files of each kind, as their bytes are (the vault checks content, not names), and the vault's
URLs."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode."
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "not a document")
    return buffer.getvalue()


def upload(content: bytes = PDF, name: str = "letter.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def documents_url(apprenticeship) -> str:
    return f"/api/v1/apprenticeships/{apprenticeship.pk}/documents/"


def document_url(document, suffix: str = "") -> str:
    return f"/api/v1/apprenticeships/{document.apprenticeship_id}/documents/{document.pk}/{suffix}"


def post_upload(client, apprenticeship, *, content=PDF, name="letter.pdf", content_type="application/pdf", **fields):
    body = {"kind": "evidence", "title": "Letter from the last employer", **fields}
    body["file"] = upload(content, name, content_type)
    return client.post(documents_url(apprenticeship), body, format="multipart")
