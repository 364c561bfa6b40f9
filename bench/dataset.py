"""Builds the sponsor-scale dataset of the benchmark, at database speed.

1 sponsor, 50 employers, 11 programs, 5,000 apprenticeships, 20,000 notifications, and hour logs
in two stages (10,000, then up to 1,000,000) so that progress can be measured at both sizes;
the second stage adds the submitted logs that bulk_approve_200 approves, 200 a request.
Small tables go through bulk_create; hour logs and notifications through PostgreSQL's COPY.
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
from bench.harness import BULK_DESCRIPTION, BULK_SUPERVISORS  # noqa: E402
from competencies.models import Milestone  # noqa: E402
from portal.models import User  # noqa: E402
from portal.progress import Progress, progress  # noqa: E402
from sponsors.models import Employer, Membership, Participation, Sponsor  # noqa: E402

PASSWORD = "bench-password-2026"
EMPLOYERS, APPRENTICESHIPS, NOTIFICATIONS = 50, 5000, 20000
LOGS_PER_APPRENTICESHIP = 200  # 5,000 x 200 = 1,000,000
FIRST_STAGE_LOGS = 2  # per apprenticeship: 10,000 in all
HOURS_PER_LOG = Decimal("5.00")
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


def _log_rows(first: int, last: int):
    """Logs number `first` to `last - 1` of every apprenticeship: weekdays back from yesterday,
    the newest first; every tenth an RTI log; the two newest of each apprenticeship submitted.
    Reads what it needs before it yields (the connection is busy with COPY afterwards)."""
    now = timezone.now()
    today = timezone.localdate()
    weekdays = []
    day = today - datetime.timedelta(days=1)
    while len(weekdays) < LOGS_PER_APPRENTICESHIP:
        if day.weekday() < 5:
            weekdays.append(day)
        day -= datetime.timedelta(days=1)
    processes = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT program_id, id FROM apprenticeships_workprocess ORDER BY position")
        for program_id, process_id in cursor.fetchall():
            processes.setdefault(program_id, process_id)
        cursor.execute(
            "SELECT a.id, a.program_id, a.apprentice_id, m.user_id, a.employer_id FROM apprenticeships_apprenticeship a "
            "JOIN sponsors_membership m ON m.employer_id = a.employer_id ORDER BY a.id"
        )
        apprenticeships = cursor.fetchall()
    return _yield_logs(first, last, weekdays, processes, apprenticeships, now)


def _yield_logs(first, last, weekdays, processes, apprenticeships, now):
    for number in range(first, last):
        day = weekdays[number]
        for apprenticeship_id, program_id, apprentice_id, supervisor_id, employer_id in apprenticeships:
            rti = number % 10 == 9
            submitted = number < 2
            yield (
                uuid.uuid4(),
                now,
                now,
                apprenticeship_id,
                employer_id,
                day,
                HOURS_PER_LOG,
                "rti" if rti else "ojt",
                None if rti else processes[program_id],
                "",
                "",
                "bench",
                apprentice_id if submitted else supervisor_id,
                "submitted" if submitted else "approved",
                None if submitted else supervisor_id,
                None if submitted else now,
                "",
            )


HOUR_LOG_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "apprenticeship_id",
    "employer_id",
    "date",
    "hours",
    "kind",
    "work_process_id",
    "course",
    "instruction_provider",
    "description",
    "logged_by_id",
    "status",
    "reviewed_by_id",
    "reviewed_at",
    "review_note",
]


def recompute_totals() -> None:
    """The running totals, rebuilt from the logs in SQL (what competencies.services keeps per change)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM competencies_hourtotals")
        cursor.execute("DELETE FROM competencies_workprocesstotal")
        cursor.execute(
            """
            INSERT INTO competencies_hourtotals
                (apprenticeship_id, program_id, employer_id, status,
                 ojt_approved, ojt_pending, rti_approved, rti_pending, pending_logs, logs, last_logged_on)
            SELECT a.id, a.program_id, a.employer_id, a.status,
                   COALESCE(SUM(l.hours) FILTER (WHERE l.kind = 'ojt' AND l.status = 'approved'), 0),
                   COALESCE(SUM(l.hours) FILTER (WHERE l.kind = 'ojt' AND l.status = 'submitted'), 0),
                   COALESCE(SUM(l.hours) FILTER (WHERE l.kind = 'rti' AND l.status = 'approved'), 0),
                   COALESCE(SUM(l.hours) FILTER (WHERE l.kind = 'rti' AND l.status = 'submitted'), 0),
                   COUNT(l.id) FILTER (WHERE l.status = 'submitted'),
                   COUNT(l.id),
                   MAX(l.date)
            FROM apprenticeships_apprenticeship a LEFT JOIN competencies_hourlog l ON l.apprenticeship_id = a.id
            GROUP BY a.id
            """
        )
        cursor.execute(
            """
            INSERT INTO competencies_workprocesstotal (apprenticeship_id, work_process_id, approved_hours, competencies_signed_off)
            SELECT apprenticeship_id, work_process_id, SUM(hours), 0 FROM competencies_hourlog
            WHERE kind = 'ojt' AND status = 'approved' GROUP BY apprenticeship_id, work_process_id
            """
        )


def _bulk_rows():
    """The submitted logs of the bulk approval row: 2 per apprenticeship and round, round `r`'s
    described "bench bulk r"."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT program_id, id FROM apprenticeships_workprocess ORDER BY position")
        processes: dict = {}
        for program_id, process_id in cursor.fetchall():
            processes.setdefault(program_id, process_id)
        cursor.execute(
            "SELECT a.id, a.program_id, a.apprentice_id, a.employer_id, a.start_date FROM apprenticeships_apprenticeship a "
            "JOIN sponsors_employer e ON e.id = a.employer_id WHERE e.name = ANY(%s) ORDER BY a.id",
            [[f"Employer {n:02d}" for n in range(BULK_SUPERVISORS)]],
        )
        apprenticeships = cursor.fetchall()
    return (
        (
            uuid.uuid4(),
            now,
            now,
            apprenticeship_id,
            employer_id,
            start + datetime.timedelta(days=2 * round_ + n),
            HOURS_PER_LOG,
            "ojt",
            processes[program_id],
            "",
            "",
            f"{BULK_DESCRIPTION} {round_}",
            apprentice_id,
            "submitted",
            None,
            None,
            "",
        )
        for round_ in range(BULK_ROUNDS)
        for n in range(2)
        for apprenticeship_id, program_id, apprentice_id, employer_id, start in apprenticeships
    )


def add_logs(first: int, last: int, *, for_bulk: bool = False) -> dict:
    started = time.monotonic()
    log(f"hour logs {first} to {last - 1} of each apprenticeship")
    with transaction.atomic():
        rows = copy_rows("competencies_hourlog", HOUR_LOG_COLUMNS, _log_rows(first, last))
        if for_bulk:
            rows += copy_rows("competencies_hourlog", HOUR_LOG_COLUMNS, _bulk_rows())
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
