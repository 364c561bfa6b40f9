"""Filing a document in the vault: the file as stored is the file given, proven by size and
SHA-256; superseding keeps the old one; verifiable documents carry a code and an issue date;
the PDFs the portal makes are US Letter with the sponsor's name on every page."""

import hashlib
import io

import pytest
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from apprenticeships.models import Document, DocumentStatus, display_code
from apprenticeships.services import document_file, document_withdraw
from portal import pdf
from tests import factories

pytestmark = pytest.mark.django_db


def _file(apprenticeship, content=b"%PDF-1.4 a scanned letter", **changes):
    return document_file(
        apprenticeship=apprenticeship,
        kind=changes.pop("kind", "evidence"),
        title=changes.pop("title", "Letter from the last employer"),
        content=content,
        filename="letter.pdf",
        content_type="application/pdf",
        by=changes.pop("by", apprenticeship.apprentice),
        reason=changes.pop("reason", "Evidence of prior experience"),
        **changes,
    )


def test_a_filed_document_reads_back_byte_for_byte_with_its_digest():
    apprenticeship = factories.ApprenticeshipFactory()
    document = _file(apprenticeship)
    with document.file.open("rb") as stored:
        content = stored.read()
    assert content == b"%PDF-1.4 a scanned letter"
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.status == DocumentStatus.CURRENT
    assert str(apprenticeship.pk) in document.file.name
    assert document.history.get().history_change_reason == "Evidence of prior experience"


def test_a_new_version_supersedes_the_old_one_which_is_kept():
    apprenticeship = factories.ApprenticeshipFactory()
    first = _file(apprenticeship)
    second = _file(apprenticeship, content=b"%PDF-1.4 the signed copy", supersedes=first, reason="Signed copy")
    first.refresh_from_db()
    assert first.status == DocumentStatus.SUPERSEDED
    assert first.status_reason == "Signed copy"
    assert first.superseded_by == second
    assert Document.objects.filter(apprenticeship=apprenticeship).count() == 2
    with first.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 a scanned letter"


def test_a_withdrawal_needs_a_reason():
    document = _file(factories.ApprenticeshipFactory())
    document_withdraw(document, reason="Uploaded to the wrong apprentice", by=document.uploaded_by)
    document.refresh_from_db()
    assert document.status == DocumentStatus.WITHDRAWN
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(status_reason="")


def test_a_verifiable_document_has_a_code_and_an_issue_date_and_a_generated_one_no_uploader():
    document = _file(factories.ApprenticeshipFactory(), verifiable=True, by=None)
    assert document.generated is True
    assert document.uploaded_by is None
    assert len(document.verification_code) == 12
    assert display_code(document.verification_code).count("-") == 2
    assert document.issued_on is not None


def test_pdfs_are_us_letter_with_the_sponsor_on_every_page_and_the_same_bytes_for_the_same_story():
    letterhead = pdf.Letterhead("Tech Sponsor & Partners", "Transcript", "Verify at /verify/ABCD-EFGH-JKLM")
    story = [pdf.title("Transcript"), pdf.table([("Row", "Hours"), *[(str(n), "8.00") for n in range(120)]])]
    content = pdf.render(letterhead, story)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
        assert "Tech Sponsor & Partners" in page.extract_text()
        assert "ABCD-EFGH-JKLM" in page.extract_text()
    assert pdf.render(letterhead, story) == content


def test_a_long_title_is_cut_short_in_the_header_and_never_runs_into_the_sponsors_name():
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfbase.pdfmetrics import stringWidth

    letterhead = pdf.Letterhead(
        "Technology High Road Training Partnership (demo)",
        "Interim credential: Version control and collaboration, Rosa Delgado",
        "Verify at https://portal.example.org/verify/98NZ-PMGA-HUAB " * 3,
    )
    title = letterhead.header_title()
    assert title.endswith("…")
    assert title.startswith("Interim credential")
    used = stringWidth(letterhead.sponsor, pdf.BOLD_FONT, pdf.HEADER_SIZE) + stringWidth(
        title, pdf.BODY_FONT, pdf.HEADER_SIZE - 0.5
    )
    assert used + pdf.GAP <= LETTER[0] - 2 * pdf.MARGIN
    left, right = letterhead.footer_note(12)
    assert right == "Technology High Road Training Partnership (demo) · 12"
    assert left.endswith("…")
    footer = stringWidth(left, pdf.BODY_FONT, pdf.FOOTER_SIZE) + stringWidth(right, pdf.BODY_FONT, pdf.FOOTER_SIZE)
    assert footer + pdf.GAP <= LETTER[0] - 2 * pdf.MARGIN
    # A short title is printed whole.
    assert pdf.Letterhead("Sponsor", "Transcript").header_title() == "Transcript"
