"""Writes of the document vault: filing a document (uploaded or generated), superseding and
withdrawing one. Nothing here deletes a file or a row."""

import hashlib

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.history import with_reason

from ..models import Apprenticeship, Document, DocumentStatus, new_verification_code


def document_file(
    *,
    apprenticeship: Apprenticeship,
    kind: str,
    title: str,
    content: bytes,
    filename: str,
    content_type: str,
    by: AbstractBaseUser | None,
    reason: str,
    verifiable: bool = False,
    supersedes: Document | None = None,
    description: str = "",
    credit_evidence: bool = False,
    verification_code: str | None = None,
) -> Document:
    """File `content` in `apprenticeship`'s vault, in the caller's transaction.

    `by` is the uploader (None for a document the portal generated from the record). A
    `verifiable` document gets a verification code and an issue date (`/verify/{code}`). With
    `supersedes`, that document becomes superseded by this one, in history with `reason`. A
    generated document prints its own code: it passes the `verification_code` it printed
    (`new_verification_code()`).

    The file is written to storage before the row commits: a rolled-back transaction can leave
    a file no row names (harmless, and swept by nothing), never a row whose file is missing.
    """
    document = Document(
        apprenticeship=apprenticeship,
        kind=kind,
        title=title,
        description=description,
        credit_evidence=credit_evidence,
        filename=filename[:200],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by,  # type: ignore[misc]
        generated=by is None,
        supersedes=supersedes,
    )
    if verifiable:
        document.verification_code = verification_code or new_verification_code()
        document.issued_on = timezone.localdate()
    with transaction.atomic():
        if supersedes is not None:
            document_supersede(supersedes, reason=reason, by=by)
        document.file.save(filename, ContentFile(content), save=False)
        with_reason(document, reason, by)
        document.save()
    return document


def document_supersede(document: Document, *, reason: str, by: AbstractBaseUser | None) -> Document:
    """Mark `document` superseded (a newer version replaces it), with `reason`, in history."""
    document.status = DocumentStatus.SUPERSEDED
    document.status_reason = reason
    with_reason(document, reason, by)
    document.save(update_fields=["status", "status_reason", "updated_at"])
    return document


def document_withdraw(document: Document, *, reason: str, by: AbstractBaseUser) -> Document:
    """Withdraw `document` (filed by mistake, or no longer valid): kept, shown as withdrawn."""
    document.status = DocumentStatus.WITHDRAWN
    document.status_reason = reason
    with_reason(document, reason, by)
    document.save(update_fields=["status", "status_reason", "updated_at"])
    return document
