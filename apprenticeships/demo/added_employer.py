"""Demo data of an employer added the way the API adds one (`POST employers/`), who takes an
apprentice registered after the others with credit for prior experience, and the papers that
credit rests on, in her vault."""

import datetime
from decimal import Decimal

from django.utils import timezone

from portal.demo import demo_loader
from sponsors.demo import demo_sponsor

from ..selectors import caller_scope
from ..services import apprenticeship_register
from .programs import demo_program

ADDED_EMPLOYER_EIN = "95-7000015"


@demo_loader(order=35)
def load_employer_added_through_the_api():
    """An employer the RAPS admin adds as `POST employers/` does (with its journeyworkers), who
    takes an apprentice registered after the others: the entry wage above the entry step, and
    credit for prior experience with its basis (docs/domain.md, registering an apprentice)."""
    from sponsors.models import Employer, Membership
    from sponsors.services import employer_create

    if Employer.objects.filter(ein=ADDED_EMPLOYER_EIN).exists():
        return []
    sponsor = demo_sponsor()
    admin_membership = Membership.objects.filter(sponsor=sponsor, role="raps_admin").select_related("user").first()
    assert admin_membership is not None, "the sponsors' demo data has its RAPS admin"
    admin = admin_membership.user
    employer = employer_create(
        scope=caller_scope(user=admin),
        created_by=admin,
        sponsor_id=sponsor.pk,
        name="Eastside Cloud Services (added through the API)",
        ein=ADDED_EMPLOYER_EIN,
        city="El Monte",
        state="CA",
        naics_code="518210",
        journeyworkers=2,
    )
    started = timezone.localdate() - datetime.timedelta(days=30)
    apprenticeship_register(
        # A scope read afresh: the employer just added is in it.
        scope=caller_scope(user=admin),
        registered_by=admin,
        program_id=demo_program("Cloud Support Associate").pk,
        employer_id=employer.pk,
        apprentice_email="apprentice.eastside@demo.example",
        start_date=started,
        expected_end_date=started + datetime.timedelta(days=540),
        entry_wage=Decimal("18.50"),
        ojt_credit_hours=Decimal("400"),
        credit_basis="Two years on an IT help desk (employer's letter and job description on file).",
        registration={
            "first_name": "Rosa",
            "last_name": "Delgado",
            "date_of_birth": datetime.date(1998, 3, 14),
            "ssn": "521-44-1870",
            "gender": "F",
            "employment_status": "EE",
            "street_address": "4120 Santa Anita Ave",
            "city": "El Monte",
            "state": "CA",
            "zip_code": "91731",
            "ethnicity": 1,
            "race_american_indian_alaskan_native": 0,
            "race_asian": 0,
            "race_black_african_american": 0,
            "race_native_hawaiian_pacific_islander": 0,
            "race_white": 1,
            "veteran_status": 2,
            "disability_status": 2,
            "education_level": 6,
            "prior_wage": Decimal("19"),
            "prior_wage_unit": "H",
            "career_connection": "P",
            "student_status": "NA",
        },
    )
    return []


@demo_loader(order=36)
def load_credit_evidence():
    """The papers Rosa Delgado's credit for prior experience rests on, in her vault: her former
    employer's letter, uploaded by her (a PDF, checked by content like every upload), marked as
    credit evidence, and downloaded once by the RAPS admin (so the download is in the audit trail)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal import pdf
    from sponsors.models import Membership

    from ..models import Apprenticeship
    from ..services import document_download_record, document_upload

    apprenticeship = (
        Apprenticeship.objects.select_related("program", "apprentice")
        .filter(apprentice__email="apprentice.eastside@demo.example")
        .first()
    )
    if apprenticeship is None or apprenticeship.documents.filter(credit_evidence=True).exists():
        return []
    letter = pdf.render(
        pdf.Letterhead("Valley IT Help Desk, Inc.", "Letter of employment", "Demo data"),
        [
            pdf.title("To whom it may concern"),
            pdf.text(
                "Rosa Delgado worked on our IT help desk from March 2022 to February 2024, full time: "
                "ticket triage, account administration and desktop support."
            ),
        ],
    )
    apprentice = apprenticeship.apprentice
    document = document_upload(
        scope=caller_scope(user=apprentice),
        apprenticeship=apprenticeship,
        kind="evidence",
        title="Letter from Valley IT Help Desk",
        description="Two years on an IT help desk: the basis of the 400 h OJT credit.",
        credit_evidence=True,
        upload=SimpleUploadedFile("letter.pdf", letter, content_type="application/pdf"),
        by=apprentice,
    )
    admin = Membership.objects.filter(sponsor=apprenticeship.program.sponsor, role="raps_admin").first()
    if admin is not None:
        document_download_record(document=document, by=admin.user, ip_address="127.0.0.1")
    return []
