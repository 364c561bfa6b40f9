"""The agreement's PDF: what ETA-671 carries, read back from the PDF's text and checked against
the record; the same bytes for the same record."""

from decimal import Decimal

import pytest

from apprenticeships import agreement_pdf
from apprenticeships.models import Apprenticeship
from apprenticeships.services import agreement_current
from tests.agreements.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _record(apprenticeship) -> Apprenticeship:
    return Apprenticeship.objects.select_related(
        "program__sponsor", "program__occupation", "employer", "apprentice", "registration"
    ).get(pk=apprenticeship.pk)


def test_the_pdf_shows_the_figures_of_the_record(apprenticeship, program, sponsor, employer_a):
    program.occupation.rapids_code = "2019CB"
    program.occupation.save()
    program.rti_provider = "LA Trade Tech"
    program.save()
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(
        ojt_credit_hours=Decimal("120"), credit_basis="Prior internship, letter on file"
    )

    version = agreement_current(apprenticeship)
    with version.file.open("rb") as stored:
        pages = pdf_text(stored.read())
    text = " ".join(" ".join(pages).split())

    for fragment in [
        sponsor.name,
        sponsor.registration_number,
        employer_a.name,
        "Ari Apprentice",
        "Web Developer (test)",
        "2019CB",
        "15-1254",
        "2,000.00",  # OJT hours
        "180.00",  # RTI hours
        "500.00",  # probation
        "120.00",
        "Prior internship, letter on file",
        "LA Trade Tech",
        "2025-01-06",
        "2026-12-31",
        "$22.00",
        "Step 2",
        "1,000.00",
        "$25.00",
        "Step 3",
        "1,500.00",
        "$28.00",
        "will not discriminate against apprenticeship applicants",
    ]:
        assert fragment in text, fragment
    for page in pages:
        assert sponsor.name in page
    # Never the apprentice's SSN or date of birth.
    assert "6789" not in text
    assert "2000-05-17" not in text


def test_the_same_record_gives_the_same_bytes(apprenticeship):
    content = agreement_pdf.agreement_content(_record(apprenticeship))

    assert agreement_pdf.agreement_pdf(content) == agreement_pdf.agreement_pdf(content)
    assert agreement_current(apprenticeship).pk == agreement_current(apprenticeship).pk


def test_a_sponsor_pledge_replaces_the_standard_wording(apprenticeship, sponsor):
    sponsor.eeo_pledge = "We pledge equal opportunity in our own words."
    sponsor.save()

    content = agreement_pdf.agreement_content(_record(apprenticeship))

    assert content["sponsor"]["eeo_pledge"] == "We pledge equal opportunity in our own words."


def test_a_long_wage_schedule_flows_onto_more_pages_with_the_sponsor_on_each(apprenticeship, program, sponsor):
    from tests import factories

    for step in range(4, 40):
        factories.WageStepFactory(program=program, name=f"Step {step}", starts_at_ojt_hours=step * 40 + 1, wage="30.00")

    version = agreement_current(apprenticeship)
    with version.file.open("rb") as stored:
        pages = pdf_text(stored.read())

    assert len(pages) >= 2
    assert all(sponsor.name in page for page in pages)
    assert "Step 39" in " ".join(pages)
