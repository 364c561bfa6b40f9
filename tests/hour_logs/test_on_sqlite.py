"""The quick start runs on SQLite (no DATABASE_URL): the statements that the hour-log services
write in SQL (competencies/services.py) must run there as on PostgreSQL. This test runs them in a
separate process on a new SQLite database and reads back what they decided."""

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

from competencies.models import HourTotals, WorkProcessTotal
from competencies import services
from competencies.services import HourEntry
from tests import factories
from tests.hour_logs.records import scope_of, totals_of

apprenticeship = factories.ApprenticeshipFactory()
process = factories.WorkProcessFactory(program=apprenticeship.program)
apprentice = apprenticeship.apprentice
supervisor = factories.UserFactory()
factories.MembershipFactory(user=supervisor, employer=apprenticeship.employer, role="supervisor")
first_day = apprenticeship.start_date
HourTotals.objects.filter(apprenticeship=apprenticeship).delete()  # a missing row is created


def log(user, hours, day):
    entry = HourEntry(
        apprenticeship_id=apprenticeship.pk, date=day, hours=Decimal(hours), kind="ojt", work_process=str(process.pk)
    )
    return services.hour_log_create(scope=scope_of(user), logged_by=user, entry=entry)


submitted = log(apprentice, "8.25", first_day)
try:
    log(apprentice, "16", first_day)
    refused = None
except ValidationError as error:
    refused = error.message_dict["hours"][0]
log(supervisor, "7.50", first_day + timedelta(days=1))
services.hour_log_update(
    scope=scope_of(apprentice), log=submitted, changed_by=apprentice, changes={"hours": Decimal("15.75")}
)
after_edit = totals_of(apprenticeship)
services.hour_log_approve(scope=scope_of(supervisor), log=submitted, reviewer=supervisor)
after_approval = totals_of(apprenticeship)
# A bulk decision moves the totals in one statement each (portal/bulk.py: UPDATE ... FROM VALUES).
more = [log(apprentice, hours, first_day + timedelta(days=n)) for n, hours in ((2, "2"), (3, "3.25"))]
services.hour_logs_approve_all(scope=scope_of(supervisor), ids=[log.pk for log in more], reviewer=supervisor)
print("RESULT " + json.dumps({
    "first_day": str(first_day),
    "refused": refused,
    "after_edit": after_edit,
    "after_approval": after_approval,
    "after_bulk": totals_of(apprenticeship),
    "work_process_after_bulk": str(WorkProcessTotal.objects.get(apprenticeship=apprenticeship).approved_hours),
    "last_logged_on": str(HourTotals.objects.get(apprenticeship=apprenticeship).last_logged_on),
}))
"""


def test_hours_are_counted_and_totaled_on_sqlite_as_on_postgresql(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "TEST_DATABASE_", "CELERY_"))
    }
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'quick-start.sqlite3'}"

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
        ).stdout

    manage("migrate", "--noinput", "-v", "0")
    output = manage("shell", "-c", SCRIPT)
    result = json.loads(next(line for line in output.splitlines() if line.startswith("RESULT "))[7:])

    assert result["refused"] == (f"8.25 h are already logged on {result['first_day']}: at most 15.75 h more that day.")
    assert result["after_edit"] == {
        "ojt_approved": "7.50",
        "ojt_pending": "15.75",
        "rti_approved": "0.00",
        "rti_pending": "0.00",
    }
    assert result["after_approval"] == {
        "ojt_approved": "23.25",
        "ojt_pending": "0.00",
        "rti_approved": "0.00",
        "rti_pending": "0.00",
    }
    assert result["after_bulk"] == {
        "ojt_approved": "28.50",
        "ojt_pending": "0.00",
        "rti_approved": "0.00",
        "rti_pending": "0.00",
    }
    assert result["work_process_after_bulk"] == "28.50"
    assert result["last_logged_on"] == str(date.fromisoformat(result["first_day"]) + timedelta(days=3))
