"""The PDF of an acknowledged review says what the review says: the rating and comment of each
work process, the comments, the goals, and the apprentice's acknowledgement, with the sponsor's
name on every page."""

import io

import pytest
from pypdf import PdfReader

from competencies.models import ProgressReview

pytestmark = pytest.mark.django_db


def _text(review_id) -> tuple[str, list[str]]:
    review = ProgressReview.objects.select_related("document").get(pk=review_id)
    reader = PdfReader(io.BytesIO(review.document.file.read()))
    pages = [page.extract_text() for page in reader.pages]
    return " ".join(" ".join(pages).split()), pages


def test_the_pdf_states_the_ratings_comments_and_acknowledgement(write_review, acknowledge, tmp_path):
    review = write_review(1, comments="Steady progress; <b> & tags print as typed.")
    acknowledged = acknowledge(review, comment="Thanks for the feedback.").json()
    text, pages = _text(review["id"])
    for page in pages:
        assert "Technology HRTP" in page
    for rating in acknowledged["ratings"]:
        assert f"{rating['work_process_title']} {rating['rating']} – {rating['rating_label']}" in text
        assert rating["comment"] in text
    assert "Steady progress; <b> & tags print as typed." in text
    assert "Lead one feature end to end." in text
    assert "Ari Apprentice" in text
    assert "Sam Supervisor" in text
    assert "Periodic review 1" in text
    assert "Thanks for the feedback." in text
    assert "127.0.0.1" in text
    # Kept for a person to look at: pdftoppm -png -r 60 <this> /tmp/review
    (tmp_path / "review.pdf").write_bytes(ProgressReview.objects.get(pk=review["id"]).document.file.read())
