"""Submitting hours answers in a fixed number of queries, however many reviewers are told."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from tests import factories

HOUR_LOGS = "/api/v1/hour-logs/"


def _submit(client, body) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.post(HOUR_LOGS, body, format="json")
    assert response.status_code == 201, response.content
    return len(context.captured_queries)


def test_an_apprentices_submission_answers_in_the_same_queries_for_1_and_for_10_reviewers(
    client_for, apprentice, apprenticeship, employer_a, employer_a_supervisor, ojt
):
    client = client_for(apprentice)
    _submit(client, ojt(date="2025-03-03"))  # once, so that the process knows the content types
    one = _submit(client, ojt(date="2025-03-04"))
    assert Notification.objects.filter(event="hours_submitted").count() == 2

    for _ in range(9):
        factories.MembershipFactory(user=factories.UserFactory(), employer=employer_a, role="supervisor")
    ten = _submit(client, ojt(date="2025-03-05"))

    assert Notification.objects.filter(event="hours_submitted").count() == 2 + 10
    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. BEGIN  6. lock
    # the apprenticeship, found within the caller's scope, with its program and employer, and
    # its apprentice, in that order  7. the work processes of its program  8. the hours of that
    # day  9., 10., 11. the log, its history and the history's audit entry  12. the running totals
    # 13. the reviewers with their preferences, in one query  14., 15. the reviewers'
    # notifications and their history, one INSERT each  16. COMMIT  17. the work process's title,
    # which the answer names
    assert one == ten == 17


def test_a_deactivated_reviewer_is_not_told(client_for, apprentice, employer_a_supervisor, employer_a_admin, ojt):
    employer_a_admin.is_active = False
    employer_a_admin.save()

    _submit(client_for(apprentice), ojt())

    told = Notification.objects.filter(event="hours_submitted").values_list("recipient_id", flat=True)
    assert list(told) == [employer_a_supervisor.pk]


def test_each_reviewers_notification_is_in_history_naming_who_caused_it_and_why(
    client_for, apprentice, employer_a_supervisor, employer_a_admin, ojt
):
    _submit(client_for(apprentice), ojt())

    told = Notification.objects.filter(event="hours_submitted")
    assert {n.recipient_id for n in told} == {employer_a_supervisor.pk, employer_a_admin.pk}
    for notification in told:
        (created,) = notification.history.all()
        assert created.history_type == "+"
        assert created.history_user_id == apprentice.pk
        assert created.history_change_reason == "hours_submitted"
        assert created.title == notification.title
