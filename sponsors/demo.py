"""Demo sponsor, employers and staff accounts."""

import datetime

from portal.demo import DemoAccount, demo_loader, demo_user, get_or_create
from portal.history import with_reason

from .models import Employer, Membership, Participation, Sponsor

DEMO_SPONSOR_NUMBER = "CA-2019-HRTP-0001"
PLATFORM_STAFF_EMAIL = "platform.staff@demo.example"

DEMO_EMPLOYERS = [
    # (name, EIN, city, NAICS, the supervisor who logs its apprentices' hours)
    ("Employer A: Eastside Web Studio", "95-4000001", "Los Angeles", "541511", "employer.supervisor@demo.example"),
    ("Employer B: Harbor Data Works", "95-4000002", "Long Beach", "518210", "other.employer@demo.example"),
    ("Crenshaw Cloud Services", "95-4000003", "Inglewood", "541512", "crenshaw.supervisor@demo.example"),
    ("Valley Digital Media", "95-4000004", "Van Nuys", "512110", "valley.supervisor@demo.example"),
    ("South Bay Secure IT", "95-4000005", "Torrance", "541519", "southbay.supervisor@demo.example"),
]


def demo_sponsor() -> Sponsor:
    return Sponsor.objects.get(registration_number=DEMO_SPONSOR_NUMBER)


def demo_employers() -> list[Employer]:
    return [Employer.objects.get(ein=ein) for _name, ein, _city, _naics, _supervisor in DEMO_EMPLOYERS]


def demo_supervisor_emails() -> dict[str, str]:
    """EIN -> the e-mail of the supervisor who logs that employer's hours."""
    return {ein: supervisor for _name, ein, _city, _naics, supervisor in DEMO_EMPLOYERS}


@demo_loader(order=10)
def load_sponsors() -> list[DemoAccount]:
    sponsor = get_or_create(
        Sponsor,
        {"registration_number": DEMO_SPONSOR_NUMBER},
        {
            "name": "Technology High Road Training Partnership (demo)",
            "registration_agency": "state",
            "agency_state": "CA",
            "sponsor_type": "intermediary",
            "registration_date": datetime.date(2019, 7, 1),
            "contact_name": "Rae Ramirez",
            "contact_email": "raps.admin@demo.example",
            "contact_phone": "(213) 555-0100",
        },
    )
    employers = []
    for name, ein, city, naics, _supervisor in DEMO_EMPLOYERS:
        employer = get_or_create(
            Employer,
            {"ein": ein},
            {"name": name, "city": city, "state": "CA", "naics_code": naics, "journeyworkers": 12},
        )
        get_or_create(
            Participation, {"sponsor": sponsor, "employer": employer}, {"joined_on": datetime.date(2020, 1, 6)}
        )
        employers.append(employer)
    employer_a, employer_b = employers[0], employers[1]

    # Platform staff use the admin with the catalog's permissions (apprenticeships/demo/programs.py), not
    # as superusers: a superuser could do there what the portal's rules refuse.
    staff = demo_user(PLATFORM_STAFF_EMAIL, "Pat Platform", is_staff=True)
    if staff.is_superuser or not staff.is_staff:  # a demo database loaded before
        staff.is_staff, staff.is_superuser = True, False
        with_reason(staff, "demo data: platform staff keep the catalog, not superusers").save()
    raps_admin = demo_user("raps.admin@demo.example", "Rae Ramirez")
    supervisor_a = demo_user("employer.supervisor@demo.example", "Sam Soto")
    admin_a = demo_user("employer.admin@demo.example", "Ada Alvarez")
    supervisor_b = demo_user("other.employer@demo.example", "Bo Bautista")
    demo_user("apprentice@demo.example", "Ari Apprentice")
    other_supervisors = [
        (demo_user(email, f"{employer.name.split()[0]} Supervisor"), {"employer": employer}, "supervisor")
        for employer, (_name, _ein, _city, _naics, email) in zip(employers[2:], DEMO_EMPLOYERS[2:], strict=True)
    ]
    for user, lookup, role in [
        (raps_admin, {"sponsor": sponsor}, "raps_admin"),
        (supervisor_a, {"employer": employer_a}, "supervisor"),
        (admin_a, {"employer": employer_a}, "employer_admin"),
        (supervisor_b, {"employer": employer_b}, "supervisor"),
        *other_supervisors,
    ]:
        get_or_create(Membership, {"user": user, **lookup}, {"role": role})
    return [
        DemoAccount("raps.admin@demo.example", f"RAPS administrator of {sponsor.name}"),
        DemoAccount("employer.supervisor@demo.example", f"supervisor at {employer_a.name}"),
        DemoAccount("employer.admin@demo.example", f"employer administrator at {employer_a.name}"),
        DemoAccount("other.employer@demo.example", f"supervisor at {employer_b.name}"),
        DemoAccount("apprentice@demo.example", "apprentice at Employer A"),
        DemoAccount(PLATFORM_STAFF_EMAIL, "platform staff: Django admin at /admin/ (the catalog)"),
    ]
