"""An apprenticeship's reviews (`apprenticeships/{id}/reviews/`: what is due and every review
written) answer in the same number of queries for one review and for several, each with its
ratings."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reviews.conftest import APPRENTICESHIP_REVIEWS


def _count(client, mentee, reviews: int) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(APPRENTICESHIP_REVIEWS.format(mentee.pk))
    assert response.status_code == 200, response.content
    listed = response.json()["reviews"]
    assert len(listed) == reviews
    assert all(len(review["ratings"]) == 2 for review in listed)
    return len(context.captured_queries)


def test_the_reviews_list_costs_the_same_queries_for_one_review_and_for_two(
    client_for, raps_admin, mentee, write_review
):
    client = client_for(raps_admin)
    write_review(1)
    one = _count(client, mentee, 1)

    write_review(2)
    two = _count(client, mentee, 2)

    assert one == two
