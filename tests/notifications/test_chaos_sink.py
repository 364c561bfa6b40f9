"""The chaos run's SMTP sink (chaos/services.py) counts what the portal's real SMTP backend sends,
by the Message-ID the run looks each notification up by (chaos/verify.py): a change of either
would make `make chaos` count every e-mail as lost, or miss the doubles."""

import smtplib
from email.message import EmailMessage

import pytest
from django.test import override_settings

from chaos.services import Sink
from chaos.verify import message_id
from notifications.models import Notification


@pytest.fixture
def sink():
    server = Sink(0)  # any free port
    yield server
    server.shutdown()
    server.server_close()


def test_each_notification_reaches_the_sink_once_under_the_message_id_the_run_looks_for(
    sink, client_for, everyone, apprentice, ojt, django_capture_on_commit_callbacks
):
    port = sink.server_address[1]
    smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1"}
    with override_settings(**smtp, EMAIL_PORT=port), django_capture_on_commit_callbacks(execute=True):
        response = client_for(apprentice).post("/api/v1/hour-logs/", ojt(hours="7.50"))
    assert response.status_code == 201

    notifications = list(Notification.objects.all())
    assert len(notifications) == 2  # employer A's two staff
    assert sink.counts() == {message_id(n.pk): 1 for n in notifications}


def test_a_message_sent_twice_is_counted_twice_a_lone_dot_in_its_body_included(sink):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "portal@example.org", "a@example.org", "hours"
    message["Message-ID"] = "<notification-1@apprenticeship-portal>"
    message.set_content("a line\n.\nand the line after a lone dot\n")
    with smtplib.SMTP("127.0.0.1", sink.server_address[1]) as client:
        client.send_message(message)
        client.send_message(message)

    assert sink.counts() == {"<notification-1@apprenticeship-portal>": 2}
