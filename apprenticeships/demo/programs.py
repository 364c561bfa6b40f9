"""Demo programs: the demo sponsor's standards for each of the eleven occupations (Appendix A's
work processes and competencies, the wage schedule, the milestones), and the catalog editors'
permissions of the demo's platform staff."""

from decimal import Decimal

from portal.demo import demo_loader
from sponsors.demo import demo_sponsor

from ..models import MilestoneKind, Occupation, Program
from ..selectors import caller_scope
from ..services import program_create

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
