"""The pace of docs/api.md: approved OJT hours of the last 8 weeks / 8, the completion date it leads
to, and whether that is on or before the expected end date. "Today" is the real date, so every
log date and the expected end date are set relative to it."""

import datetime

import pytest
from django.utils import timezone

from competencies.models import HourLog

ON_TRACK_WEEKLY = 10  # ten 8-hour days in the last 8 weeks: 80 h / 8 = 10.00 h a week


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def ends_in(apprenticeship):
    """Move the expected end date `days` days from today."""

    def move(days):
        apprenticeship.expected_end_date = days_from_today(days)
        apprenticeship.save()

    return move


@pytest.fixture
def ten_days_of_eight_hours(log_hours, employer_a_supervisor):
    """80 approved OJT hours within the last 8 weeks (one log every 5 days)."""
    for index in range(10):
        log_hours(employer_a_supervisor, 8, days_ago=1 + 5 * index)


def test_pace_is_the_approved_ojt_hours_of_the_last_eight_weeks_over_eight(
    progress, log_hours, apprentice, raps_admin, employer_a_supervisor, ends_in
):
    ends_in(365)
    log_hours(employer_a_supervisor, 8, days_ago=1)
    log_hours(employer_a_supervisor, 8, days_ago=50)
    log_hours(employer_a_supervisor, 24, days_ago=60)  # older than 8 weeks
    log_hours(employer_a_supervisor, 24, days_ago=100)  # older than 8 weeks
    log_hours(raps_admin, 8, days_ago=2, kind="rti")  # RTI is not OJT
    log_hours(apprentice, 8, days_ago=3)  # submitted, not approved

    pace = progress()["pace"]

    # 16 h / 8 weeks = 2.00 h a week; 2000 - 64 approved = 1,936 h left: 968 weeks = 6,776 days.
    assert pace["hours_per_week"] == "2.00"
    assert pace["projected_completion_date"] == days_from_today(6776).isoformat()
    assert pace["expected_end_date"] == days_from_today(365).isoformat()
    assert pace["on_track"] is False


def test_the_eight_weeks_are_the_56_days_ending_today(progress, log_hours, employer_a_supervisor):
    log_hours(employer_a_supervisor, 8, days_ago=0)
    log_hours(employer_a_supervisor, 8, days_ago=55)
    log_hours(employer_a_supervisor, 8, days_ago=56)

    assert progress()["pace"]["hours_per_week"] == "2.00"


def test_a_pace_that_finishes_before_the_expected_end_is_on_track(
    progress, apprenticeship, ten_days_of_eight_hours, ends_in
):
    apprenticeship.ojt_credit_hours = 1900
    apprenticeship.save()
    ends_in(365)

    body = progress()

    # 2000 - 1900 credited - 80 approved = 20 h left at 10 h a week: 14 days.
    assert body["ojt"]["remaining"] == "20.00"
    assert body["pace"] == {
        "hours_per_week": "10.00",
        "projected_completion_date": days_from_today(14).isoformat(),
        "expected_end_date": days_from_today(365).isoformat(),
        "on_track": True,
    }


@pytest.mark.parametrize(("end_in_days", "on_track"), [(14, True), (13, False)])
def test_on_track_means_projected_on_or_before_the_expected_end(
    progress, apprenticeship, ten_days_of_eight_hours, ends_in, end_in_days, on_track
):
    apprenticeship.ojt_credit_hours = 1900
    apprenticeship.save()
    ends_in(end_in_days)

    pace = progress()["pace"]

    assert pace["projected_completion_date"] == days_from_today(14).isoformat()
    assert pace["on_track"] is on_track


def test_a_projected_date_after_the_expected_end_is_not_on_track(progress, ten_days_of_eight_hours, ends_in):
    ends_in(365)

    pace = progress()["pace"]

    # 1,920 h left at 10 h a week: 192 weeks = 1,344 days, past the expected end.
    assert pace["hours_per_week"] == "10.00"
    assert pace["projected_completion_date"] == days_from_today(1344).isoformat()
    assert pace["on_track"] is False


def test_no_recent_hours_means_no_projected_date_and_not_on_track(progress, log_hours, employer_a_supervisor, ends_in):
    ends_in(365)
    log_hours(employer_a_supervisor, 8, days_ago=57)

    body = progress()

    assert body["ojt"]["approved"] == "8.00"
    assert body["pace"] == {
        "hours_per_week": "0.00",
        "projected_completion_date": None,
        "expected_end_date": days_from_today(365).isoformat(),
        "on_track": False,
    }


def test_voided_hours_leave_the_pace(progress, ten_days_of_eight_hours, employer_a_supervisor, client_for):
    newest = HourLog.objects.order_by("-date").first()
    voided = client_for(employer_a_supervisor).post(f"/api/v1/hour-logs/{newest.id}/void/", {"reason": "Duplicate"})

    pace = progress()["pace"]

    assert voided.status_code == 200, voided.json()
    assert pace["hours_per_week"] == "9.00"


def test_the_projected_date_follows_the_exact_weekly_rate_not_the_rounded_one(
    progress, apprenticeship, log_hours, employer_a_supervisor, ends_in
):
    log_hours(employer_a_supervisor, 8, days_ago=1)
    log_hours(employer_a_supervisor, "0.25", days_ago=2)
    apprenticeship.ojt_credit_hours = "1958.75"  # 2000 - 1958.75 - 8.25 = 33 h left
    apprenticeship.save()
    ends_in(224)

    pace = progress()["pace"]

    # 33 h / (8.25 h / 8 weeks) = 32 weeks = 224 days, exactly the expected end.
    assert pace["hours_per_week"] == "1.03"
    assert pace["projected_completion_date"] == days_from_today(224).isoformat()
    assert pace["on_track"] is True
