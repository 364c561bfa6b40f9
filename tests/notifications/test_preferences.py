"""notification-preferences/: per event, whether to tell the caller in the portal and by e-mail;
both on by default. The preferences decide what a notification is: e-mail off leaves it unsent,
in-app off keeps it out of the list, both off writes nothing."""

import pytest
from django.core import mail

from notifications.models import PREFERENCE_EVENTS, Notification, NotificationPreference
from tests.notifications.helpers import (
    EMPLOYER_A_ADMIN,
    EMPLOYER_A_SUPERVISOR,
    NOTIFICATIONS,
    PREFERENCES,
    the_notification,
)


def _submit_ojt(client_for, apprentice, ojt, capture):
    """The apprentice submits OJT hours (employer A's staff are told), committed."""
    with capture(execute=True):
        response = client_for(apprentice).post("/api/v1/hour-logs/", ojt())
    assert response.status_code == 201


def test_every_event_is_listed_with_both_channels_on_by_default(client_for, apprentice):
    response = client_for(apprentice).get(PREFERENCES)

    assert response.status_code == 200
    assert response.json() == [
        {"event": event.value, "label": event.label, "in_app": True, "email": True} for event in PREFERENCE_EVENTS
    ]


def test_putting_a_list_changes_those_events_only(client_for, employer_a_supervisor):
    client = client_for(employer_a_supervisor)

    response = client.put(
        PREFERENCES,
        [
            {"event": "hours_submitted", "in_app": True, "email": False},
            {"event": "weekly_digest", "in_app": False, "email": False},
        ],
        format="json",
    )

    assert response.status_code == 200, response.json()
    listed = {row["event"]: (row["in_app"], row["email"]) for row in client.get(PREFERENCES).json()}
    assert response.json() == client.get(PREFERENCES).json()
    assert listed["hours_submitted"] == (True, False)
    assert listed["weekly_digest"] == (False, False)
    assert {
        event: channels for event, channels in listed.items() if event not in {"hours_submitted", "weekly_digest"}
    } == {
        event.value: (True, True)
        for event in PREFERENCE_EVENTS
        if event.value not in {"hours_submitted", "weekly_digest"}
    }

    client.put(PREFERENCES, [{"event": "hours_submitted", "in_app": True, "email": True}], format="json")

    assert {row["event"]: row["email"] for row in client.get(PREFERENCES).json()}["hours_submitted"] is True


def test_preferences_are_the_callers_own(client_for, employer_a_supervisor, employer_a_admin):
    client_for(employer_a_supervisor).put(
        PREFERENCES, [{"event": "hours_submitted", "in_app": False, "email": False}], format="json"
    )

    theirs = {
        row["event"]: (row["in_app"], row["email"]) for row in client_for(employer_a_admin).get(PREFERENCES).json()
    }

    assert theirs["hours_submitted"] == (True, True)
    assert NotificationPreference.objects.get().user == employer_a_supervisor


@pytest.mark.parametrize(
    "body",
    [
        [{"event": "not_an_event", "in_app": True, "email": True}],
        [{"event": "hours_submitted", "in_app": True}],
        {"event": "hours_submitted", "in_app": True, "email": True},
    ],
)
def test_a_bad_preference_list_is_refused_and_changes_nothing(client_for, apprentice, body):
    response = client_for(apprentice).put(PREFERENCES, body, format="json")

    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_preferences_need_a_signed_in_user(anonymous_client):
    assert anonymous_client.get(PREFERENCES).status_code in (401, 403)
    assert anonymous_client.put(PREFERENCES, [], format="json").status_code in (401, 403)


def test_email_off_keeps_the_notification_in_the_portal_and_sends_no_mail(
    client_for, everyone, apprentice, employer_a_supervisor, ojt, django_capture_on_commit_callbacks
):
    client_for(employer_a_supervisor).put(
        PREFERENCES, [{"event": "hours_submitted", "in_app": True, "email": False}], format="json"
    )

    _submit_ojt(client_for, apprentice, ojt, django_capture_on_commit_callbacks)

    notification = the_notification("hours_submitted", EMPLOYER_A_SUPERVISOR)
    assert notification.email_state == "not_wanted"
    assert notification.email_attempts == 0
    listed = client_for(employer_a_supervisor).get(NOTIFICATIONS).json()["results"]
    assert [row["id"] for row in listed] == [str(notification.pk)]
    assert [message.to for message in mail.outbox] == [[EMPLOYER_A_ADMIN]]  # the admin still wants it


def test_in_app_off_keeps_the_notification_out_of_the_list_but_emails_it(
    client_for, everyone, apprentice, employer_a_supervisor, ojt, django_capture_on_commit_callbacks
):
    client_for(employer_a_supervisor).put(
        PREFERENCES, [{"event": "hours_submitted", "in_app": False, "email": True}], format="json"
    )

    _submit_ojt(client_for, apprentice, ojt, django_capture_on_commit_callbacks)

    notification = the_notification("hours_submitted", EMPLOYER_A_SUPERVISOR)
    assert notification.in_app is False
    assert notification.email_state == "sent"
    assert client_for(employer_a_supervisor).get(NOTIFICATIONS).json()["results"] == []
    assert client_for(employer_a_supervisor).get(f"{NOTIFICATIONS}{notification.pk}/").status_code == 404
    assert sorted(message.to[0] for message in mail.outbox) == sorted([EMPLOYER_A_ADMIN, EMPLOYER_A_SUPERVISOR])


def test_both_channels_off_writes_no_notification(
    client_for, everyone, apprentice, employer_a_supervisor, ojt, django_capture_on_commit_callbacks
):
    client_for(employer_a_supervisor).put(
        PREFERENCES, [{"event": "hours_submitted", "in_app": False, "email": False}], format="json"
    )

    _submit_ojt(client_for, apprentice, ojt, django_capture_on_commit_callbacks)

    assert not Notification.objects.filter(recipient=employer_a_supervisor).exists()
    assert Notification.objects.filter(recipient__email=EMPLOYER_A_ADMIN, event="hours_submitted").exists()
    assert [message.to for message in mail.outbox] == [[EMPLOYER_A_ADMIN]]


def test_a_preference_for_one_event_leaves_the_others_alone(
    client_for, everyone, apprentice, employer_a_supervisor, ojt, log_as, django_capture_on_commit_callbacks
):
    client_for(apprentice).put(
        PREFERENCES, [{"event": "hours_submitted", "in_app": False, "email": False}], format="json"
    )

    with django_capture_on_commit_callbacks(execute=True):
        log_as(employer_a_supervisor, ojt())  # approved on entry: the apprentice is told

    notification = Notification.objects.get(recipient=apprentice)
    assert notification.event == "hours_approved"
    assert notification.in_app is True
    assert notification.email_state == "sent"


def test_an_event_named_twice_in_one_list_takes_the_last_choice(client_for, apprentice):
    client = client_for(apprentice)
    response = client.put(
        "/api/v1/notification-preferences/",
        [
            {"event": "milestone_approved", "in_app": True, "email": True},
            {"event": "milestone_approved", "in_app": False, "email": True},
        ],
        format="json",
    )

    assert response.status_code == 200, response.content
    assert NotificationPreference.objects.get(user=apprentice, event="milestone_approved").in_app is False
