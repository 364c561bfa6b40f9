"""Overdue progress reviews: listed in the work summary with the apprentice's name, and told to
the mentor and the apprentice by the daily job, once per review however often it runs."""

import pytest
from django.utils import timezone

from competencies.notices import reviews_overdue_notices
from competencies.tasks import daily_review_overdue_notices
from notifications.models import Notification
from tests.reviews.conftest import review_url

pytestmark = pytest.mark.django_db

WORK_SUMMARY = "/api/v1/reports/work-summary/"


def test_overdue_reviews_are_listed_in_the_work_summary_with_names(client_for, raps_admin, mentee, write_review):
    listed = client_for(raps_admin).get(WORK_SUMMARY).json()["reviews_overdue"]
    assert listed["count"] == 2
    first = listed["items"][0]
    assert (first["apprentice"]["name"], first["program"]["title"], first["employer"]["name"]) == (
        "Ari Apprentice",
        "Web Developer (test)",
        "Employer A",
    )
    assert [(item["reason"], item["period"], item["review"]) for item in listed["items"]] == [
        ("periodic", 1, None),
        ("periodic", 2, None),
    ]
    # Started and submitted, it is still overdue until the apprentice signs it.
    review = write_review(2)
    items = client_for(raps_admin).get(WORK_SUMMARY).json()["reviews_overdue"]["items"]
    assert [(item["period"], item["status"]) for item in items] == [(1, None), (2, "submitted")]
    assert items[1]["review"] == review["id"]


def test_an_acknowledged_review_leaves_the_work_summary(client_for, employer_a_supervisor, write_review, acknowledge):
    acknowledge(write_review(1))
    items = client_for(employer_a_supervisor).get(WORK_SUMMARY).json()["reviews_overdue"]["items"]
    assert [item["period"] for item in items] == [2]


def test_a_program_without_reviews_lists_none(client_for, raps_admin, mentee):
    program = mentee.program
    program.review_interval_months, program.review_at_wage_steps = None, False
    program.save()
    assert client_for(raps_admin).get(WORK_SUMMARY).json()["reviews_overdue"] == {"count": 0, "items": []}


def _overdue_notices():
    return list(
        Notification.objects.filter(event="review_overdue")
        .order_by("recipient__email", "title", "body")
        .values_list("recipient__email", "body")
    )


def test_the_mentor_and_the_apprentice_are_told_of_each_overdue_review_once(
    everyone, mentee, django_capture_on_commit_callbacks
):
    written = reviews_overdue_notices(today=timezone.localdate())
    assert written == 4  # two reviews overdue, two people told of each
    told = _overdue_notices()
    assert sorted({email for email, _ in told}) == ["apprentice@example.org", "supervisor.a@example.org"]
    bodies = [body for email, body in told if email == "apprentice@example.org"]
    assert "periodic review 1 of Ari Apprentice (Web Developer (test)) was due on" in bodies[0]
    assert "periodic review 2" in bodies[1]
    # The job runs again (the next day, or twice): nothing new.
    assert reviews_overdue_notices(today=timezone.localdate()) == 0
    assert daily_review_overdue_notices() == 0
    assert _overdue_notices() == told


def test_with_no_mentor_the_employers_staff_are_told(everyone, mentee):
    mentee.mentor = None
    mentee.save()
    reviews_overdue_notices(today=timezone.localdate())
    told = {email for email, _ in _overdue_notices()}
    assert told == {"apprentice@example.org", "supervisor.a@example.org", "admin.a@example.org"}


def test_an_acknowledged_review_is_not_told_overdue(everyone, mentee, write_review, acknowledge):
    acknowledge(write_review(1))
    acknowledge(write_review(2))
    assert reviews_overdue_notices(today=timezone.localdate()) == 0


def test_the_apprentice_is_asked_to_sign_a_submitted_review(client_for, everyone, employer_a_supervisor, write_review):
    review = write_review(1)
    notice = Notification.objects.get(event="review_submitted")
    assert notice.recipient.email == "apprentice@example.org"
    assert "Sam Supervisor submitted the progress review of Ari Apprentice on" in notice.body
    assert review_url(review["id"]) not in notice.body  # it links into the front end
    assert notice.link.endswith(f"/apprenticeships/{review['apprenticeship']}")


def test_the_overdue_notice_runs_daily_on_the_beat_schedule(settings):
    entries = [
        entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"].endswith("review_overdue_notices")
    ]
    assert [entry["task"] for entry in entries] == ["competencies.tasks.daily_review_overdue_notices"]
    assert entries[0]["schedule"].day_of_week == set(range(7))
