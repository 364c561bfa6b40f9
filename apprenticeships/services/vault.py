"""The vault's rules for people: who uploads which kinds, what a file may be (by its content),
who withdraws, and the record of every download. Filing itself is `documents.document_file`.

- Uploads: the apprentice files evidence, aid documents and other papers on their own
  apprenticeship; employer staff of its employer and the sponsor's RAPS administrators file
  those and progress reviews. The kinds the portal generates from the record (agreement,
  transcript, completion application, credential) are never uploaded by anyone.
- A file is taken for what its bytes are, never for its name or the type the client says:
  PDF, PNG, JPEG, WebP, HEIC (phone photos) and DOCX. Anything else (HTML, an executable, a
  plain zip, text) is refused. The stored content type is the one found in the bytes, and the
  stored name's extension is the one of that type.
- Withdrawal: the uploader or the sponsor's RAPS administrators; a generated document only the
  RAPS administrators. Only a current document is withdrawn; nothing is deleted.
"""

import os
import unicodedata

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.errors import Conflict, Forbidden, TooLarge
from portal.history import with_reason
from portal.tenancy import Scope

from ..models import Apprenticeship, Document, DocumentDownload, DocumentKind, DocumentStatus
from .documents import document_file, document_withdraw

GENERATED_KINDS = frozenset(
    {DocumentKind.AGREEMENT, DocumentKind.TRANSCRIPT, DocumentKind.APPLICATION, DocumentKind.CREDENTIAL}
)
APPRENTICE_KINDS = frozenset({DocumentKind.EVIDENCE, DocumentKind.AID_DOCUMENT, DocumentKind.OTHER})
STAFF_KINDS = APPRENTICE_KINDS | {DocumentKind.REVIEW}

# The types a document may be, as found in its bytes: {MIME type: extension stored}.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
# Enough of the file to tell its type (filetype reads at most the first 8 KB).
SNIFF_BYTES = 8192


def is_staff_of(scope: Scope, apprenticeship: Apprenticeship) -> bool:
    """RAPS admin of its sponsor, or employer staff of its employer for that sponsor."""
    sponsor_id = apprenticeship.program.sponsor_id
    return scope.is_raps_admin(sponsor_id) or scope.is_employer_staff(apprenticeship.employer_id, sponsor_id)


def check_may_upload(*, scope: Scope, apprenticeship: Apprenticeship, kind: str) -> None:
    """A 400 on `kind` for a kind no one uploads; a 403 for a caller who may not upload it here."""
    if kind in GENERATED_KINDS:
        raise ValidationError({"kind": [_("The portal makes this kind of document itself: it cannot be uploaded.")]})
    if is_staff_of(scope, apprenticeship):
        if kind not in STAFF_KINDS:
            raise ValidationError({"kind": [_("This kind of document cannot be uploaded.")]})
        return
    if apprenticeship.apprentice_id == scope.user_id:
        if kind not in APPRENTICE_KINDS:
            raise Forbidden(_("Apprentices upload evidence, aid documents and other papers only."))
        return
    raise Forbidden(_("Only the apprentice, the employer's staff and the sponsor's RAPS administrators upload."))


def sniffed_type(head: bytes) -> str:
    """The MIME type the bytes are, among ALLOWED_TYPES; else a 400 on `file`."""
    found = filetype.guess(head)
    if found is None or found.mime not in ALLOWED_TYPES:
        raise ValidationError(
            {"file": [_("This file is not a PDF, PNG, JPEG, WebP, HEIC or DOCX document (its content was checked).")]}
        )
    return found.mime


def safe_filename(name: str, content_type: str) -> str:
    """The client's file name without any path, control character or quote, its extension the
    one of the type found in the bytes: "../../x.pdf" of a PNG is "x.png"."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C" and ch not in '"<>:|?*;')
    stem = base.rsplit(".", 1)[0].strip(" .") if "." in base else base.strip(" .")
    return f"{(stem or 'document')[:180]}.{ALLOWED_TYPES[content_type]}"


def _check_supersedes(*, scope: Scope, apprenticeship: Apprenticeship, old: Document, kind: str, reason: str) -> None:
    if old.apprenticeship_id != apprenticeship.pk or old.status != DocumentStatus.CURRENT:
        raise ValidationError({"supersedes": [_("Not a current document of this apprenticeship.")]})
    if old.kind != kind:
        raise ValidationError({"supersedes": [_("A new version has the kind of the document it replaces.")]})
    if not reason:
        raise ValidationError({"reason": [_("Say why the new version replaces the old one.")]})
    check_may_withdraw(scope=scope, document=old)


def document_upload(
    *,
    scope: Scope,
    apprenticeship: Apprenticeship,
    kind: str,
    title: str,
    upload,
    by,
    description: str = "",
    credit_evidence: bool = False,
    supersedes: Document | None = None,
    reason: str = "",
) -> Document:
    """File an uploaded file (a Django UploadedFile) in the vault, after the rules above.
    Oversized: TooLarge (413), before a byte is read; the wrong type: a 400 on `file`."""
    check_may_upload(scope=scope, apprenticeship=apprenticeship, kind=kind)
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise TooLarge(
            _("The file is larger than %(limit)d bytes, the most a document may be.")
            % {"limit": settings.DOCUMENT_MAX_BYTES}
        )
    if upload.size == 0:
        raise ValidationError({"file": [_("The file is empty.")]})
    if credit_evidence and kind != DocumentKind.EVIDENCE:
        raise ValidationError({"credit_evidence": [_("Only evidence supports the credit for prior experience.")]})
    upload.seek(0)
    content_type = sniffed_type(upload.read(SNIFF_BYTES))
    if supersedes is not None:
        _check_supersedes(scope=scope, apprenticeship=apprenticeship, old=supersedes, kind=kind, reason=reason)
    upload.seek(0)
    content = upload.read()
    with transaction.atomic():
        document = document_file(
            apprenticeship=apprenticeship,
            kind=kind,
            title=title,
            content=content,
            filename=safe_filename(upload.name, content_type),
            content_type=content_type,
            by=by,
            reason=reason or "uploaded",
            supersedes=supersedes,
            description=description,
            credit_evidence=credit_evidence,
        )
    return document


def check_may_withdraw(*, scope: Scope, document: Document) -> None:
    sponsor_admin = scope.is_raps_admin(document.apprenticeship.program.sponsor_id)
    if document.generated and not sponsor_admin:
        raise Forbidden(_("Only the sponsor's RAPS administrators withdraw a document the portal generated."))
    if not sponsor_admin and (document.uploaded_by_id is None or document.uploaded_by_id != scope.user_id):
        raise Forbidden(_("Only the uploader and the sponsor's RAPS administrators withdraw a document."))


def document_withdraw_by(*, scope: Scope, document: Document, reason: str, by) -> Document:
    """Withdraw a current document with a reason (the rules above); 409 for one not current."""
    check_may_withdraw(scope=scope, document=document)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the document is withdrawn.")]})
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != DocumentStatus.CURRENT:
            raise Conflict(
                _("This document is %(status)s: only a current one is withdrawn.")
                % {"status": locked.get_status_display()}
            )
        return document_withdraw(locked, reason=reason.strip(), by=by)


def check_may_download(*, scope: Scope, document: Document) -> None:
    """Staff download every document (withdrawn and superseded ones too: an auditor needs
    them); the apprentice their current and superseded ones, not a withdrawn one (it may have
    been filed on the wrong apprenticeship)."""
    if document.status == DocumentStatus.WITHDRAWN and not is_staff_of(scope, document.apprenticeship):
        raise Forbidden(_("This document was withdrawn: only staff download it."))


def document_download_record(*, document: Document, by, ip_address: str | None) -> DocumentDownload:
    """The download, in the audit trail (as part of the document's history)."""
    download = DocumentDownload(document=document, downloaded_by=by, ip_address=ip_address or None)
    with_reason(download, "downloaded", by)
    download.save()
    return download
