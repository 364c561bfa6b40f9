"""Fixtures of the report tests: the URLs, and records stored directly (factories, running totals
set by hand) so that each report's numbers are known in advance."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from competencies.models import HourTotals, Milestone
from competencies.services import hour_totals_recompute
from tests import factories

SUMMARY_URL = "/api/v1/reports/summary/"
RAPIDS_URL = "/api/v1/reports/rapids-apprentices.csv"


def chart_url(apprenticeship) -> str:
    return f"/api/v1/apprenticeships/{apprenticeship.id}/progress.svg"


def set_totals(apprenticeship, *, ojt="0", rti="0"):
    """The apprenticeship's running totals as the services keep them: rebuilt from its logs (so
    what waits for approval is counted as the services count it), then the approved hours set to
    the figures a test wants. Call it after the apprenticeship's logs are stored."""
    hour_totals_recompute(apprenticeship=apprenticeship)
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(
        ojt_approved=Decimal(ojt), rti_approved=Decimal(rti)
    )


def add_milestone(apprenticeship, definition, *, status="pending", decided_by=None):
    decided = status not in ("pending", "withdrawn")
    return Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=definition,
        reached_at=timezone.now(),
        status=status,
        decided_by=decided_by if decided else None,
        decided_at=timezone.now() if decided else None,
        note="not yet" if status == "rejected" else "",
    )


def add_reviewed_log(apprenticeship, reviewer, *, status="approved", hours="8", day=datetime.date(2025, 3, 4)):
    return factories.HourLogFactory(
        apprenticeship=apprenticeship,
        date=day,
        hours=Decimal(hours),
        status=status,
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
        review_note="" if status == "approved" else "wrong week",
    )


@pytest.fixture
def second_program(sponsor):
    """Another program of the sponsor, so that the breakdown by program has two rows."""
    second = factories.ProgramFactory(
        sponsor=sponsor, occupation=factories.OccupationFactory(title="Data Analyst (test)")
    )
    factories.WorkProcessFactory(program=second, title="Analysis", target_hours=2000)
    return second
