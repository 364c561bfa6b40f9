"""The e-mails of one write's notifications are handed to the workers after the commit: one as
its own task, many as one task that a worker fans out (`deliver_emails`), so that a request that
tells a hundred people publishes one task, not a hundred. Each e-mail is still its own task."""

import pytest
from django.core import mail

from notifications.models import Event, Notification
from notifications.services import Message, notify
from notifications.tasks import deliver_email, deliver_emails
from tests import factories

pytestmark = pytest.mark.django_db
MESSAGE = Message(title="Hours approved", body="Your hours were approved.", link="/hours")


@pytest.fixture
def published(monkeypatch):
    """The tasks a write publishes after its commit, as (task name, arguments)."""
    tasks: list = []
    monkeypatch.setattr("notifications.services.enqueue_on_commit", lambda task, *args: tasks.append((task.name, args)))
    return tasks


def test_the_emails_of_many_recipients_are_published_as_one_task(published):
    users = factories.UserFactory.create_batch(3)

    written = notify(recipients=users, event=Event.HOURS_APPROVED, message=MESSAGE)

    emailed = sorted(str(notification.pk) for notification in written if notification.email_state == "pending")
    assert len(emailed) == 3
    assert [(name, sorted(args[0])) for name, args in published] == [(deliver_emails.name, emailed)]


def test_one_recipients_email_is_its_own_task(published):
    (written,) = notify(recipients=[factories.UserFactory()], event=Event.HOURS_APPROVED, message=MESSAGE)

    assert published == [(deliver_email.name, (str(written.pk),))]


def test_the_one_task_sends_each_email_once(published):
    users = factories.UserFactory.create_batch(3)
    written = notify(recipients=users, event=Event.HOURS_APPROVED, message=MESSAGE)

    handed_out = deliver_emails.apply(args=[[str(notification.pk) for notification in written]]).get()

    assert handed_out == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in users)
    assert set(Notification.objects.filter(pk__in=[n.pk for n in written]).values_list("email_state", flat=True)) == {
        "sent"
    }
