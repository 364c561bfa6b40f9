"""Apprenticeships with registration data chosen by each test, and a count of them done in
Python, to hold the equity report's database counts against."""

import datetime

import pytest

from apprenticeships.models import ApprenticeRegistration
from tests import factories

EQUITY_URL = "/api/v1/reports/equity/"
START = datetime.date(2025, 1, 6)
ENDED = datetime.date(2025, 9, 1)


def enrol(program, employer, *, status="active", start=START, in_probation=False, registered=True, **demographics):
    """An apprenticeship of `status` that started on `start`, with registration data (`demographics`
    override the factory's), or none (`registered=False`)."""
    ending = {}
    if status in ("completed", "cancelled"):
        ending["ended_on"] = max(ENDED, start)
    if status == "cancelled":
        ending |= {"cancellation_reason": "left", "cancelled_during_probation": in_probation}
    record = factories.ApprenticeshipFactory(
        program=program, employer=employer, status=status, start_date=start, registration=False, **ending
    )
    if registered:
        ApprenticeRegistration.objects.create(apprenticeship=record, **factories.registration_data(**demographics))
    return record


def many(count, program, employer, **options):
    return [enrol(program, employer, **options) for _ in range(count)]


@pytest.fixture
def no_suppression(settings):
    settings.EQUITY_SUPPRESSION_THRESHOLD = 1


def group(report, dimension, value) -> dict:
    breakdown = next(item for item in report["breakdowns"] if item["dimension"] == dimension)
    return next(item for item in breakdown["groups"] if item["value"] == value)


def figures(cells) -> dict:
    """The counts and rate of a cell set, None where suppressed."""
    return {measure: cell["value"] for measure, cell in cells.items()}


def hidden(cells) -> set:
    return {measure for measure, cell in cells.items() if cell["suppressed"]}
