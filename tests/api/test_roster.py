"""GET /api/v1/apprenticeships/?include=progress, the roster: each row's hours and pace as the
progress endpoint computes them, its pending counts and last day logged, in the same number of
queries for 1 row and for many, ordered by percent, projected end or last day logged."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competencies.models import HourTotals, Milestone
from tests import factories

ROSTER = "/api/v1/apprenticeships/?include=progress&page_size=200"


def _row(client, url=ROSTER) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def _with_hours(apprenticeship, *, approved, pending_logs=0, last_logged_on=None, recent=Decimal("0")):
    """Running totals as the ledger keeps them, and approved logs of the pace window."""
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(
        ojt_approved=approved,
        ojt_pending=Decimal("8") * pending_logs,
        pending_logs=pending_logs,
        last_logged_on=last_logged_on,
    )
    if recent:
        factories.HourLogFactory(
            apprenticeship=apprenticeship,
            date=timezone.localdate() - datetime.timedelta(days=3),
            hours=recent,
            status="approved",
            reviewed_by=apprenticeship.apprentice,
            reviewed_at=timezone.now(),
        )
    return apprenticeship


@pytest.fixture
def roster(program, employer_a):
    today = timezone.localdate()
    ahead = _with_hours(
        factories.ApprenticeshipFactory(
            program=program,
            employer=employer_a,
            start_date=today - datetime.timedelta(weeks=30),
            expected_end_date=today + datetime.timedelta(days=365),
        ),
        approved=Decimal("1900"),
        last_logged_on=today - datetime.timedelta(days=3),
        recent=Decimal("24"),
    )
    behind = _with_hours(
        factories.ApprenticeshipFactory(
            program=program,
            employer=employer_a,
            start_date=today - datetime.timedelta(weeks=30),
            expected_end_date=today + datetime.timedelta(days=365),
        ),
        approved=Decimal("300"),
        pending_logs=2,
        last_logged_on=today - datetime.timedelta(days=20),
        recent=Decimal("4"),
    )
    idle = factories.ApprenticeshipFactory(
        program=program, employer=employer_a, expected_end_date=today + datetime.timedelta(days=365)
    )
    definition = factories.MilestoneDefinitionFactory(program=program, threshold_hours=Decimal("250"))
    Milestone.objects.create(apprenticeship=behind, definition=definition, reached_at=timezone.now(), basis="ojt=300")
    return {"ahead": ahead, "behind": behind, "idle": idle}


def test_each_rows_figures_are_the_progress_endpoints(client_for, raps_admin, roster):
    client = client_for(raps_admin)
    rows = _row(client)

    for apprenticeship in roster.values():
        progress = client.get(f"/api/v1/apprenticeships/{apprenticeship.id}/progress/").json()
        row = rows[str(apprenticeship.id)]["progress"]
        assert row["ojt"] == progress["ojt"]
        assert row["rti"] == progress["rti"]
        assert row["pace"] == progress["pace"]
        assert row["percent"] == progress["ojt"]["percent"]


def test_a_row_counts_what_waits_and_the_last_day_logged(client_for, raps_admin, roster):
    rows = _row(client_for(raps_admin))

    behind = rows[str(roster["behind"].id)]["progress"]
    assert behind["pending_logs"] == 2
    assert behind["pending_milestones"] == 1
    assert behind["last_logged_on"] == (timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    assert behind["pace"]["on_track"] is False
    assert rows[str(roster["ahead"].id)]["progress"]["pace"]["on_track"] is True
    assert rows[str(roster["idle"].id)]["progress"]["last_logged_on"] is None


def test_without_include_a_row_has_no_progress(client_for, raps_admin, roster):
    rows = _row(client_for(raps_admin), "/api/v1/apprenticeships/")

    assert {row["progress"] for row in rows.values()} == {None}


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-percent", ["ahead", "behind", "idle"]),
        ("percent", ["idle", "behind", "ahead"]),
        ("projected_end", ["ahead", "behind", "idle"]),  # idle has no projection: last
        ("-last_logged_on", ["ahead", "behind", "idle"]),
        ("last_logged_on", ["behind", "ahead", "idle"]),
    ],
)
def test_the_roster_orders_by_its_figures(client_for, raps_admin, roster, ordering, expected):
    response = client_for(raps_admin).get(f"{ROSTER}&ordering={ordering}")

    by_id = {str(apprenticeship.id): name for name, apprenticeship in roster.items()}
    assert [by_id[row["id"]] for row in response.json()["results"]] == expected


def test_a_roster_ordering_without_include_is_400(client_for, raps_admin, roster):
    response = client_for(raps_admin).get("/api/v1/apprenticeships/?ordering=-percent")

    assert response.status_code == 400
    assert "ordering" in response.json()


def test_including_anything_else_is_400(client_for, raps_admin, roster):
    response = client_for(raps_admin).get("/api/v1/apprenticeships/?include=milestones")

    assert response.status_code == 400
    assert list(response.json()) == ["include"]


def _count_queries(client, url, rows) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == rows
    assert all(row["progress"]["ojt"]["required"] for row in response.json()["results"])
    return len(context.captured_queries)


@pytest.mark.parametrize("ordering", ["", "&ordering=-percent"])
def test_the_roster_answers_in_the_same_queries_for_1_row_and_for_40(
    client_for, raps_admin, program, employer_a, ordering
):
    client = client_for(raps_admin)
    _with_hours(
        factories.ApprenticeshipFactory(program=program, employer=employer_a),
        approved=Decimal("10"),
        recent=Decimal("8"),
    )
    one = _count_queries(client, ROSTER + ordering, 1)

    for apprenticeship in factories.ApprenticeshipFactory.create_batch(39, program=program, employer=employer_a):
        _with_hours(apprenticeship, approved=Decimal("20"), pending_logs=1, recent=Decimal("8"))
    forty = _count_queries(client, ROSTER + ordering, 40)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. COUNT(*) (not
    # when ordered by a figure: every row is read, then sorted)  6. the page of apprenticeships
    # with their running totals, the pace window's hours and the pending milestones  7., 8. the
    # page's sponsors and employers, one query each (a join of eight tables took PostgreSQL longer
    # to plan than these take to run; mentors and wage steps too, when a row names one)
    assert one == forty == (7 if ordering else 8)
