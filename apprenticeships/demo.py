"""Demo programs: the demo sponsor's standards for each of the eleven occupations; and an employer
added the way the API adds one, taking an apprentice with credit for prior experience."""

import datetime
from decimal import Decimal

from django.utils import timezone

from portal.demo import demo_loader
from sponsors.demo import demo_sponsor

from .models import MilestoneKind, Occupation, Program
from .selectors import caller_scope
from .services import apprenticeship_register, program_create

OJT_HOURS = Decimal("2000")
RTI_HOURS = Decimal("180")
PROBATION_HOURS = Decimal("500")
# (name, starts at OJT hours, hourly wage): a progressive schedule from 55% to 85% of a $32 journeyworker wage.
WAGE_SCHEDULE = [("Entry", 0, "17.60"), ("Step 2", 500, "20.80"), ("Step 3", 1000, "24.00"), ("Step 4", 1500, "27.20")]

# Appendix A of each program: work processes (title, target hours) and their competencies.
WORK_PROCESSES: dict[str, list[tuple[str, int, list[str]]]] = {
    "Front-end Developer": [
        ("HTML, CSS and accessibility", 500, ["Semantic HTML", "Responsive layout", "WCAG 2.1 AA checks"]),
        ("JavaScript and frameworks", 600, ["Modern JavaScript", "Component framework", "State management"]),
        ("Design systems and UX", 400, ["Design tokens", "Usability testing"]),
        ("Testing and delivery", 500, ["Unit tests", "Browser tests", "Continuous deployment"]),
    ],
    "Web Developer": [
        ("Front-end development", 500, ["Semantic HTML and CSS", "JavaScript", "Accessibility"]),
        ("Back-end development", 600, ["HTTP APIs", "Relational databases", "Authentication"]),
        ("Version control and collaboration", 300, ["Git workflow", "Code review"]),
        ("Testing and quality", 300, ["Automated tests", "Debugging"]),
        ("Deployment and operations", 300, ["Cloud hosting", "Monitoring"]),
    ],
    "Quality Assurance Developer": [
        ("Test planning", 400, ["Test plans", "Risk-based testing"]),
        ("Manual and exploratory testing", 400, ["Exploratory sessions", "Defect reports"]),
        ("Test automation", 700, ["UI automation", "API automation", "Test data"]),
        ("Continuous integration", 500, ["Pipelines", "Flaky test triage"]),
    ],
    "Data Analyst": [
        ("Data collection and cleaning", 500, ["SQL queries", "Data cleaning"]),
        ("Analysis and statistics", 600, ["Descriptive statistics", "Spreadsheet modeling"]),
        ("Visualization and dashboards", 500, ["Charts", "Dashboards"]),
        ("Reporting and communication", 400, ["Written reports", "Presentations"]),
    ],
    "Cloud Support Associate": [
        ("Customer support", 400, ["Ticket handling", "Escalation"]),
        ("Cloud fundamentals", 500, ["Compute and storage", "Identity and access"]),
        ("Networking", 400, ["Virtual networks", "DNS"]),
        ("Monitoring and incident response", 400, ["Alerts", "Runbooks"]),
        ("Automation and scripting", 300, ["Shell scripting", "Infrastructure as code"]),
    ],
    "Digital Marketing Manager": [
        ("Content marketing", 400, ["Editorial calendar", "Copywriting"]),
        ("Social media", 400, ["Channel strategy", "Community management"]),
        ("Search and advertising", 500, ["SEO", "Paid search"]),
        ("E-mail marketing", 300, ["Campaigns", "List hygiene"]),
        ("Analytics and reporting", 400, ["Web analytics", "Campaign reports"]),
    ],
    "Network/IT/Cybersecurity Support Specialist": [
        ("Help desk and end-user support", 400, ["Ticketing", "Account management"]),
        ("Systems administration", 400, ["Operating systems", "Patching"]),
        ("Networking", 400, ["Switching and routing", "Wireless"]),
        ("Security operations", 500, ["Log review", "Vulnerability scanning", "Incident first response"]),
        ("Policies and compliance", 300, ["Access reviews", "Security awareness"]),
    ],
    "Office Operations Manager": [
        ("Office administration", 500, ["Scheduling", "Records management"]),
        ("Facilities and vendors", 400, ["Vendor management", "Facilities requests"]),
        ("Budgeting and purchasing", 400, ["Purchase orders", "Budget tracking"]),
        ("People operations", 400, ["Onboarding", "Policies"]),
        ("Process improvement", 300, ["Process maps"]),
    ],
    "Business Development Representative": [
        ("Prospecting", 500, ["Lead research", "Outreach sequences"]),
        ("Discovery and qualification", 500, ["Discovery calls", "Qualification frameworks"]),
        ("CRM and pipeline", 400, ["CRM hygiene", "Pipeline reports"]),
        ("Product knowledge", 300, ["Product demos"]),
        ("Handoff and collaboration", 300, ["Account handoff"]),
    ],
    "Blockchain Developer": [
        ("Programming fundamentals", 400, ["Typed language", "Data structures"]),
        ("Distributed ledgers", 400, ["Consensus", "Transactions"]),
        ("Smart contracts", 600, ["Contract development", "Contract testing", "Security review"]),
        ("Integrations and wallets", 600, ["Wallet integration", "Node APIs"]),
    ],
    "Videographer": [
        ("Pre-production", 300, ["Shot lists", "Storyboards"]),
        ("Camera and lighting", 500, ["Camera operation", "Lighting setups"]),
        ("Audio", 300, ["Field audio", "Mixing"]),
        ("Editing and post-production", 600, ["Editing", "Color correction"]),
        ("Publishing for web and social", 300, ["Encoding", "Platform publishing"]),
    ],
}


def demo_program(occupation_title: str) -> Program:
    return Program.objects.get(sponsor=demo_sponsor(), occupation__title=occupation_title)


@demo_loader(order=20)
def load_programs():
    """Through the same service as the API, so the demo standards obey the same rules."""
    from sponsors.models import Membership

    sponsor = demo_sponsor()
    admin_membership = Membership.objects.filter(sponsor=sponsor, role="raps_admin").select_related("user").first()
    assert admin_membership is not None, "the sponsors' demo data has its RAPS admin"
    admin = admin_membership.user
    existing = set(Program.objects.filter(sponsor=sponsor).values_list("occupation__title", flat=True))
    for occupation in Occupation.objects.filter(title__in=WORK_PROCESSES).exclude(title__in=existing):
        processes = WORK_PROCESSES[occupation.title]
        program_create(
            scope=caller_scope(user=admin),
            sponsor_id=sponsor.pk,
            created_by=admin,
            occupation=occupation,
            title=f"{occupation.title} apprenticeship",
            ojt_hours_required=OJT_HOURS,
            rti_hours_required=RTI_HOURS,
            term_months=24,
            probation_hours=PROBATION_HOURS,
            rti_provider="LA Trade-Technical College",
            registered_on=sponsor.registration_date,
            work_processes=[
                {
                    "title": title,
                    "target_hours": Decimal(hours),
                    "competencies": [
                        {"code": f"{position + 1}.{number}", "title": skill} for number, skill in enumerate(skills, 1)
                    ],
                }
                for position, (title, hours, skills) in enumerate(processes)
            ],
            wage_steps=[
                {"name": name, "starts_at_ojt_hours": Decimal(start), "wage": Decimal(wage)}
                for name, start, wage in WAGE_SCHEDULE
            ],
            milestone_definitions=[
                {"name": "Probation complete", "kind": MilestoneKind.PROBATION, "threshold_hours": PROBATION_HOURS},
                *[
                    {"name": f"{name} reached", "kind": MilestoneKind.WAGE_STEP, "threshold_hours": Decimal(start)}
                    for name, start, _wage in WAGE_SCHEDULE[1:]
                ],
                {"name": "Related instruction complete", "kind": MilestoneKind.RTI_HOURS, "threshold_hours": RTI_HOURS},
                {"name": "Apprenticeship complete", "kind": MilestoneKind.COMPLETION, "threshold_hours": None},
            ],
        )
    return []


# What platform staff keep in the admin: the catalog of occupations and the programs' standards.
CATALOG_MODELS = ["occupation", "program", "workprocess", "competency", "wagestep", "milestonedefinition"]
CATALOG_EDITORS = "Catalog editors"


@demo_loader(order=21)
def load_platform_staff_permissions():
    """The demo's platform staff edit the catalog in the admin (view, add, change; nothing there
    deletes), through a group that names what it grants."""
    from django.contrib.auth.models import Group, Permission

    from portal.models import User
    from sponsors.demo import PLATFORM_STAFF_EMAIL

    group, _ = Group.objects.get_or_create(name=CATALOG_EDITORS)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="apprenticeships",
            codename__in=[f"{action}_{model}" for model in CATALOG_MODELS for action in ("view", "add", "change")],
        )
    )
    User.objects.get(email=PLATFORM_STAFF_EMAIL).groups.add(group)
    return []


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

    from .models import Apprenticeship
    from .services import document_download_record, document_upload

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


from . import aid_demo  # noqa: E402, F401 - the Worker Equity Fund demo data registers its loader

# --- the agreement, signed online (services/signatures.py) ----------------------------------
# A documentation address (RFC 5737) and a user agent that says what signed.
DEMO_SIGNER_ADDRESS = "198.51.100.7"
DEMO_USER_AGENT = "demo data"


def demo_employer_admin(employer):
    """The employer's administrator, who signs its agreements: employer A's demo account, or for
    the other demo employers one made here (`admin.<EIN digits>@demo.example`)."""
    from portal.demo import demo_user, get_or_create
    from sponsors.models import Membership

    membership = (
        Membership.objects.filter(employer=employer, role="employer_admin")
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    if membership is not None:
        return membership.user
    digits = "".join(character for character in employer.ein if character.isdigit()) or str(employer.pk)[:8]
    user = demo_user(f"admin.{digits}@demo.example", f"{employer.name.split()[0]} Administrator")
    get_or_create(Membership, {"user": user, "employer": employer}, {"role": "employer_admin"})
    return user


def demo_sign(apprenticeship, *, roles=("apprentice", "employer", "sponsor"), raps_admin=None) -> None:
    """The parties named by `roles` sign the apprenticeship's agreement as its current version
    is, as each would in the portal (the demo's RAPS admin for the sponsor)."""
    from sponsors.models import Membership

    from .services import agreement_current, agreement_sign

    if raps_admin is None:
        membership = Membership.objects.filter(sponsor=demo_sponsor(), role="raps_admin").select_related("user").first()
        assert membership is not None, "the sponsors' demo data has its RAPS admin"
        raps_admin = membership.user
    signers = {
        "apprentice": apprenticeship.apprentice,
        "employer": demo_employer_admin(apprenticeship.employer),
        "sponsor": raps_admin,
    }
    for role in roles:
        user = signers[role]
        agreement_sign(
            scope=caller_scope(user=user),
            apprenticeship=apprenticeship,
            signer=user,
            typed_name=user.full_name,
            consent=True,
            sha256=agreement_current(apprenticeship, by=user).sha256,
            role=role,
            ip_address=DEMO_SIGNER_ADDRESS,
            user_agent=DEMO_USER_AGENT,
        )


@demo_loader(order=36)
def load_agreement_awaiting_the_employer():
    """A registered apprentice at employer A whose agreement the apprentice and the RAPS admin
    signed: it waits for the employer administrator's signature (the demo's employer admin can
    sign it). Every apprenticeship the demo activated has its agreement signed by all three."""
    from sponsors.demo import demo_employers

    from .models import AgreementSignature, Apprenticeship, ApprenticeshipStatus

    registered = Apprenticeship.objects.filter(
        program__sponsor=demo_sponsor(), status=ApprenticeshipStatus.REGISTERED
    ).select_related("employer", "apprentice", "program")
    # At employer A if one is there: its administrator is a demo account that signs in.
    waiting = (
        registered.filter(employer=demo_employers()[0]).order_by("apprentice__email").first()
        or registered.order_by("apprentice__email").first()
    )
    if waiting is None:
        return []
    if not AgreementSignature.objects.filter(version__apprenticeship=waiting).exists():  # not loaded before
        demo_sign(waiting, roles=("apprentice", "sponsor"))
    from portal.demo import DemoAccount

    admin = demo_employer_admin(waiting.employer)
    return [DemoAccount(admin.email, f"employer administrator at {waiting.employer.name}: an agreement awaits you")]


# The demo sponsor's priority populations: ZIP codes of the demo's neighbourhoods south of
# downtown, and veterans (the summary's `outcomes.priority_populations`).
DEMO_POPULATIONS = [
    {
        "name": "South LA and Compton",
        "description": "Residents of the ZIP codes the county's workforce plan names first.",
        "criterion": "zip_code_in",
        "values": ["90805", "90220", "90301"],
    },
    {"name": "Veterans", "description": "", "criterion": "veteran", "values": []},
    {
        "name": "New hires",
        "description": "Not employed by the employer before.",
        "criterion": "employment_status_in",
        "values": ["NE"],
    },
]


@demo_loader(order=36)
def load_priority_populations():
    """Defined by the RAPS admin, as `POST priority-populations/` does."""
    from sponsors.models import Membership

    from .models import PriorityPopulation
    from .services import population_create

    sponsor = demo_sponsor()
    if PriorityPopulation.objects.filter(sponsor=sponsor).exists():
        return []
    admin_membership = Membership.objects.filter(sponsor=sponsor, role="raps_admin").select_related("user").first()
    assert admin_membership is not None, "the sponsors' demo data has its RAPS admin"
    admin = admin_membership.user
    for population in DEMO_POPULATIONS:
        population_create(scope=caller_scope(user=admin), created_by=admin, sponsor_id=sponsor.pk, **population)
    return []
