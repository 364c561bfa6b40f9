"""The mentor writes a progress review (a draft, edited, submitted); the apprentice acknowledges it
by typing their name; everyone else is refused (403 where they see the apprenticeship, 404
where they do not); an acknowledged review never changes again and its PDF is in the vault."""

import pytest

from apprenticeships.models import Document
from competencies.models import ProgressReview, ReviewRating
from tests.reviews.conftest import APPRENTICESHIP_REVIEWS, review_url

pytestmark = pytest.mark.django_db


def test_the_mentor_starts_edits_and_submits_a_review(client_for, employer_a_supervisor, mentee, write_review):
    review = write_review(1, submit=False)
    assert review["status"] == "draft"
    assert review["reason"] == "periodic"
    assert review["written_by"]["name"] == "Sam Supervisor"
    assert [(r["work_process_title"], r["rating"], r["rating_label"]) for r in review["ratings"]] == [
        ("Front end", 4, "Exceeds expectations"),
        ("Back end", 3, "Meets expectations"),
    ]
    client = client_for(employer_a_supervisor)
    front = mentee.program.work_processes.get(title="Front end")
    response = client.patch(
        review_url(review["id"]),
        {"goals": "Pair on the checkout flow.", "ratings": [{"work_process": str(front.pk), "rating": 5}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["goals"] == "Pair on the checkout flow."
    assert [r["rating"] for r in response.json()["ratings"]] == [5, 3]
    response = client.post(review_url(review["id"], "submit"))
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    stored = ProgressReview.objects.get(pk=review["id"])
    assert stored.submitted_at is not None
    assert list(stored.history.order_by("history_date").values_list("history_change_reason", flat=True)) == [
        "review started",
        "review changed",
        "review submitted",
    ]


def test_a_review_is_submitted_only_with_every_work_process_rated(
    client_for, employer_a_supervisor, mentee, ratings_body
):
    client = client_for(employer_a_supervisor)
    response = client.post(
        APPRENTICESHIP_REVIEWS.format(mentee.pk), {"period": 1, "ratings": ratings_body[:1]}, format="json"
    )
    assert response.status_code == 201
    review_id = response.json()["id"]
    response = client.post(review_url(review_id, "submit"))
    assert response.status_code == 400
    assert "Back end" in response.json()["ratings"][0]
    assert ProgressReview.objects.get(pk=review_id).status == "draft"


def test_a_review_is_started_only_for_a_period_that_is_due_and_once(
    client_for, employer_a_supervisor, mentee, write_review
):
    client = client_for(employer_a_supervisor)
    response = client.post(APPRENTICESHIP_REVIEWS.format(mentee.pk), {"period": 7}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["period"]
    write_review(1, submit=False)
    response = client.post(APPRENTICESHIP_REVIEWS.format(mentee.pk), {"period": 1}, format="json")
    assert response.status_code == 409
    assert ProgressReview.objects.filter(apprenticeship=mentee).count() == 1


def test_a_rating_outside_the_scale_or_of_another_program_is_refused(
    client_for, employer_a_supervisor, mentee, ratings_body
):
    client = client_for(employer_a_supervisor)
    url = APPRENTICESHIP_REVIEWS.format(mentee.pk)
    response = client.post(url, {"period": 1, "ratings": [{**ratings_body[0], "rating": 6}]}, format="json")
    assert response.status_code == 400
    assert "ratings" in response.json()
    foreign = {"work_process": "00000000-0000-0000-0000-000000000001", "rating": 3}
    response = client.post(url, {"period": 1, "ratings": [foreign]}, format="json")
    assert response.status_code == 400
    assert "ratings" in response.json()
    assert not ProgressReview.objects.exists()


@pytest.mark.parametrize("persona", ["employer_a_admin", "raps_admin", "apprentice"])
def test_who_sees_the_apprenticeship_but_is_not_its_mentor_may_not_write_a_review(
    request, client_for, mentee, persona, write_review
):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(APPRENTICESHIP_REVIEWS.format(mentee.pk), {"period": 1}, format="json")
    assert response.status_code == 403
    draft = write_review(1, submit=False)
    assert client.patch(review_url(draft["id"]), {"comments": "Mine"}, format="json").status_code == 403
    assert client.post(review_url(draft["id"], "submit")).status_code == 403
    assert ProgressReview.objects.get(pk=draft["id"]).comments == "Steady progress on the front end."


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_a_review_outside_the_callers_scope_is_not_found(request, client_for, mentee, persona, write_review):
    review = write_review(1)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(APPRENTICESHIP_REVIEWS.format(mentee.pk)).status_code == 404
    assert client.post(APPRENTICESHIP_REVIEWS.format(mentee.pk), {"period": 2}, format="json").status_code == 404
    assert client.get(review_url(review["id"])).status_code == 404
    assert client.patch(review_url(review["id"]), {"comments": "x"}, format="json").status_code == 404
    body = {"typed_name": "Ari Apprentice", "consent": True}
    assert client.post(review_url(review["id"], "acknowledge"), body, format="json").status_code == 404


def test_with_no_mentor_the_employers_staff_write_the_review(client_for, employer_a_admin, mentee):
    mentee.mentor = None
    mentee.save()
    response = client_for(employer_a_admin).post(APPRENTICESHIP_REVIEWS.format(mentee.pk), {"period": 2}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["written_by"]["name"] == "Ada Admin"


def test_the_apprentice_acknowledges_a_submitted_review_and_its_pdf_is_filed(mentee, write_review, acknowledge):
    review = write_review(1)
    response = acknowledge(review, comment="I would like more back-end work.", remote_addr="203.0.113.9")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "acknowledged"
    assert body["acknowledged_name"] == "Ari Apprentice"
    assert body["apprentice_comment"] == "I would like more back-end work."
    stored = ProgressReview.objects.get(pk=review["id"])
    assert stored.acknowledged_consent is True
    assert stored.acknowledged_ip == "203.0.113.9"
    assert stored.acknowledged_user_agent == "pytest-browser/1.0"
    document = Document.objects.get(apprenticeship=mentee)
    assert str(document.pk) == body["document"]
    assert (document.kind, document.generated, document.uploaded_by, document.content_type) == (
        "progress_review",
        True,
        None,
        "application/pdf",
    )
    assert document.file.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"typed_name": "Someone Else"}, "typed_name"),
        ({"consent": False}, "consent"),
    ],
)
def test_an_acknowledgement_needs_the_apprentices_own_name_and_consent(write_review, acknowledge, body, field):
    review = write_review(1)
    response = acknowledge(review, **body)
    assert response.status_code == 400
    assert field in response.json()
    assert ProgressReview.objects.get(pk=review["id"]).status == "submitted"
    assert not Document.objects.exists()


def test_the_name_is_matched_without_regard_to_case_or_spaces(write_review, acknowledge):
    review = write_review(1)
    response = acknowledge(review, typed_name="  ari   APPRENTICE ")
    assert response.status_code == 200
    assert response.json()["acknowledged_name"] == "ari APPRENTICE"


def test_only_the_apprentice_acknowledges(client_for, employer_a_supervisor, raps_admin, write_review):
    review = write_review(1)
    body = {"typed_name": "Ari Apprentice", "consent": True}
    for user in (employer_a_supervisor, raps_admin):
        assert client_for(user).post(review_url(review["id"], "acknowledge"), body, format="json").status_code == 403
    assert ProgressReview.objects.get(pk=review["id"]).status == "submitted"


def test_a_draft_is_not_acknowledged(write_review, acknowledge):
    review = write_review(1, submit=False)
    assert acknowledge(review).status_code == 409
    assert ProgressReview.objects.get(pk=review["id"]).status == "draft"


def test_an_acknowledged_review_never_changes_again(
    client_for, employer_a_supervisor, mentee, write_review, acknowledge
):
    review = write_review(1)
    assert acknowledge(review).status_code == 200
    before = ProgressReview.objects.get(pk=review["id"])
    ratings_before = list(ReviewRating.objects.filter(review=before).values_list("rating", "comment"))
    client = client_for(employer_a_supervisor)
    front = mentee.program.work_processes.get(title="Front end")
    response = client.patch(
        review_url(review["id"]),
        {"comments": "Rewritten", "ratings": [{"work_process": str(front.pk), "rating": 1}]},
        format="json",
    )
    assert response.status_code == 409
    assert client.post(review_url(review["id"], "submit")).status_code == 409
    assert acknowledge(review, comment="Again").status_code == 409
    after = ProgressReview.objects.get(pk=review["id"])
    assert (after.comments, after.apprentice_comment, after.acknowledged_at, after.document_id) == (
        before.comments,
        before.apprentice_comment,
        before.acknowledged_at,
        before.document_id,
    )
    assert list(ReviewRating.objects.filter(review=after).values_list("rating", "comment")) == ratings_before
    assert Document.objects.filter(apprenticeship=mentee).count() == 1


def test_a_submitted_review_is_no_longer_edited(client_for, employer_a_supervisor, write_review):
    review = write_review(1)
    response = client_for(employer_a_supervisor).patch(review_url(review["id"]), {"goals": "New"}, format="json")
    assert response.status_code == 409
    assert ProgressReview.objects.get(pk=review["id"]).goals == "Lead one feature end to end."
