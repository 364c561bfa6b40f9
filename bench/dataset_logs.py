"""The hour logs of the benchmark's dataset: their rows, as COPY writes them, and the running totals.

bench/dataset.py loads them; this module only makes the rows and rebuilds the totals in SQL. The
dataset's sizes (how many employers, apprenticeships, bulk rounds) are bench/dataset.py's, which
chaos/dataset.py shrinks: what this module needs of them it is given.
"""

import datetime
import uuid
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from bench.harness import BULK_DESCRIPTION

LOGS_PER_APPRENTICESHIP = 200  # 5,000 x 200 = 1,000,000
HOURS_PER_LOG = Decimal("5.00")


def log_rows(first: int, last: int):
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


def bulk_rows(supervisors: int, rounds: int):
    """The submitted logs of the bulk approval row: 2 per apprenticeship and round of the first
    `supervisors` employers, round `r`'s described "bench bulk r". The counts come from
    bench/dataset.py (BULK_SUPERVISORS, BULK_ROUNDS), where chaos/dataset.py sets them."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT program_id, id FROM apprenticeships_workprocess ORDER BY position")
        processes: dict = {}
        for program_id, process_id in cursor.fetchall():
            processes.setdefault(program_id, process_id)
        cursor.execute(
            "SELECT a.id, a.program_id, a.apprentice_id, a.employer_id, a.start_date FROM apprenticeships_apprenticeship a "
            "JOIN sponsors_employer e ON e.id = a.employer_id WHERE e.name = ANY(%s) ORDER BY a.id",
            [[f"Employer {n:02d}" for n in range(supervisors)]],
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
        for round_ in range(rounds)
        for n in range(2)
        for apprenticeship_id, program_id, apprentice_id, employer_id, start in apprenticeships
    )
