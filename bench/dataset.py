"""Builds the sponsor-scale dataset of the benchmark, at database speed.

1 sponsor, 50 employers, 11 programs, 5,000 apprenticeships, 20,000 notifications, and hour logs
in two stages (10,000, then up to 1,000,000) so that progress can be measured at both sizes;
the second stage adds the submitted logs that bulk_approve_200 approves, 200 a request.
Small tables go through bulk_create; hour logs and notifications through PostgreSQL's COPY (the
hour logs' rows and running totals: bench/dataset_logs.py).
Run inside Django (python -m bench.dataset STAGE) with the benchmark's database configured.
"""

import datetime
import json
import sys
import time
import uuid
from decimal import Decimal

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from apprenticeships.demo import OJT_HOURS, PROBATION_HOURS, RTI_HOURS, WAGE_SCHEDULE, WORK_PROCESSES  # noqa: E402
from apprenticeships.models import ApprenticeRegistration, Apprenticeship, MilestoneDefinition, Occupation  # noqa: E402
from apprenticeships.selectors import caller_scope  # noqa: E402
from apprenticeships.services import program_create  # noqa: E402
from bench.dataset_logs import (  # noqa: E402
    HOUR_LOG_COLUMNS,
    LOGS_PER_APPRENTICESHIP,
    bulk_rows,
    log_rows,
    recompute_totals,
)
from bench.harness import BULK_SUPERVISORS  # noqa: E402
from competencies.models import Milestone  # noqa: E402
from portal.models import User  # noqa: E402
from portal.progress import Progress, progress  # noqa: E402
from sponsors.models import Employer, Membership, Participation, Sponsor  # noqa: E402

PASSWORD = "bench-password-2026"
EMPLOYERS, APPRENTICESHIPS, NOTIFICATIONS = 50, 5000, 20000
# Hour logs: LOGS_PER_APPRENTICESHIP of each apprenticeship (200, bench/dataset_logs.py), 1,000,000.
FIRST_STAGE_LOGS = 2  # per apprenticeship: 10,000 in all
# The bulk approval row (bulk_approve_200): submitted logs it approves 200 at a time, each request
# a supervisor's fresh 200 (2 logs of each of their employer's 100 apprenticeships), on days
# older than every other log so that no list's first page shows them. BULK_SUPERVISORS x
# BULK_ROUNDS requests (300), 60,000 logs.
BULK_ROUNDS = 30


# What the loader is doing: a line every few seconds says it (portal.progress).
_state: Progress | None = None


def log(message: str) -> None:
    print(f"  dataset: {message}", flush=True)
    if _state is not None:
        _state.start_phase(message)


def _print(line: str) -> None:
    print(f"  {line}", flush=True)


def copy_rows(table: str, columns: list[str], rows) -> int:
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
            if _state is not None:
                _state.advance()
    return count


def build_base() -> dict:
    """Everything but the hour logs. Returns the counts and seconds."""
    started = time.monotonic()
    log("sponsor, employers, programs, apprenticeships, notifications")
    password = make_password(PASSWORD)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        sponsor = Sponsor.objects.create(
            name="Bench Sponsor",
            registration_number="BENCH-0001",
            registration_agency="state",
            agency_state="CA",
            sponsor_type="intermediary",
            registration_date=datetime.date(2015, 1, 1),
        )
        admin = User.objects.create(email="admin@bench.example", full_name="Bench Admin", password=password)
        Membership.objects.create(user=admin, sponsor=sponsor, role="raps_admin")
        employers = Employer.objects.bulk_create(
            [Employer(name=f"Employer {n:02d}", ein=f"90-{5000000 + n}", journeyworkers=1000) for n in range(EMPLOYERS)]
        )
        Participation.objects.bulk_create(
            [Participation(sponsor=sponsor, employer=e, joined_on=datetime.date(2016, 1, 4)) for e in employers]
        )
        supervisors = User.objects.bulk_create(
            [
                User(email=f"supervisor{n:02d}@bench.example", full_name=f"Supervisor {n:02d}", password=password)
                for n in range(EMPLOYERS)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(user=u, employer=e, role="supervisor") for u, e in zip(supervisors, employers, strict=True)]
        )
        programs = []
        for occupation in Occupation.objects.filter(title__in=WORK_PROCESSES).order_by("title"):
            processes = WORK_PROCESSES[occupation.title]
            programs.append(
                program_create(
                    scope=caller_scope(user=admin),
                    sponsor_id=sponsor.pk,
                    created_by=admin,
                    occupation=occupation,
                    ojt_hours_required=OJT_HOURS,
                    rti_hours_required=RTI_HOURS,
                    term_months=12,
                    probation_hours=PROBATION_HOURS,
                    rti_provider="Bench College",
                    work_processes=[
                        {
                            "title": t,
                            "target_hours": Decimal(h),
                            "competencies": [{"code": f"{i}.{j}", "title": s} for j, s in enumerate(skills, 1)],
                        }
                        for i, (t, h, skills) in enumerate(processes, 1)
                    ],
                    wage_steps=[
                        {"name": n, "starts_at_ojt_hours": Decimal(s), "wage": Decimal(w)} for n, s, w in WAGE_SCHEDULE
                    ],
                    milestone_definitions=[
                        {"name": "Probation complete", "kind": "probation", "threshold_hours": PROBATION_HOURS},
                        {"name": "Halfway", "kind": "ojt_hours", "threshold_hours": Decimal("1000")},
                        {"name": "Complete", "kind": "completion", "threshold_hours": None},
                    ],
                )
            )
        apprentices = User.objects.bulk_create(
            [
                User(email=f"apprentice{n:04d}@bench.example", full_name=f"Apprentice {n:04d}", password=password)
                for n in range(APPRENTICESHIPS)
            ],
            batch_size=1000,
        )
        staff_and_admin = [admin, *supervisors]
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=u, email=u.email, verified=True, primary=True)
                for u in [*staff_and_admin, *apprentices]
            ],
            batch_size=2000,
        )
        start = today - datetime.timedelta(days=400)
        apprenticeships = Apprenticeship.objects.bulk_create(
            [
                Apprenticeship(
                    apprentice=apprentice,
                    program=programs[n % len(programs)],
                    employer=employers[n % EMPLOYERS],
                    mentor=supervisors[n % EMPLOYERS],
                    start_date=start,
                    expected_end_date=today + datetime.timedelta(days=200),
                    status="active",
                    entry_wage=Decimal("17.60"),
                    status_changed_on=start,
                    current_wage_step=None,
                )
                for n, apprentice in enumerate(apprentices)
            ],
            batch_size=1000,
        )
        ApprenticeRegistration.objects.bulk_create(
            [
                ApprenticeRegistration(
                    apprenticeship=a,
                    first_name="Bench",
                    last_name=f"Apprentice{n:04d}",
                    date_of_birth=datetime.date(1999, 1, 1),
                    gender="9",
                    employment_status="NE",
                    street_address="1 Main St",
                    city="Los Angeles",
                    state="CA",
                    zip_code="90012",
                    ethnicity=9,
                    race_american_indian_alaskan_native=9,
                    race_asian=9,
                    race_black_african_american=9,
                    race_native_hawaiian_pacific_islander=9,
                    race_white=9,
                    veteran_status=2,
                    disability_status=2,
                    education_level=3,
                )
                for n, a in enumerate(apprenticeships)
            ],
            batch_size=1000,
        )
        probation = {d.program_id: d for d in MilestoneDefinition.objects.filter(kind="probation")}
        Milestone.objects.bulk_create(
            [
                Milestone(
                    apprenticeship=a,
                    program_id=a.program_id,
                    employer_id=a.employer_id,
                    definition=probation[a.program_id],
                    reached_at=now,
                    basis="ojt=500.00",
                )
                for a in apprenticeships[: APPRENTICESHIPS // 10]
            ]
        )
        recipients = [user.pk for user in (*staff_and_admin, *apprentices[:950])]
        notifications = copy_rows(
            "notifications_notification",
            [
                "id",
                "created_at",
                "updated_at",
                "recipient_id",
                "email_to",
                "event",
                "title",
                "body",
                "body_html",
                "link",
                "subject_id",
                "in_app",
                "email_state",
                "email_attempts",
                "email_sent_at",
                "email_last_error",
                "language",
            ],
            (
                (
                    uuid.uuid4(),
                    now - datetime.timedelta(minutes=n),
                    now,
                    recipients[n % len(recipients)],
                    "",
                    "hours_approved",
                    "8.00 h of on-the-job hours recorded",
                    "8.00 h were logged and approved for you.",
                    "",
                    "",
                    "",
                    True,
                    "sent",
                    1,
                    now,
                    "",
                    "en",
                )
                for n in range(NOTIFICATIONS)
            ),
        )
    return {
        "seconds": time.monotonic() - started,
        "counts": {
            "sponsors": 1,
            "employers": EMPLOYERS,
            "programs": len(programs),
            "apprenticeships": len(apprenticeships),
            "notifications": notifications,
            "users": len(apprentices) + len(staff_and_admin),
        },
    }


def add_logs(first: int, last: int, *, for_bulk: bool = False) -> dict:
    started = time.monotonic()
    log(f"hour logs {first} to {last - 1} of each apprenticeship")
    with transaction.atomic():
        rows = copy_rows("competencies_hourlog", HOUR_LOG_COLUMNS, log_rows(first, last))
        if for_bulk:
            # Read here, where chaos/dataset.py sets them for its smaller run.
            rows += copy_rows("competencies_hourlog", HOUR_LOG_COLUMNS, bulk_rows(BULK_SUPERVISORS, BULK_ROUNDS))
        log("running totals")
        recompute_totals()
    log("vacuum analyze")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load, now
    seconds = time.monotonic() - started
    return {"rows": rows, "seconds": seconds, "rows_per_second": rows / seconds if seconds else None}


if __name__ == "__main__":
    stage = sys.argv[1]
    with progress("dataset", _print) as _state:
        if stage == "base":
            result = build_base()
            result["logs"] = add_logs(0, FIRST_STAGE_LOGS)
        else:
            result = {"logs": add_logs(FIRST_STAGE_LOGS, LOGS_PER_APPRENTICESHIP, for_bulk=True)}
    print("RESULT " + json.dumps(result), flush=True)
