"""Closed milestones are not pending anywhere: after a completion (superseded) or a cancellation
(withdrawn), the sponsor's summary, the weekly digest and `milestones/?status=pending` count none
of them, and the progress and its chart agree."""

import datetime

import pytest

from competencies.notices import weekly_digests
from notifications.models import Notification
from tests.milestone_flow.helpers import MILESTONES, apprenticeship_url

SUMMARY = "/api/v1/reports/summary/"
MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture(params=["completed", "cancelled"])
def ended(request, client_for, raps_admin, apprenticeship, everything_reached):
    """The apprenticeship ended with milestones pending: completed (the completion milestone
    approved) or cancelled."""
    as_admin = client_for(raps_admin)
    if request.param == "completed":
        response = as_admin.post(f"{MILESTONES}{everything_reached['Completion'].id}/approve/")
    else:
        response = as_admin.post(
            apprenticeship_url(apprenticeship, "transition"),
            {"to": "cancelled", "reason": "Moved away", "exit_reason": "other"},
        )
    assert response.status_code == 200, response.json()
    return {"completed": "superseded", "cancelled": "withdrawn"}[request.param]


def test_the_summary_counts_no_closed_milestone_as_pending(client_for, raps_admin, ended):
    report = client_for(raps_admin).get(SUMMARY).json()

    assert report["pending_milestones"] == 0
    assert all(row["pending_milestones"] == 0 for row in report["by_program"] + report["by_employer"])


def test_the_weekly_digest_counts_no_closed_milestone(raps_admin, employer_a_admin, employer_a_supervisor, ended):
    weekly_digests(today=MONDAY)

    # Nothing waits for anyone: no digest at all (before, "4 milestones pending").
    assert not Notification.objects.filter(event="weekly_digest").exists()


def test_pending_milestones_list_none_of_the_closed_ones(client_for, raps_admin, apprenticeship, ended):
    as_admin = client_for(raps_admin)

    pending = as_admin.get(MILESTONES, {"status": "pending", "apprenticeship": str(apprenticeship.id)}).json()
    closed = as_admin.get(MILESTONES, {"status": ended, "apprenticeship": str(apprenticeship.id)}).json()

    assert pending["count"] == 0
    expected = {"superseded": 4, "withdrawn": 5}[ended]  # completion itself was approved
    assert closed["count"] == expected
    assert all(row["status"] == ended for row in closed["results"])


def test_the_progress_and_its_chart_show_no_closed_milestone_as_pending(client_for, apprentice, apprenticeship, ended):
    as_apprentice = client_for(apprentice)

    progress = as_apprentice.get(apprenticeship_url(apprenticeship, "progress")).json()
    chart = as_apprentice.get(apprenticeship_url(apprenticeship, "progress.svg").rstrip("/")).content.decode()

    assert [m["status"] for m in progress["milestones"] if m["status"] == "pending"] == []
    assert {m["status"] for m in progress["milestones"]} <= {ended, "approved"}
    assert "pending approval" not in chart
