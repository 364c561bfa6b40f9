"""Fixtures of the progress-review tests: a program that reviews every 6 months and at wage
steps, the apprentice's apprenticeship there (started 13 months ago, so that two periodic reviews
are due, the second one month ago) with employer A's supervisor as mentor, and ways to write,
submit and acknowledge a review through the API."""

import datetime

import pytest
from django.utils import timezone

from competencies.models import Milestone
from competencies.reviews import add_months
from tests import factories

APPRENTICESHIP_REVIEWS = "/api/v1/apprenticeships/{}/reviews/"


def review_url(review_id, action: str = "") -> str:
    return f"/api/v1/reviews/{review_id}/{action + '/' if action else ''}"


@pytest.fixture
def reviewed_program(program):
    program.review_interval_months = 6
    program.review_at_wage_steps = True
    program.save()
    return program


@pytest.fixture
def mentee(reviewed_program, employer_a, apprentice, employer_a_supervisor):
    """The apprentice's active apprenticeship at employer A, started 13 months ago, mentored by
    employer A's supervisor ("Sam Supervisor")."""
    employer_a.journeyworkers = 5
    employer_a.save()
    today = timezone.localdate()
    return factories.ApprenticeshipFactory(
        apprentice=apprentice,
        program=reviewed_program,
        employer=employer_a,
        mentor=employer_a_supervisor,
        start_date=add_months(today, -13),
        expected_end_date=today + datetime.timedelta(days=800),
        current_wage_step=reviewed_program.wage_steps.first(),
    )


@pytest.fixture
def ratings_body(reviewed_program):
    """A rating of each of the program's work processes, as a client sends them."""
    front, back = reviewed_program.work_processes.order_by("position")
    return [
        {"work_process": str(front.pk), "rating": 4, "comment": "Ships accessible components"},
        {"work_process": str(back.pk), "rating": 3, "comment": "Writes tested endpoints with help"},
    ]


@pytest.fixture
def write_review(client_for, employer_a_supervisor, mentee, ratings_body):
    """The mentor starts a review of `period` with both ratings, and submits it unless told not
    to. Returns the review as the API answered it."""

    def run(period=1, *, submit=True, **body):
        client = client_for(employer_a_supervisor)
        response = client.post(
            APPRENTICESHIP_REVIEWS.format(mentee.pk),
            {
                "period": period,
                "ratings": ratings_body,
                "comments": "Steady progress on the front end.",
                "goals": "Lead one feature end to end.",
                **body,
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        review = response.json()
        if submit:
            response = client.post(review_url(review["id"], "submit"))
            assert response.status_code == 200, response.json()
            review = response.json()
        return review

    return run


@pytest.fixture
def acknowledge(client_for, apprentice):
    def run(review, *, remote_addr="127.0.0.1", **body):
        return client_for(apprentice).post(
            review_url(review["id"], "acknowledge"),
            {"typed_name": "Ari Apprentice", "consent": True, **body},
            format="json",
            HTTP_USER_AGENT="pytest-browser/1.0",
            REMOTE_ADDR=remote_addr,
        )

    return run


@pytest.fixture
def wage_step_milestone(reviewed_program, mentee):
    """A pending "Step 2" wage-step milestone of the apprenticeship, reached 3 days ago."""
    step = reviewed_program.wage_steps.get(name="Step 2")
    definition = factories.MilestoneDefinitionFactory(
        program=reviewed_program, name="Wage step 2", kind="wage_step", threshold_hours=1000, wage_step=step
    )
    return Milestone.objects.create(
        apprenticeship=mentee, definition=definition, reached_at=timezone.now() - datetime.timedelta(days=3)
    )


@pytest.fixture
def everyone(raps_admin, employer_a_admin, employer_a_supervisor, employer_b_supervisor, other_raps_admin, outsider):
    """Every persona exists, so that a notice to the wrong person has someone to go to."""
