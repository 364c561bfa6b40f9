"""E-mail goes out after the event commits, once per notification, retried on failure and never
twice (tasks run eagerly here; tests/delivery runs real workers)."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.utils import timezone

from notifications.delivery import MAX_EMAIL_ATTEMPTS, notification_send_email, notifications_due_for_email
from notifications.models import Notification
from notifications.tasks import deliver_email, sweep_email_deliveries
from tests import factories
from tests.notifications.helpers import EMPLOYER_A_STAFF

FAILING_BACKEND = "tests.notifications.test_email_delivery.FailingBackend"


class SMTPDown(Exception):
    pass


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise SMTPDown("connection refused by smtp.example.org")


def _minutes(minutes: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


@pytest.fixture
def submitted_and_committed(client_for, everyone, apprentice, ojt, django_capture_on_commit_callbacks):
    """The apprentice submits OJT hours and the request commits: employer A's staff are told."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(apprentice).post("/api/v1/hour-logs/", ojt(hours="7.50"))
    assert response.status_code == 201
    return list(Notification.objects.order_by("recipient__email"))


def test_a_committed_event_emails_each_notification_exactly_once(submitted_and_committed):
    notifications = submitted_and_committed

    assert len(notifications) == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(EMPLOYER_A_STAFF)
    for notification in notifications:
        assert notification.email_state == "sent"
        assert notification.email_attempts == 1
        assert notification.email_sent_at is not None
        assert notification.email_last_error == ""
        (message,) = [m for m in mail.outbox if m.to == [notification.recipient.email]]
        assert message.subject == f"[Apprenticeship Portal] {notification.title}"
        assert message.body.startswith(notification.body)  # and the footer of the template
        assert notification.body_html in message.alternatives[0][0]
        assert message.alternatives[0][1] == "text/html"
        assert message.extra_headers["Message-ID"] == f"<notification-{notification.pk}@apprenticeship-portal>"


def test_nothing_is_emailed_before_the_commit(
    client_for, everyone, apprentice, ojt, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(apprentice).post("/api/v1/hour-logs/", ojt())

    # One task after the commit hands out both reviewers' e-mails (notifications/tasks.py deliver_emails).
    (callback,) = callbacks
    _task, (handed_out,) = callback.args
    assert sorted(handed_out) == sorted(str(pk) for pk in Notification.objects.values_list("pk", flat=True))
    assert len(handed_out) == 2
    assert mail.outbox == []
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"pending"}


def test_sending_a_sent_notification_again_sends_nothing(submitted_and_committed):
    notification = submitted_and_committed[0]

    assert notification_send_email(notification_id=notification.pk) == "not claimed"
    assert deliver_email.delay(str(notification.pk)).get() == "not claimed"

    assert len(mail.outbox) == 2
    notification.refresh_from_db()
    assert notification.email_state == "sent"
    assert notification.email_attempts == 1


def test_a_notification_whose_email_is_not_wanted_is_never_sent(everyone, employer_a_supervisor):
    notification = factories.NotificationFactory(recipient=employer_a_supervisor, email_state="not_wanted")

    assert notification_send_email(notification_id=notification.pk) == "not claimed"

    assert mail.outbox == []


@override_settings(EMAIL_BACKEND=FAILING_BACKEND)
def test_a_failing_mail_server_records_the_failure_and_a_later_attempt(employer_a_supervisor):
    notification = factories.NotificationFactory(recipient=employer_a_supervisor)
    started = timezone.now()

    with pytest.raises(SMTPDown):
        notification_send_email(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_state == "failed"
    assert notification.email_attempts == 1
    assert notification.email_sent_at is None
    assert notification.email_next_attempt_at > started
    assert "SMTPDown: connection refused by smtp.example.org" in notification.email_last_error
    assert mail.outbox == []
    assert str(notification.pk) not in notifications_due_for_email()  # not due before its time


def test_a_failing_mail_server_fails_no_event_and_the_sweep_sends_later(
    client_for, everyone, apprentice, ojt, django_capture_on_commit_callbacks
):
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND), django_capture_on_commit_callbacks(execute=True):
        response = client_for(apprentice).post("/api/v1/hour-logs/", ojt())

    assert response.status_code == 201
    assert mail.outbox == []
    notifications = list(Notification.objects.all())
    assert len(notifications) == 2
    for notification in notifications:
        assert notification.email_state == "failed"
        assert notification.email_attempts == 1
        assert notification.email_next_attempt_at > timezone.now()
    assert notifications_due_for_email() == []

    Notification.objects.update(email_next_attempt_at=_minutes(-1))  # their time has come
    swept = sweep_email_deliveries.delay().get()

    assert swept == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(EMPLOYER_A_STAFF)
    assert set(Notification.objects.values_list("email_state", "email_attempts")) == {("sent", 2)}


@override_settings(EMAIL_BACKEND=FAILING_BACKEND)
def test_the_last_allowed_attempt_that_fails_gives_up(employer_a_supervisor):
    notification = factories.NotificationFactory(
        recipient=employer_a_supervisor,
        email_state="failed",
        email_attempts=MAX_EMAIL_ATTEMPTS - 1,
        email_next_attempt_at=_minutes(-1),
    )

    with pytest.raises(SMTPDown):
        notification_send_email(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_state == "gave_up"
    assert notification.email_attempts == MAX_EMAIL_ATTEMPTS
    assert notification.email_next_attempt_at is None
    assert str(notification.pk) not in notifications_due_for_email()


def test_a_failed_email_is_sent_on_a_later_attempt(employer_a_supervisor):
    notification = factories.NotificationFactory(recipient=employer_a_supervisor)
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND), pytest.raises(SMTPDown):
        notification_send_email(notification_id=notification.pk)

    assert notification_send_email(notification_id=notification.pk) == "sent"

    notification.refresh_from_db()
    assert notification.email_state == "sent"
    assert notification.email_attempts == 2
    assert notification.email_last_error == ""
    assert len(mail.outbox) == 1


def test_due_emails_are_the_unsent_and_the_failed_whose_time_has_come(employer_a_supervisor):
    def make(**fields):
        return str(factories.NotificationFactory(recipient=employer_a_supervisor, **fields).pk)

    due = {
        make(email_state="pending"),  # never enqueued
        make(email_state="pending", email_next_attempt_at=_minutes(-5)),  # enqueued, lost
        make(email_state="failed", email_attempts=1, email_next_attempt_at=_minutes(-1)),
        make(email_state="sending", email_attempts=1, email_claimed_at=_minutes(-60)),  # its worker died
    }
    not_due = {
        make(email_state="pending", email_next_attempt_at=_minutes(1)),  # just written: its task runs
        make(email_state="failed", email_attempts=1, email_next_attempt_at=_minutes(2)),
        make(email_state="sending", email_attempts=1, email_claimed_at=timezone.now()),
        make(email_state="sent", email_attempts=1, email_sent_at=timezone.now()),
        make(email_state="not_wanted"),
        make(email_state="gave_up", email_attempts=MAX_EMAIL_ATTEMPTS),
    }

    listed = set(notifications_due_for_email())

    assert listed == due
    assert not listed & not_due


def test_a_just_committed_event_leaves_nothing_due(submitted_and_committed):
    assert notifications_due_for_email() == []


def test_the_sweep_delivers_due_emails_exactly_once(employer_a_supervisor, employer_a_admin):
    lost = factories.NotificationFactory(recipient=employer_a_supervisor, email_next_attempt_at=_minutes(-5))
    failed = factories.NotificationFactory(
        recipient=employer_a_admin, email_state="failed", email_attempts=1, email_next_attempt_at=_minutes(-1)
    )
    factories.NotificationFactory(recipient=employer_a_admin, email_state="sent", email_sent_at=timezone.now())
    factories.NotificationFactory(recipient=employer_a_admin, email_state="not_wanted")

    first = sweep_email_deliveries.delay().get()
    second = sweep_email_deliveries.delay().get()

    assert first == 2
    assert second == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [employer_a_supervisor.email, employer_a_admin.email]
    )
    lost.refresh_from_db()
    failed.refresh_from_db()
    assert (lost.email_state, lost.email_attempts) == ("sent", 1)
    assert (failed.email_state, failed.email_attempts) == ("sent", 2)


def test_an_email_handed_to_the_broker_is_not_handed_out_again_before_the_grace_lapses(
    monkeypatch, employer_a_supervisor
):
    """A queue that drains slower than the sweep runs (a worker down, a backlog) does not fill
    with copies: the sweep hands an e-mail out once, then again only after SWEEP_GRACE."""
    waiting = factories.NotificationFactory(recipient=employer_a_supervisor, email_next_attempt_at=_minutes(-5))
    queued = []
    # The broker takes the task; no worker runs it yet.
    monkeypatch.setattr(deliver_email, "delay", queued.append)

    first, second = sweep_email_deliveries.apply().get(), sweep_email_deliveries.apply().get()

    assert (first, second) == (1, 0)
    assert queued == [str(waiting.pk)]
    Notification.objects.filter(pk=waiting.pk).update(email_next_attempt_at=_minutes(-1))  # the grace lapsed
    assert sweep_email_deliveries.apply().get() == 1
    assert queued == [str(waiting.pk)] * 2
    waiting.refresh_from_db()
    assert waiting.email_state == "pending"
