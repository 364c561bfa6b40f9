"""E-mail delivery by real Celery workers consuming from Redis (not eager mode)."""

import pytest

from notifications.models import EmailState, Notification
from notifications.tasks import deliver_email, sweep_email_deliveries
from tests import factories
from tests.delivery.conftest import BROKER_URL, broker, mails_in, wait_for

pytestmark = pytest.mark.slow


def state_of(notification) -> str:
    return Notification.objects.values_list("email_state", flat=True).get(pk=notification.pk)


def test_a_worker_consuming_from_redis_delivers_the_email(start_worker):
    start, mail_dir = start_worker
    start("one")
    notification = factories.NotificationFactory(title="Hours approved: 8.00 h on Mar 03")

    with broker(BROKER_URL):
        deliver_email.delay(str(notification.pk))
    wait_for(lambda: state_of(notification) == EmailState.SENT, timeout=60, what="the worker to send the e-mail")

    sent = mails_in(mail_dir)
    assert len(sent) == 1
    assert "Hours approved: 8.00 h on Mar 03" in sent[0]
    assert notification.recipient.email in sent[0]


def test_two_workers_given_the_same_delivery_send_it_once(start_worker):
    start, mail_dir = start_worker
    start("first", concurrency=2)
    start("second", concurrency=2)
    notifications = factories.NotificationFactory.create_batch(5)

    with broker(BROKER_URL):
        for notification in notifications:
            for _ in range(4):  # the same delivery, published four times, over two workers
                deliver_email.delay(str(notification.pk))
    wait_for(
        lambda: all(state_of(n) == EmailState.SENT for n in notifications),
        timeout=60,
        what="all five e-mails to be sent",
    )
    # Let the duplicates drain too: they must find nothing to send.
    with broker(BROKER_URL):
        marker = factories.NotificationFactory()
        deliver_email.delay(str(marker.pk))
    wait_for(lambda: state_of(marker) == EmailState.SENT, timeout=60, what="the last e-mail")

    sent = mails_in(mail_dir)
    assert len(sent) == 6
    for notification in notifications:
        assert sum(notification.recipient.email in message for message in sent) == 1


def test_the_sweep_on_beat_hands_every_due_email_to_a_worker_once(start_worker):
    start, mail_dir = start_worker
    start("sweeper")
    due = factories.NotificationFactory.create_batch(3)  # written while nothing was enqueued
    already_sent = factories.NotificationFactory(email_state=EmailState.SENT, email_sent_at="2026-01-01T00:00:00Z")

    with broker(BROKER_URL):
        sweep_email_deliveries.delay()
        sweep_email_deliveries.delay()
    wait_for(lambda: all(state_of(n) == EmailState.SENT for n in due), timeout=60, what="the swept e-mails")

    sent = mails_in(mail_dir)
    assert len(sent) == 3
    assert not any(already_sent.recipient.email in message for message in sent)
