"""Demo sponsor, employers and staff accounts."""

import datetime

from portal.demo import DemoAccount, demo_loader, demo_user
from portal.history import with_reason

from .models import Employer, Membership, Participation, Sponsor

DEMO_SPONSOR_NUMBER = "CA-2019-HRTP-0001"

DEMO_EMPLOYERS = [
    # (name, EIN, city, NAICS)
    ("Employer A: Eastside Web Studio", "95-4000001", "Los Angeles", "541511"),
    ("Employer B: Harbor Data Works", "95-4000002", "Long Beach", "518210"),
    ("Crenshaw Cloud Services", "95-4000003", "Inglewood", "541512"),
    ("Valley Digital Media", "95-4000004", "Van Nuys", "512110"),
    ("South Bay Secure IT", "95-4000005", "Torrance", "541519"),
]


def _get_or_create(model, lookup: dict, defaults: dict):
    found = model.objects.filter(**lookup).first()
    if found is None:
        found = with_reason(model(**lookup, **defaults), "demo data")
        found.save()
    return found


def demo_sponsor() -> Sponsor:
    return Sponsor.objects.get(registration_number=DEMO_SPONSOR_NUMBER)


def demo_employers() -> list[Employer]:
    return [Employer.objects.get(ein=ein) for _name, ein, _city, _naics in DEMO_EMPLOYERS]


@demo_loader(order=10)
def load_sponsors() -> list[DemoAccount]:
    sponsor = _get_or_create(
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
    for name, ein, city, naics in DEMO_EMPLOYERS:
        employer = _get_or_create(
            Employer, {"ein": ein}, {"name": name, "city": city, "state": "CA", "naics_code": naics}
        )
        _get_or_create(
            Participation, {"sponsor": sponsor, "employer": employer}, {"joined_on": datetime.date(2020, 1, 6)}
        )
        employers.append(employer)
    employer_a, employer_b = employers[0], employers[1]

    demo_user("platform.staff@demo.example", "Pat Platform", is_staff=True, is_superuser=True)
    raps_admin = demo_user("raps.admin@demo.example", "Rae Ramirez")
    supervisor_a = demo_user("employer.supervisor@demo.example", "Sam Soto")
    admin_a = demo_user("employer.admin@demo.example", "Ada Alvarez")
    supervisor_b = demo_user("other.employer@demo.example", "Bo Bautista")
    demo_user("apprentice@demo.example", "Ari Apprentice")
    for user, lookup, role in [
        (raps_admin, {"sponsor": sponsor}, "raps_admin"),
        (supervisor_a, {"employer": employer_a}, "supervisor"),
        (admin_a, {"employer": employer_a}, "employer_admin"),
        (supervisor_b, {"employer": employer_b}, "supervisor"),
    ]:
        _get_or_create(Membership, {"user": user, **lookup}, {"role": role})
    return [
        DemoAccount("raps.admin@demo.example", f"RAPS administrator of {sponsor.name}"),
        DemoAccount("employer.supervisor@demo.example", f"supervisor at {employer_a.name}"),
        DemoAccount("employer.admin@demo.example", f"employer administrator at {employer_a.name}"),
        DemoAccount("other.employer@demo.example", f"supervisor at {employer_b.name}"),
        DemoAccount("apprentice@demo.example", "apprentice at Employer A"),
        DemoAccount("platform.staff@demo.example", "platform staff: Django admin at /admin/"),
    ]
