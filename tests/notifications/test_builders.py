"""A notice may be given as a function that builds its message: `notify` calls it itself (so
that it can be built in each recipient's language) and stores what it built."""

import pytest

from notifications.models import Event, Notification
from notifications.services import Message, Notice, notify, notify_all
from tests import factories

pytestmark = pytest.mark.django_db


def test_notify_stores_what_a_builder_builds():
    user = factories.UserFactory()
    calls = []

    def build():
        calls.append(1)
        return Message(title="Built", body="Built when told", link="/x")

    notify(recipients=[user], event=Event.HOURS_APPROVED, message=build)
    assert calls
    notification = Notification.objects.get(recipient=user)
    assert (notification.title, notification.body, notification.link) == ("Built", "Built when told", "/x")


def test_notify_all_stores_what_each_builder_builds():
    first, second = factories.UserFactory(), factories.UserFactory()
    notify_all(
        [
            Notice(recipients=[first], event=Event.HOURS_APPROVED, message=lambda: Message(title="One", body="1")),
            Notice(recipients=[second], event=Event.HOURS_APPROVED, message=Message(title="Two", body="2")),
        ]
    )
    assert Notification.objects.get(recipient=first).title == "One"
    assert Notification.objects.get(recipient=second).title == "Two"
