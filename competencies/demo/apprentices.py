"""Demo apprentices and their hours: about thirty apprenticeships over every status, with
weekday logs, the demo apprentice a few weeks short of a wage step, a graduate (completed in
milestones.py), and an apprentice who reads Spanish."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from apprenticeships.demo import WORK_PROCESSES, demo_program, demo_sign
from apprenticeships.models import Apprenticeship, ApprenticeshipStatus
from apprenticeships.selectors import caller_scope
from apprenticeships.services import apprenticeship_register, apprenticeship_transition
from portal.demo import DemoAccount, demo_loader, demo_user
from portal.history import bulk_create_with_history
from sponsors.demo import demo_employers, demo_sponsor, demo_supervisor_emails
from sponsors.models import Membership

from ..models import HourKind, HourLog, HourLogStatus
from ..services import hour_totals_recompute

FIRST_NAMES = [
    "Maya",
    "Luis",
    "Keisha",
    "Tran",
    "Jordan",
    "Sofia",
    "Andre",
    "Priya",
    "Diego",
    "Aaliyah",
    "Min",
    "Carlos",
    "Imani",
    "Noah",
    "Grace",
    "Mateo",
    "Zoe",
    "Hiro",
    "Lena",
    "Omar",
    "Rosa",
    "Jamal",
    "Elena",
    "Kai",
    "Nia",
    "Victor",
    "Leah",
    "Sam",
    "Ana",
]
LAST_NAMES = [
    "Reyes",
    "Nguyen",
    "Johnson",
    "Kim",
    "Garcia",
    "Lee",
    "Martinez",
    "Brown",
    "Lopez",
    "Patel",
    "Davis",
    "Chen",
    "Hernandez",
    "Wilson",
    "Flores",
    "Jackson",
    "Torres",
    "Moore",
    "Rivera",
    "Young",
    "Ramos",
    "Scott",
    "Diaz",
    "Green",
    "Cruz",
    "Hall",
    "Vargas",
    "Allen",
    "Ortiz",
]
STATUS_PLAN = ["active"] * 20 + ["registered"] * 3 + ["suspended"] * 3 + ["cancelled"] * 3
# Completed through the API's way (every competency signed off, the completion milestone
# approved) with milestones still pending, which the completion superseded.
GRADUATE = "graduate@demo.example"
# An apprentice who reads Spanish first (User.language "es"): the portal answers and notifies
# Luis in Spanish.
SPANISH_SPEAKER = "apprentice02@demo.example"
SPANISH_ACCOUNT = DemoAccount(
    SPANISH_SPEAKER, "apprentice who reads Spanish (language es): answers and notices in Spanish"
)


def _weekdays(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += datetime.timedelta(days=1)


def _registration(rng: random.Random, first: str, last: str, born: datetime.date) -> dict:
    return {
        "first_name": first,
        "last_name": last,
        "date_of_birth": born,
        "ssn": f"{rng.randint(100, 665):03d}-{rng.randint(10, 99):02d}-{rng.randint(1000, 9999):04d}",
        "gender": rng.choice(["F", "M", "9"]),
        "employment_status": rng.choice(["NE", "NE", "EE"]),
        "street_address": f"{rng.randint(100, 9999)} {rng.choice(['Main St', 'Vermont Ave', 'Figueroa St', 'Pico Blvd'])}",
        "city": rng.choice(["Los Angeles", "Long Beach", "Inglewood", "Pasadena", "Compton"]),
        "state": "CA",
        "zip_code": rng.choice(["90012", "90805", "90301", "91101", "90220"]),
        "telephone": f"(213) 555-{rng.randint(1000, 9999)}",
        "ethnicity": rng.choice([1, 2, 9]),
        "race_american_indian_alaskan_native": rng.choice([0, 0, 9]),
        "race_asian": rng.choice([0, 1, 9]),
        "race_black_african_american": rng.choice([0, 1, 9]),
        "race_native_hawaiian_pacific_islander": rng.choice([0, 0, 9]),
        "race_white": rng.choice([0, 1, 9]),
        "veteran_status": rng.choice([2, 2, 2, 1]),
        "disability_status": rng.choice([2, 2, 1, 9]),
        "education_level": rng.choice([3, 6, 6, 7]),
        "prior_wage": Decimal(rng.randint(16, 20)),
        "prior_wage_unit": "H",
        "career_connection": rng.choice(["P", "C", "N"]),
        "student_status": "NA",
    }


def _logs(rng, apprenticeship, *, until, ojt_target, supervisor, processes, submitted_days=0, rti_target=None):
    """Weekday OJT logs of 6-8 h, approved by the supervisor, until `ojt_target` hours; a weekly
    3 h RTI class on Wednesdays, approved by the sponsor, while OJT is logged (or, with
    `rti_target`, until that many RTI hours); the last `submitted_days` weekdays submitted by the
    apprentice and waiting."""
    now = timezone.now()
    rti_logger_membership = Membership.objects.filter(sponsor=apprenticeship.program.sponsor, role="raps_admin").first()
    assert rti_logger_membership is not None, "the sponsors' demo data has its RAPS admin"
    rti_logger = rti_logger_membership.user
    logs, total, rti_total = [], Decimal("0"), Decimal("0")
    days = list(_weekdays(apprenticeship.start_date, until))
    for index, day in enumerate(days):
        waiting = index >= len(days) - submitted_days
        ojt_done = not waiting and total >= ojt_target
        if ojt_done and (rti_target is None or rti_total >= rti_target):
            continue
        hours = Decimal("0") if ojt_done else Decimal(rng.choice(["6.00", "7.50", "8.00", "8.00", "8.00"]))
        if not waiting:
            hours = min(hours, ojt_target - total)
            total += hours
        if hours > 0:
            process = processes[min(int(total / Decimal("2000") * len(processes)), len(processes) - 1)]
            logs.append(
                HourLog(
                    apprenticeship=apprenticeship,
                    employer_id=apprenticeship.employer_id,
                    date=day,
                    hours=hours,
                    kind=HourKind.OJT,
                    work_process=process,
                    description=f"{process.title}: assigned work",
                    status=HourLogStatus.SUBMITTED if waiting else HourLogStatus.APPROVED,
                    logged_by=apprenticeship.apprentice if waiting else supervisor,
                    reviewed_by=None if waiting else supervisor,
                    reviewed_at=None if waiting else now,
                )
            )
        rti_class = Decimal("3.00") if rti_target is None else min(Decimal("3.00"), rti_target - rti_total)
        if day.weekday() == 2 and not waiting and rti_class > 0:
            rti_total += rti_class
            logs.append(
                HourLog(
                    apprenticeship=apprenticeship,
                    employer_id=apprenticeship.employer_id,
                    date=day,
                    hours=rti_class,
                    kind=HourKind.RTI,
                    course="Related instruction, weekly class",
                    instruction_provider=apprenticeship.program.rti_provider,
                    status=HourLogStatus.APPROVED,
                    logged_by=rti_logger,
                    reviewed_by=rti_logger,
                    reviewed_at=now,
                )
            )
    return logs


@demo_loader(order=30)
def load_apprenticeships():
    sponsor = demo_sponsor()
    if Apprenticeship.objects.filter(program__sponsor=sponsor).exists():
        return [SPANISH_ACCOUNT]
    rng = random.Random(2026)
    today = timezone.localdate()
    admin_membership = Membership.objects.filter(sponsor=sponsor, role="raps_admin").first()
    assert admin_membership is not None, "the sponsors' demo data has its RAPS admin"
    admin = admin_membership.user
    scope = caller_scope(user=admin)
    employers = demo_employers()
    supervisors = {ein: demo_user(email, "") for ein, email in demo_supervisor_emails().items()}
    occupations = list(WORK_PROCESSES)
    logs: list[HourLog] = []
    plan = [("apprentice@demo.example", "Ari", "Alvarez", "Web Developer", employers[0], "active")]
    for number, status in enumerate(STATUS_PLAN, start=1):
        plan.append(
            (
                f"apprentice{number:02d}@demo.example",
                FIRST_NAMES[number - 1],
                LAST_NAMES[number - 1],
                occupations[number % len(occupations)],
                employers[number % len(employers)],
                status,
            )
        )
    plan.append((GRADUATE, "Rosa", "Delgado", "Web Developer", employers[0], "active"))
    for email, first, last, occupation, employer, status in plan:
        demo_user(email, f"{first} {last}", **({"language": "es"} if email == SPANISH_SPEAKER else {}))
        program = demo_program(occupation)
        demo_apprentice = email == "apprentice@demo.example"
        graduate = email == GRADUATE
        started = today - datetime.timedelta(days=190 if demo_apprentice else 820 if graduate else rng.randint(60, 420))
        apprenticeship = apprenticeship_register(
            scope=scope,
            registered_by=admin,
            program_id=program.pk,
            employer_id=employer.pk,
            apprentice_email=email,
            mentor_id=supervisors[employer.ein].pk,
            start_date=started,
            expected_end_date=started + datetime.timedelta(days=rng.choice([365, 450, 540])),
            entry_wage=Decimal("17.60"),
            registration=_registration(
                rng, first, last, datetime.date(1990 + rng.randint(0, 14), rng.randint(1, 12), rng.randint(1, 28))
            ),
            # Drawn here, in the order of the arguments, so the demo's random draws stay as they were.
            ojt_credit_hours=(
                credit := Decimal(rng.choice([0, 0, 0, 120])) if not (demo_apprentice or graduate) else Decimal("0")
            ),
            credit_basis="Prior IT internship, 120 h (supervisor's letter on file)" if credit else "",
        )
        if status == ApprenticeshipStatus.REGISTERED:
            continue
        demo_sign(apprenticeship, raps_admin=admin)  # active only under a signed agreement
        apprenticeship_transition(
            scope=scope,
            apprenticeship=apprenticeship,
            to="active",
            reason="started work",
            changed_by=admin,
            effective_date=started,
        )
        processes = list(program.work_processes.all())
        supervisor = supervisors[employer.ein]
        if demo_apprentice:
            # Several hundred approved OJT hours (the next wage step, at 1,000 h, within 200 h),
            # some RTI, and a few days waiting for the supervisor's approval.
            logs += _logs(
                rng,
                apprenticeship,
                until=today - datetime.timedelta(days=1),
                ojt_target=Decimal("860"),
                supervisor=supervisor,
                processes=processes,
                submitted_days=3,
            )
            continue
        if graduate:
            # Every OJT and RTI hour the program requires (completed in load_milestones).
            logs += _logs(
                rng,
                apprenticeship,
                until=today - datetime.timedelta(days=30),
                ojt_target=program.ojt_hours_required,
                rti_target=program.rti_hours_required,
                supervisor=supervisor,
                processes=processes,
            )
            continue
        worked_until = today - datetime.timedelta(days=rng.randint(1, 20))
        if status in (ApprenticeshipStatus.SUSPENDED, ApprenticeshipStatus.CANCELLED):
            worked_until = started + (today - started) / 2
        logs += _logs(
            rng,
            apprenticeship,
            until=worked_until,
            ojt_target=Decimal(rng.randint(150, 1900)),
            supervisor=supervisor,
            processes=processes,
            submitted_days=rng.choice([0, 0, 2]) if status == "active" else 0,
        )
        if status == ApprenticeshipStatus.SUSPENDED:
            apprenticeship_transition(
                scope=scope,
                apprenticeship=apprenticeship,
                to="suspended",
                reason="leave of absence",
                changed_by=admin,
                effective_date=worked_until,
            )
        elif status == ApprenticeshipStatus.CANCELLED:
            apprenticeship_transition(
                scope=scope,
                apprenticeship=apprenticeship,
                to="cancelled",
                reason="left the employer",
                exit_reason="found_other_employment",
                changed_by=admin,
                effective_date=worked_until,
            )
    bulk_create_with_history(logs, HourLog, batch_size=2000, default_change_reason="demo data")
    for apprenticeship in Apprenticeship.objects.filter(program__sponsor=sponsor):
        hour_totals_recompute(apprenticeship=apprenticeship)
    return [SPANISH_ACCOUNT]
