"""notifications/: the caller's own in-app notifications, newest first (`?unread=true`);
`{id}/read/` and `read-all/`. Another user's notification answers 404."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apprenticeships.models import Apprenticeship
from notifications.models import Notification
from tests import factories
from tests.notifications.helpers import NOTIFICATIONS


def _notification_for(user, **fields):
    return factories.NotificationFactory(recipient=user, **fields)


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_the_list_shows_the_callers_own_notifications_newest_first(client_for, apprentice, outsider):
    older = _notification_for(apprentice, title="older")
    newer = _notification_for(apprentice, title="newer")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    _notification_for(outsider)

    response = client_for(apprentice).get(NOTIFICATIONS)

    assert _ids(response) == [str(newer.pk), str(older.pk)]
    first = response.json()["results"][0]
    assert first["title"] == "newer"
    assert first["event"] == "hours_approved"
    assert first["read_at"] is None
    assert first["email_state"] == "pending"
    assert set(first) == {"id", "event", "title", "body", "link", "subject", "created_at", "read_at", "email_state"}


def test_a_notification_names_its_subject(client_for, apprentice, apprenticeship):
    _notification_for(
        apprentice,
        subject_type=ContentType.objects.get_for_model(Apprenticeship),
        subject_id=str(apprenticeship.pk),
    )

    row = client_for(apprentice).get(NOTIFICATIONS).json()["results"][0]

    assert row["subject"] == {"type": "apprenticeship", "id": str(apprenticeship.pk)}


@pytest.mark.parametrize("action", ["get", "read"])
def test_another_users_notification_answers_404(client_for, apprentice, outsider, action):
    theirs = _notification_for(outsider)
    client = client_for(apprentice)

    response = (
        client.get(f"{NOTIFICATIONS}{theirs.pk}/")
        if action == "get"
        else client.post(f"{NOTIFICATIONS}{theirs.pk}/read/")
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_needs_a_signed_in_user(anonymous_client):
    assert anonymous_client.get(NOTIFICATIONS).status_code in (401, 403)


def test_unread_true_lists_only_unread_notifications(client_for, apprentice):
    unread = _notification_for(apprentice)
    read = _notification_for(apprentice, read_at=timezone.now())
    client = client_for(apprentice)

    assert _ids(client.get(NOTIFICATIONS, {"unread": "true"})) == [str(unread.pk)]
    assert _ids(client.get(NOTIFICATIONS, {"unread": "false"})) == [str(read.pk)]
    assert set(_ids(client.get(NOTIFICATIONS))) == {str(unread.pk), str(read.pk)}


def test_a_bad_unread_value_is_a_400(client_for, apprentice):
    response = client_for(apprentice).get(NOTIFICATIONS, {"unread": "perhaps"})

    assert response.status_code == 400
    assert "unread" in response.json()


def test_reading_a_notification_marks_it_read_once(client_for, apprentice):
    notification = _notification_for(apprentice)
    client = client_for(apprentice)

    first = client.post(f"{NOTIFICATIONS}{notification.pk}/read/")
    second = client.post(f"{NOTIFICATIONS}{notification.pk}/read/")

    assert first.status_code == 200
    assert first.json()["read_at"] is not None
    assert second.status_code == 200
    assert second.json()["read_at"] == first.json()["read_at"]
    assert _ids(client.get(NOTIFICATIONS, {"unread": "true"})) == []
    history = notification.history.order_by("-history_date").first()
    assert history.history_change_reason == "read"
    assert history.history_user == apprentice


def test_read_all_marks_every_own_unread_notification_and_returns_the_count(client_for, apprentice, outsider):
    mine = [_notification_for(apprentice) for _ in range(3)]
    already = _notification_for(apprentice, read_at=timezone.now() - datetime.timedelta(days=1))
    not_in_app = _notification_for(apprentice, in_app=False)
    theirs = _notification_for(outsider)
    client = client_for(apprentice)

    response = client.post(f"{NOTIFICATIONS}read-all/")
    again = client.post(f"{NOTIFICATIONS}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked_read": 3}
    assert again.json() == {"marked_read": 0}
    assert all(Notification.objects.get(pk=n.pk).read_at is not None for n in mine)
    assert Notification.objects.get(pk=already.pk).read_at == already.read_at
    assert Notification.objects.get(pk=not_in_app.pk).read_at is None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert _ids(client.get(NOTIFICATIONS, {"unread": "true"})) == []


def test_read_all_keeps_history_like_reading_one(client_for, apprentice):
    notification = _notification_for(apprentice)

    client_for(apprentice).post(f"{NOTIFICATIONS}read-all/")

    newest = notification.history.order_by("-history_date").first()
    assert newest.read_at is not None
    assert newest.history_user == apprentice


def test_the_list_answers_in_the_same_number_of_queries_for_1_and_50(client_for, apprentice, apprenticeship):
    subject = {"subject_type": ContentType.objects.get_for_model(Apprenticeship), "subject_id": str(apprenticeship.pk)}
    client = client_for(apprentice)

    def count(rows):
        with CaptureQueriesContext(connection) as context:
            response = client.get(NOTIFICATIONS)
        assert len(_ids(response)) == rows
        return len(context.captured_queries)

    _notification_for(apprentice, **subject)
    one = count(1)
    for position in range(49):
        _notification_for(apprentice, **(subject if position % 2 else {}))
    fifty = count(50)

    # 1. session  2. user  3. COUNT(*)  4. the page of notifications with their subjects' content
    # types (own notifications: the caller's scope is never resolved)
    assert one == fifty == 4
