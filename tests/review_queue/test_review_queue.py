"""The review queue (docs/api.md): everything waiting for the caller's decision in one list,
oldest first, scoped exactly like the decisions (employer staff: submitted OJT of their
employer; RAPS admins: submitted RTI and pending milestones of their sponsor; nobody their own),
with names, what each item asks, how long it has waited and its action links."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competencies.models import HourLog
from tests import factories
from tests.milestones.conftest import reach

QUEUE = "/api/v1/review-queue/"


def log(apprenticeship, *, kind="ojt", status="submitted", days_ago=0, **fields):
    """A log stored directly, submitted `days_ago` days ago."""
    if status != "submitted":
        fields.update(reviewed_by=apprenticeship.apprentice, reviewed_at=timezone.now())
    created = factories.HourLogFactory(apprenticeship=apprenticeship, kind=kind, status=status, **fields)
    HourLog.objects.filter(pk=created.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
    return created


def queue_of(client, **params):
    response = client.get(QUEUE, params)
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_supervisor_sees_the_submitted_ojt_of_their_employer_oldest_first_with_names(
    client_for, employer_a_supervisor, apprentice, apprenticeship, other_apprenticeship
):
    newer = log(apprenticeship, days_ago=1, hours="7.5")
    older = log(apprenticeship, days_ago=3, date=datetime.date(2025, 3, 4))
    log(apprenticeship, kind="rti", days_ago=5)  # RAPS admins approve RTI
    log(apprenticeship, status="approved", days_ago=6)  # decided
    log(other_apprenticeship, days_ago=7)  # employer B's

    answer = queue_of(client_for(employer_a_supervisor))

    assert answer["count"] == 2
    assert answer["counts"] == {"hour_logs": 2, "milestones": 0}
    assert [item["id"] for item in answer["results"]] == [str(older.pk), str(newer.pk)]
    item = answer["results"][1]
    process = newer.work_process
    assert item == {
        "kind": "hour_log",
        "id": str(newer.pk),
        "apprenticeship": str(apprenticeship.pk),
        "apprentice": {"id": str(apprentice.pk), "name": "Ari Apprentice", "email": "apprentice@example.org"},
        "program": {"id": str(apprenticeship.program_id), "title": apprenticeship.program.title},
        "employer": {"id": str(apprenticeship.employer_id), "name": "Employer A"},
        "waiting_since": item["waiting_since"],
        "waiting_days": 1,
        "hour_log": {
            "date": "2025-03-03",
            "hours": "7.50",
            "kind": "ojt",
            "work_process": {"id": str(process.pk), "title": process.title},
            "course": "",
            "description": "",
        },
        "milestone": None,
        "actions": {
            "approve": f"/api/v1/hour-logs/{newer.pk}/approve/",
            "reject": f"/api/v1/hour-logs/{newer.pk}/reject/",
        },
    }
    assert answer["results"][0]["waiting_days"] == 3


def test_a_raps_admin_sees_rti_and_pending_milestones_of_their_sponsor_in_one_list(
    client_for, raps_admin, apprenticeship, other_sponsors_apprenticeship, definitions
):
    rti = log(apprenticeship, kind="rti", days_ago=2)
    log(apprenticeship, days_ago=9)  # OJT: the employer's staff approve it
    milestone = reach(apprenticeship, definitions["Halfway"], days_ago=4)
    milestone.basis = "ojt=1000.00"
    milestone.save()
    reach(apprenticeship, definitions["Probation complete"], status="approved", decided_by=raps_admin, days_ago=8)
    reach(other_sponsors_apprenticeship, other_sponsors_apprenticeship.program.milestone_definitions.get())

    answer = queue_of(client_for(raps_admin))

    assert answer["counts"] == {"hour_logs": 1, "milestones": 1}
    assert [(item["kind"], item["id"]) for item in answer["results"]] == [
        ("milestone", str(milestone.pk)),
        ("hour_log", str(rti.pk)),
    ]
    first = answer["results"][0]
    assert first["milestone"] == {
        "name": "Halfway",
        "kind": "ojt_hours",
        "threshold_hours": "1000.00",
        "basis": "ojt=1000.00",
    }
    assert first["hour_log"] is None
    assert first["waiting_days"] == 4
    assert first["actions"]["approve"] == f"/api/v1/milestones/{milestone.pk}/approve/"


def test_nobody_is_asked_to_review_hours_they_logged_or_their_own(
    client_for, employer_a_supervisor, employer_a, program
):
    """A supervisor who is also an apprentice at their employer does not review their own hours."""
    own = factories.ApprenticeshipFactory(program=program, employer=employer_a, apprentice=employer_a_supervisor)
    log(own)

    assert queue_of(client_for(employer_a_supervisor))["count"] == 0


def test_an_apprentice_has_nothing_to_decide(client_for, apprentice, apprenticeship, definitions):
    log(apprenticeship)
    reach(apprenticeship, definitions["Halfway"])

    answer = queue_of(client_for(apprentice))

    assert (answer["count"], answer["counts"], answer["results"]) == (0, {"hour_logs": 0, "milestones": 0}, [])


def test_the_queue_is_paged(client_for, employer_a_supervisor, apprenticeship):
    logs = [log(apprenticeship, days_ago=days, date=datetime.date(2025, 3, 1 + days)) for days in range(5)]

    first = queue_of(client_for(employer_a_supervisor), page_size=2)
    last = queue_of(client_for(employer_a_supervisor), page_size=2, page=3)

    assert first["count"] == 5
    assert first["counts"] == {"hour_logs": 5, "milestones": 0}
    assert [item["id"] for item in first["results"]] == [str(logs[4].pk), str(logs[3].pk)]
    assert first["next"] is not None
    assert [item["id"] for item in last["results"]] == [str(logs[0].pk)]


def test_anonymous_callers_are_refused(anonymous_client):
    assert anonymous_client.get(QUEUE).status_code == 401


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(QUEUE, {"page_size": 200})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_queue_costs_the_same_queries_for_2_items_and_for_200(
    client_for, raps_admin, program, employer_a, apprenticeship, definitions
):
    client = client_for(raps_admin)
    log(apprenticeship, kind="rti")
    reach(apprenticeship, definitions["Halfway"])
    two = _queries(client)

    for n in range(99):
        other = factories.ApprenticeshipFactory(program=program, employer=employer_a)
        log(other, kind="rti", days_ago=n % 10)
        reach(other, definitions["Halfway"], days_ago=n % 7)
    two_hundred = _queries(client)

    assert queue_of(client, page_size=200)["count"] == 200
    # 1.-4. session, user, memberships, own apprenticeships  5., 6. the counts by kind  7. the
    # page (logs and milestones in one query, oldest first)  8., 9. the page's logs and
    # milestones with their names
    assert two == two_hundred == 9


def test_a_cursor_read_of_the_queue_misses_nothing_while_items_are_decided(
    client_for, employer_a_supervisor, apprenticeship
):
    logs = [log(apprenticeship, days_ago=9 - n, date=datetime.date(2025, 3, 3 + n)) for n in range(5)]  # oldest first
    client = client_for(employer_a_supervisor)

    first = queue_of(client, cursor="", page_size=2)
    # The first log is decided between two pages: by page number, page 2 would now start at the
    # fourth log and the third would never be read.
    # (Decided by another reviewer: stored directly, as these logs were.)
    HourLog.objects.filter(pk=logs[0].pk).update(
        status="approved", reviewed_by=employer_a_supervisor, reviewed_at=timezone.now()
    )
    seen = [item["id"] for item in first["results"]]
    answer = first
    while answer["next"]:
        answer = client.get(answer["next"]).json()
        seen += [item["id"] for item in answer["results"]]

    assert seen == [str(each.pk) for each in logs]
    assert first["previous"] is None
    assert "count" not in first
    assert first["counts"] == {"hour_logs": 5, "milestones": 0}


def test_a_queue_cursor_that_is_not_one_or_comes_with_a_page_is_a_bad_request(client_for, employer_a_supervisor):
    client = client_for(employer_a_supervisor)

    for params in ({"cursor": "not-a-cursor"}, {"cursor": "", "page": 2}):
        response = client.get(QUEUE, params)
        assert response.status_code == 400, params
        assert "cursor" in response.json()
