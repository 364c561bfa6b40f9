"""GET /api/v1/hour-logs/: scoped like the apprenticeships (docs/api.md), filtered by status, kind,
apprenticeship and date range, ordered on request, in a fixed number of queries."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from competencies.models import HourLog
from tests import factories
from tests.hour_logs.records import LOGS


@pytest.fixture
def logs(apprenticeship, other_apprenticeship, employer_a_supervisor, raps_admin):
    """Four logs of the apprentice at employer A, one of another apprentice at employer B."""
    return {
        "a_submitted_ojt": factories.HourLogFactory(apprenticeship=apprenticeship, date=datetime.date(2025, 3, 3)),
        "a_approved_ojt": factories.HourLogFactory(
            apprenticeship=apprenticeship,
            date=datetime.date(2025, 3, 10),
            hours=6,
            status="approved",
            logged_by=employer_a_supervisor,
            reviewed_by=employer_a_supervisor,
            reviewed_at=datetime.datetime(2025, 3, 10, tzinfo=datetime.UTC),
        ),
        "a_submitted_rti": factories.HourLogFactory(
            apprenticeship=apprenticeship, date=datetime.date(2025, 3, 5), hours=3, kind="rti"
        ),
        "a_rejected_ojt": factories.HourLogFactory(
            apprenticeship=apprenticeship,
            date=datetime.date(2025, 2, 20),
            hours=4,
            status="rejected",
            reviewed_by=employer_a_supervisor,
            reviewed_at=datetime.datetime(2025, 2, 21, tzinfo=datetime.UTC),
            review_note="On leave",
        ),
        "b_submitted_ojt": factories.HourLogFactory(
            apprenticeship=other_apprenticeship, date=datetime.date(2025, 3, 4)
        ),
    }


def ids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {log["id"] for log in response.json()["results"]}


def of(logs, *names) -> set[str]:
    return {str(logs[name].id) for name in names}


def test_filters_by_status_kind_and_apprenticeship(client_for, raps_admin, apprenticeship, logs):
    client = client_for(raps_admin)

    assert ids(client.get(LOGS, {"status": "submitted"})) == of(
        logs, "a_submitted_ojt", "a_submitted_rti", "b_submitted_ojt"
    )
    assert ids(client.get(LOGS, {"kind": "rti"})) == of(logs, "a_submitted_rti")
    assert ids(client.get(LOGS, {"apprenticeship": apprenticeship.id})) == of(
        logs, "a_submitted_ojt", "a_approved_ojt", "a_submitted_rti", "a_rejected_ojt"
    )
    assert ids(client.get(LOGS, {"status": "submitted", "kind": "ojt", "apprenticeship": apprenticeship.id})) == of(
        logs, "a_submitted_ojt"
    )


def test_filters_by_a_date_range_that_includes_both_ends(client_for, raps_admin, logs):
    client = client_for(raps_admin)

    between = client.get(LOGS, {"date_after": "2025-03-03", "date_before": "2025-03-05"})
    after = client.get(LOGS, {"date_after": "2025-03-05"})
    before = client.get(LOGS, {"date_before": "2025-03-03"})

    assert ids(between) == of(logs, "a_submitted_ojt", "b_submitted_ojt", "a_submitted_rti")
    assert ids(after) == of(logs, "a_submitted_rti", "a_approved_ojt")
    assert ids(before) == of(logs, "a_rejected_ojt", "a_submitted_ojt")


def test_a_filter_value_that_is_not_valid_is_400(client_for, raps_admin, logs):
    client = client_for(raps_admin)

    bad_status = client.get(LOGS, {"status": "pending"})
    bad_date = client.get(LOGS, {"date_after": "yesterday"})

    assert bad_status.status_code == 400
    assert list(bad_status.json()) == ["status"]
    assert bad_date.status_code == 400
    assert list(bad_date.json()) == ["date"]


def test_orders_newest_day_first_unless_asked(client_for, apprentice, logs):
    client = client_for(apprentice)

    default = [log["date"] for log in client.get(LOGS).json()["results"]]
    by_date = [log["date"] for log in client.get(LOGS, {"ordering": "date"}).json()["results"]]
    by_hours = [log["hours"] for log in client.get(LOGS, {"ordering": "-hours"}).json()["results"]]

    assert default == ["2025-03-10", "2025-03-05", "2025-03-03", "2025-02-20"]
    assert by_date == ["2025-02-20", "2025-03-03", "2025-03-05", "2025-03-10"]
    assert by_hours == ["8.00", "6.00", "4.00", "3.00"]


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("raps_admin", ["a_submitted_ojt", "a_approved_ojt", "a_submitted_rti", "a_rejected_ojt", "b_submitted_ojt"]),
        ("employer_a_supervisor", ["a_submitted_ojt", "a_approved_ojt", "a_submitted_rti", "a_rejected_ojt"]),
        ("employer_a_admin", ["a_submitted_ojt", "a_approved_ojt", "a_submitted_rti", "a_rejected_ojt"]),
        ("employer_b_supervisor", ["b_submitted_ojt"]),
        ("apprentice", ["a_submitted_ojt", "a_approved_ojt", "a_submitted_rti", "a_rejected_ojt"]),
        ("other_raps_admin", []),
        ("outsider", []),
    ],
)
def test_each_persona_sees_the_logs_of_the_apprenticeships_it_reads(request, client_for, logs, persona, visible):
    response = client_for(request.getfixturevalue(persona)).get(LOGS)

    assert ids(response) == of(logs, *visible)
    assert response.json()["count"] == len(visible)


def test_filtering_on_an_apprenticeship_outside_the_scope_shows_nothing(
    client_for, employer_b_supervisor, apprenticeship, logs
):
    response = client_for(employer_b_supervisor).get(LOGS, {"apprenticeship": apprenticeship.id})

    assert ids(response) == set()


def test_a_log_reads_as_api_md_says(client_for, apprentice, employer_a_supervisor, logs):
    log = logs["a_approved_ojt"]

    body = client_for(apprentice).get(f"{LOGS}{log.id}/").json()

    assert body == {
        "id": str(log.id),
        "apprenticeship": str(log.apprenticeship_id),
        "apprentice_detail": {"id": str(apprentice.id), "name": apprentice.full_name, "email": apprentice.email},
        "program_detail": {"id": str(log.apprenticeship.program_id), "title": log.apprenticeship.program.title},
        "employer_detail": {"id": str(log.employer_id), "name": log.employer.name},
        "date": "2025-03-10",
        "hours": "6.00",
        "kind": "ojt",
        "work_process": str(log.work_process_id),
        "work_process_detail": {"id": str(log.work_process_id), "title": log.work_process.title},
        "course": "",
        "instruction_provider": "",
        "description": "",
        "status": "approved",
        "logged_by": {"id": str(employer_a_supervisor.id), "name": "Sam Supervisor"},
        "reviewed_by": {"id": str(employer_a_supervisor.id), "name": "Sam Supervisor"},
        "reviewed_at": body["reviewed_at"],
        "review_note": "",
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }


def _count_queries(client, rows) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(LOGS)
    assert response.status_code == 200, response.json()
    assert len(response.json()["results"]) == rows
    return len(context.captured_queries)


def test_list_query_count_is_flat(client_for, employer_a_supervisor, apprenticeship, back_end):
    def log_by_someone_else(day: int):
        # Each row has its own author and reviewer, and half are in another work process.
        reviewer = factories.UserFactory()
        factories.HourLogFactory(
            apprenticeship=apprenticeship,
            date=datetime.date(2025, 1, 6) + datetime.timedelta(days=day),
            status="approved",
            logged_by=factories.UserFactory(),
            reviewed_by=reviewer,
            reviewed_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC),
            **({"work_process": back_end} if day % 2 else {}),
        )

    client = client_for(employer_a_supervisor)
    log_by_someone_else(0)
    one = _count_queries(client, 1)

    for day in range(1, 50):
        log_by_someone_else(day)
    fifty = _count_queries(client, 50)

    # 1. session  2. user  3. memberships with their employers and the sponsors those employers
    # take part in  4. the caller's own apprenticeships  5. the count, from the running totals
    # 6. the page of logs with their author and reviewer joined
    assert one == fifty == 6


def test_a_log_carries_its_apprenticeships_employer(log_as, apprentice, apprenticeship, ojt):
    created = log_as(apprentice, ojt())

    assert HourLog.objects.get(pk=created["id"]).employer_id == apprenticeship.employer_id


def test_the_database_refuses_a_log_whose_employer_is_not_its_apprenticeships(apprenticeship, employer_b):
    """Employer staff read logs by the log's own employer column: it may never disagree."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.HourLogFactory(apprenticeship=apprenticeship, employer=employer_b)


def test_an_unfiltered_list_counts_from_the_running_totals_and_a_filtered_one_counts_logs(client_for, raps_admin, logs):
    client = client_for(raps_admin)

    with CaptureQueriesContext(connection) as unfiltered:
        everything = client.get(LOGS, {"page_size": 2})
    with CaptureQueriesContext(connection) as filtered:
        submitted = client.get(LOGS, {"status": "submitted", "page_size": 2})

    assert everything.json()["count"] == 5
    assert everything.json()["next"] is not None
    assert submitted.json()["count"] == 3
    counted_logs = [q["sql"] for q in unfiltered.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counted_logs == [], "the unfiltered list counts every log instead of reading the totals"
    assert any("COUNT(" in q["sql"].upper() and "competencies_hourlog" in q["sql"] for q in filtered.captured_queries)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("raps_admin", 5), ("employer_a_supervisor", 4), ("employer_b_supervisor", 1), ("apprentice", 4)],
)
def test_each_caller_counts_only_the_logs_in_their_scope_from_the_totals(request, client_for, logs, persona, expected):
    """The count read from the running totals is the caller's, like the logs listed."""
    response = client_for(request.getfixturevalue(persona)).get(LOGS, {"page_size": 200})

    assert response.json()["count"] == len(response.json()["results"]) == expected


def test_the_count_includes_logs_of_every_status(client_for, log_as, apprentice, employer_a_supervisor, ojt):
    rejected = log_as(apprentice, ojt(date="2025-03-03"))
    client_for(employer_a_supervisor).post(f"{LOGS}{rejected['id']}/reject/", {"reason": "On leave"})
    log_as(employer_a_supervisor, ojt(date="2025-03-04"))

    response = client_for(apprentice).get(LOGS)

    assert response.json()["count"] == len(response.json()["results"]) == 2
