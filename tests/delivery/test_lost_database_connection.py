"""The sender's database session dropped right after the SMTP server accepted a message: the
message goes out once and is recorded as sent on a fresh connection; where even that cannot be
done, it stays SENDING, no retry sends it, and only the sweep sends it again (same Message-ID)
once its claim has lapsed. A real SMTP server (tests/delivery/smtp_sink.py), real PostgreSQL
sessions ended with pg_terminate_backend."""

from datetime import timedelta

import psycopg
import pytest
from django.db import connection, connections
from django.utils import timezone

from notifications import delivery
from notifications.models import EmailState, Notification
from notifications.tasks import deliver_email, sweep_email_deliveries
from tests import factories
from tests.delivery.conftest import BROKER_URL, broker, wait_for
from tests.delivery.smtp_sink import SMTPSink


def another_session() -> psycopg.Connection:
    """A session of its own on the test database, outside Django, to end others from."""
    settings_dict = connection.settings_dict
    return psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        dbname=settings_dict["NAME"],
        autocommit=True,
    )


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(session: psycopg.Connection, where: str, *params) -> int:
    """End the sessions on the test database matching `where`, waiting for each to be gone."""
    rows = session.execute(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
        f"WHERE datname = current_database() AND pid <> pg_backend_pid() AND {where}",
        params,
    ).fetchall()
    return sum(1 for (ended,) in rows if ended)


@pytest.fixture
def smtp_to(settings):
    """Point this process's e-mail at an SMTP sink."""

    def use(sink: SMTPSink) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""

    return use


def state_of(notification) -> str:
    return Notification.objects.values_list("email_state", flat=True).get(pk=notification.pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_ended_right_after_the_smtp_server_accepts_sends_once_and_records_sent(smtp_to):
    notification = factories.NotificationFactory()
    pid = backend_pid()
    ended = []
    with another_session() as killer:

        def end_the_senders_session(message):
            ended.append(terminate(killer, "pid = %s", pid))

        with SMTPSink(on_accept=end_the_senders_session) as sink:
            smtp_to(sink)
            result = deliver_email.apply(args=[str(notification.pk)]).get()

    assert ended == [1]  # the session that claimed the e-mail was gone before send() returned
    assert sink.count == 1
    assert sink.message_ids == [f"<notification-{notification.pk}@apprenticeship-portal>"]
    assert result == EmailState.SENT
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT
    assert notification.email_sent_at is not None
    assert notification.email_attempts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_send_that_cannot_be_recorded_is_not_retried_and_is_resent_once_only_after_the_claim_lapses(
    smtp_to, monkeypatch
):
    notification = factories.NotificationFactory()
    monkeypatch.setattr(delivery, "RECORD_RETRY_DELAYS", (0.01, 0.05))
    wrapper = connections["default"]  # this thread's connection
    pid, port = backend_pid(), wrapper.settings_dict["PORT"]
    with another_session() as killer:

        def end_the_session_and_refuse_new_ones(message):
            terminate(killer, "pid = %s", pid)
            wrapper.settings_dict["PORT"] = 1  # nothing listens there: every reconnection is refused

        try:
            with SMTPSink(on_accept=end_the_session_and_refuse_new_ones) as sink:
                smtp_to(sink)
                first = deliver_email.apply(args=[str(notification.pk)]).get()
        finally:
            wrapper.settings_dict["PORT"] = port
            wrapper.close()

    assert first == EmailState.SENDING  # the outcome is unknown: not failed, not sent
    assert sink.count == 1
    assert state_of(notification) == EmailState.SENDING

    # A retry of the task (or the same task delivered twice) goes through the claim: nothing sent.
    with SMTPSink() as again:
        smtp_to(again)
        assert deliver_email.apply(args=[str(notification.pk)]).get() == "not claimed"
        assert sweep_email_deliveries.apply().get() == 0
        assert again.count == 0

        # Once the claim has lapsed the sweep hands it out again: the one double, same Message-ID.
        Notification.objects.filter(pk=notification.pk).update(
            email_claimed_at=timezone.now() - delivery.CLAIM_LEASE - timedelta(seconds=1)
        )
        assert sweep_email_deliveries.apply().get() == 1
    assert again.count == 1
    assert again.message_ids == sink.message_ids
    assert state_of(notification) == EmailState.SENT


@pytest.mark.slow
def test_a_worker_whose_sessions_are_ended_as_the_smtp_server_accepts_sends_once_and_records_sent(start_worker):
    start, _ = start_worker
    notifications = factories.NotificationFactory.create_batch(3)
    own = backend_pid()
    ended = []
    with another_session() as killer:

        def end_every_other_session(message):
            ended.append(terminate(killer, "pid <> %s", own))

        with SMTPSink(on_accept=end_every_other_session) as sink:
            start("dropped", email_url=f"smtp://127.0.0.1:{sink.port}")
            with broker(BROKER_URL):
                for notification in notifications:
                    deliver_email.delay(str(notification.pk))
            wait_for(
                lambda: all(state_of(n) == EmailState.SENT for n in notifications),
                timeout=60,
                what="the worker to record the three e-mails as sent",
            )

    assert len(ended) == 3
    assert all(ended)  # the worker's session was ended each time
    assert sink.count == 3
    assert sorted(sink.message_ids) == sorted(f"<notification-{n.pk}@apprenticeship-portal>" for n in notifications)
