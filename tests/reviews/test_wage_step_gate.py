"""A program may make a wage step wait for a signed review: with `wage_step_needs_review`, a
wage-step milestone is approved (alone or in bulk) only once the apprentice has acknowledged a
progress review on or after the day it was reached; else 400 naming `review`, nothing written."""

import datetime

import pytest
from django.utils import timezone

from apprenticeships.services.documents import document_file
from competencies.models import Milestone, ProgressReview
from tests import factories
from tests.reviews.conftest import APPRENTICESHIP_REVIEWS, review_url

pytestmark = pytest.mark.django_db

APPROVE_ALL = "/api/v1/milestones/approve/"


def approve_url(milestone) -> str:
    return f"/api/v1/milestones/{milestone.pk}/approve/"


@pytest.fixture
def gated(reviewed_program):
    reviewed_program.wage_step_needs_review = True
    reviewed_program.save()
    return reviewed_program


@pytest.fixture
def wage_step_review(client_for, employer_a_supervisor, mentee, ratings_body, acknowledge):
    """The mentor writes and submits the review of the wage step; acknowledged unless told not to."""

    def run(milestone, *, acknowledged=True):
        client = client_for(employer_a_supervisor)
        response = client.post(
            APPRENTICESHIP_REVIEWS.format(mentee.pk),
            {"milestone": str(milestone.pk), "ratings": ratings_body, "comments": "Ready for step 2."},
            format="json",
        )
        assert response.status_code == 201, response.json()
        review = client.post(review_url(response.json()["id"], "submit")).json()
        if acknowledged:
            assert acknowledge(review).status_code == 200
        return review

    return run


def _state(mentee, milestone):
    mentee.refresh_from_db()
    return Milestone.objects.get(pk=milestone.pk).status, mentee.current_wage_step.name


def test_a_gated_wage_step_is_not_approved_without_a_signed_review(
    client_for, raps_admin, gated, mentee, wage_step_milestone
):
    response = client_for(raps_admin).post(approve_url(wage_step_milestone))
    assert response.status_code == 400
    assert list(response.json()) == ["review"]
    assert _state(mentee, wage_step_milestone) == ("pending", "Step 1")


def test_a_review_submitted_but_not_signed_does_not_open_the_gate(
    client_for, raps_admin, gated, mentee, wage_step_milestone, wage_step_review
):
    wage_step_review(wage_step_milestone, acknowledged=False)
    assert client_for(raps_admin).post(approve_url(wage_step_milestone)).status_code == 400
    assert _state(mentee, wage_step_milestone) == ("pending", "Step 1")


def test_the_signed_review_of_the_wage_step_opens_the_gate(
    client_for, raps_admin, gated, mentee, wage_step_milestone, wage_step_review
):
    review = wage_step_review(wage_step_milestone)
    assert review["reason"] == "wage_step"
    response = client_for(raps_admin).post(approve_url(wage_step_milestone))
    assert response.status_code == 200, response.json()
    assert _state(mentee, wage_step_milestone) == ("approved", "Step 2")


def test_a_periodic_review_signed_after_the_step_was_reached_covers_it_and_one_signed_before_does_not(
    client_for, raps_admin, gated, mentee, wage_step_milestone, write_review, acknowledge
):
    signed = acknowledge(write_review(1)).json()
    ProgressReview.objects.filter(pk=signed["id"]).update(
        acknowledged_at=wage_step_milestone.reached_at - datetime.timedelta(hours=1)
    )
    assert client_for(raps_admin).post(approve_url(wage_step_milestone)).status_code == 400
    acknowledge(write_review(2))
    assert client_for(raps_admin).post(approve_url(wage_step_milestone)).status_code == 200


def test_without_the_setting_a_wage_step_is_approved_without_a_review(
    client_for, raps_admin, reviewed_program, mentee, wage_step_milestone
):
    assert reviewed_program.wage_step_needs_review is False
    assert client_for(raps_admin).post(approve_url(wage_step_milestone)).status_code == 200


@pytest.fixture
def probation_milestone(mentee):
    definition = mentee.program.milestone_definitions.get(name="Probation complete")
    return Milestone.objects.create(apprenticeship=mentee, definition=definition, reached_at=timezone.now())


def test_a_bulk_approval_with_a_gated_wage_step_approves_nothing_and_names_it(
    client_for, raps_admin, gated, mentee, wage_step_milestone, probation_milestone
):
    response = client_for(raps_admin).post(
        APPROVE_ALL, {"ids": [str(probation_milestone.pk), str(wage_step_milestone.pk)]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [str(wage_step_milestone.pk)]
    assert list(response.json()[str(wage_step_milestone.pk)]) == ["review"]
    assert Milestone.objects.get(pk=probation_milestone.pk).status == "pending"
    assert _state(mentee, wage_step_milestone) == ("pending", "Step 1")


def test_a_bulk_approval_passes_the_gate_once_the_review_is_signed(
    client_for, raps_admin, gated, mentee, wage_step_milestone, probation_milestone, wage_step_review
):
    wage_step_review(wage_step_milestone)
    response = client_for(raps_admin).post(
        APPROVE_ALL, {"ids": [str(probation_milestone.pk), str(wage_step_milestone.pk)]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert Milestone.objects.get(pk=probation_milestone.pk).status == "approved"
    assert _state(mentee, wage_step_milestone) == ("approved", "Step 2")


def test_the_gate_of_one_apprenticeship_is_not_opened_by_anothers_review(
    client_for, raps_admin, gated, mentee, wage_step_milestone, employer_b
):
    other = factories.ApprenticeshipFactory(program=gated, employer=employer_b, start_date=mentee.start_date)
    ProgressReview.objects.create(
        apprenticeship=other,
        reason="periodic",
        period=1,
        due_on=other.start_date,
        status="acknowledged",
        written_by=other.apprentice,
        submitted_at=timezone.now(),
        acknowledged_at=timezone.now(),
        acknowledged_name="Someone",
        acknowledged_consent=True,
        document=_filed_document(other),
    )
    assert client_for(raps_admin).post(approve_url(wage_step_milestone)).status_code == 400


def _filed_document(apprenticeship):
    return document_file(
        apprenticeship=apprenticeship,
        kind="progress_review",
        title="Review",
        content=b"%PDF-1.4 test",
        filename="review.pdf",
        content_type="application/pdf",
        by=None,
        reason="test",
    )
