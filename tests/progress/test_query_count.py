"""Progress reads running totals, not logs: the same number of queries for 10 logs and for
1,000."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competencies.models import HourLog
from competencies.services import hour_totals_recompute
from tests import factories
from tests.progress.conftest import progress_url


def add_approved_logs(apprenticeship, work_processes, count):
    """`count` approved 1-hour OJT logs within the last 8 weeks, each by its own author and
    reviewer, alternating between the work processes; then the running totals rebuilt."""
    today = timezone.localdate()
    people = factories.UserFactory.create_batch(2)
    HourLog.objects.bulk_create(
        HourLog(
            apprenticeship=apprenticeship,
            employer_id=apprenticeship.employer_id,
            date=today - datetime.timedelta(days=index % 50),
            hours=Decimal("1"),
            kind="ojt",
            work_process=work_processes[index % 2],
            logged_by=people[0],
            reviewed_by=people[1],
            reviewed_at=timezone.now(),
            status="approved",
        )
        for index in range(count)
    )
    hour_totals_recompute(apprenticeship=apprenticeship)


def count_queries(client, apprenticeship, approved):
    with CaptureQueriesContext(connection) as context:
        response = client.get(progress_url(apprenticeship))
    assert response.status_code == 200, response.content
    assert response.json()["ojt"]["approved"] == approved
    return len(context.captured_queries)


def test_progress_query_count_is_the_same_for_10_and_for_1000_logs(
    client_for, raps_admin, apprenticeship, front_end, back_end
):
    client = client_for(raps_admin)
    add_approved_logs(apprenticeship, [front_end, back_end], 10)
    ten = count_queries(client, apprenticeship, "10.00")

    add_approved_logs(apprenticeship, [front_end, back_end], 990)
    thousand = count_queries(client, apprenticeship, "1000.00")

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. the
    # apprenticeship within the caller's scope, with program, wage step and running totals joined
    # and the approved OJT hours of the last 8 weeks summed  6. the work processes with their
    # running totals and competency counts  7. the milestones with their definitions
    assert ten == thousand == 7


def test_progress_query_count_for_employer_staff(
    client_for, employer_a_supervisor, apprenticeship, front_end, back_end
):
    client = client_for(employer_a_supervisor)
    add_approved_logs(apprenticeship, [front_end, back_end], 10)
    ten = count_queries(client, apprenticeship, "10.00")

    add_approved_logs(apprenticeship, [front_end, back_end], 990)
    thousand = count_queries(client, apprenticeship, "1000.00")

    # As for the RAPS admin: the sponsors the caller's employer takes part in come with the
    # memberships, in the same query.
    assert ten == thousand == 7
