"""When a progress review is due: every `review_interval_months` from the start date, within the
apprenticeship's term, and on the day a wage step is reached when the program reviews at wage
steps; overdue 14 days after its due date until the apprentice acknowledges it."""

import datetime

import pytest
from django.utils import timezone

from competencies.models import ProgressReview
from competencies.reviews import REVIEW_GRACE_DAYS, DueReview, add_months, due_reviews, periodic_due_dates
from tests import factories
from tests.reviews.conftest import APPRENTICESHIP_REVIEWS

pytestmark = pytest.mark.django_db

D = datetime.date


def test_months_are_added_on_the_same_day_or_the_last_day_of_a_shorter_month():
    assert add_months(D(2025, 1, 6), 6) == D(2025, 7, 6)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)
    assert add_months(D(2025, 3, 10), -13) == D(2024, 2, 10)


def _apprenticeship(**kw):
    return factories.ApprenticeshipFactory.build(
        start_date=D(2025, 1, 6), expected_end_date=D(2026, 12, 31), ended_on=None, **kw
    )


def test_periodic_reviews_fall_on_the_start_date_plus_each_interval_within_the_term():
    program = factories.ProgramFactory.build(review_interval_months=6)
    due = periodic_due_dates(_apprenticeship(), program, until=D(2030, 1, 1))
    # The 4th (2027-01-06) would fall after the expected end (2026-12-31).
    assert due == [(1, D(2025, 7, 6)), (2, D(2026, 1, 6)), (3, D(2026, 7, 6))]
    assert periodic_due_dates(_apprenticeship(), program, until=D(2026, 1, 5)) == [(1, D(2025, 7, 6))]


def test_a_program_without_an_interval_has_no_periodic_reviews():
    program = factories.ProgramFactory.build(review_interval_months=None)
    assert periodic_due_dates(_apprenticeship(), program, until=D(2030, 1, 1)) == []


def test_an_ended_apprenticeship_owes_no_review_after_its_end():
    program = factories.ProgramFactory.build(review_interval_months=3)
    apprenticeship = _apprenticeship()
    apprenticeship.ended_on = D(2025, 8, 1)
    assert [k for k, _ in periodic_due_dates(apprenticeship, program, until=D(2030, 1, 1))] == [1, 2]


def test_a_wage_step_reached_is_due_a_review_only_where_the_program_reviews_at_wage_steps(mentee, wage_step_milestone):
    program = mentee.program
    today = timezone.localdate()
    due = due_reviews(mentee, program=program, wage_step_milestones=[wage_step_milestone], reviews=[], until=today)
    steps = [item for item in due if item.reason == "wage_step"]
    assert [(item.milestone, item.due_on) for item in steps] == [
        (wage_step_milestone, today - datetime.timedelta(days=3))
    ]
    program.review_at_wage_steps = False
    due = due_reviews(mentee, program=program, wage_step_milestones=[wage_step_milestone], reviews=[], until=today)
    assert [item.reason for item in due] == ["periodic", "periodic"]
    # A program whose wage steps wait for a signed review is due one there too.
    program.wage_step_needs_review = True
    due = due_reviews(mentee, program=program, wage_step_milestones=[wage_step_milestone], reviews=[], until=today)
    assert "wage_step" in [item.reason for item in due]


def test_a_review_is_overdue_past_the_grace_days_until_it_is_acknowledged():
    due_on = D(2026, 1, 6)
    item = DueReview(reason="periodic", due_on=due_on, period=1)
    assert not item.overdue(due_on + datetime.timedelta(days=REVIEW_GRACE_DAYS))
    assert item.overdue(due_on + datetime.timedelta(days=REVIEW_GRACE_DAYS + 1))
    submitted = ProgressReview(status="submitted")
    assert DueReview(reason="periodic", due_on=due_on, period=1, review=submitted).overdue(D(2026, 6, 1))
    acknowledged = ProgressReview(status="acknowledged")
    assert not DueReview(reason="periodic", due_on=due_on, period=1, review=acknowledged).overdue(D(2026, 6, 1))


def test_the_apprenticeship_lists_the_reviews_due_with_the_overdue_ones(client_for, apprentice, mentee):
    today = timezone.localdate()
    response = client_for(apprentice).get(APPRENTICESHIP_REVIEWS.format(mentee.pk))
    assert response.status_code == 200
    body = response.json()
    assert [(item["period"], item["due_on"], item["overdue"], item["review"]) for item in body["due"]] == [
        (1, add_months(mentee.start_date, 6).isoformat(), True, None),
        (2, add_months(mentee.start_date, 12).isoformat(), True, None),
    ]
    assert add_months(mentee.start_date, 12) < today
    assert body["reviews"] == []
