"""A broker that is down never fails a request, and loses no e-mail."""

import time

import pytest
from django.core import mail

from competencies.models import HourLog
from competencies.services import hour_totals_recompute
from notifications.models import EmailState, Notification
from notifications.tasks import sweep_email_deliveries
from tests import factories
from tests.delivery.conftest import BROKER_URL, NOWHERE, broker, mails_in, wait_for

pytestmark = pytest.mark.slow


def test_approving_hours_with_the_broker_down_answers_and_the_sweep_delivers_the_email_once(
    start_worker, client_for, apprentice, employer_a_supervisor, apprenticeship
):
    log = factories.HourLogFactory(apprenticeship=apprenticeship, logged_by=apprentice, status="submitted")
    hour_totals_recompute(apprenticeship=apprenticeship)
    supervisor = client_for(employer_a_supervisor)

    with broker(NOWHERE):
        started = time.monotonic()
        response = supervisor.post(f"/api/v1/hour-logs/{log.pk}/approve/")
        print(f"approve answered in {time.monotonic() - started:.3f} s with the broker down")  # reported, not asserted
    told = Notification.objects.get(recipient=apprentice, event="hours_approved")

    assert response.status_code == 200
    assert HourLog.objects.get(pk=log.pk).status == "approved"
    assert told.email_state == EmailState.PENDING
    assert mail.outbox == []

    start, mail_dir = start_worker
    start("after-outage")
    Notification.objects.filter(pk=told.pk).update(email_next_attempt_at=None)  # its grace minute has passed
    with broker(BROKER_URL):
        sweep_email_deliveries.delay()
    wait_for(lambda: Notification.objects.get(pk=told.pk).email_state == EmailState.SENT, timeout=60, what="the sweep")
    with broker(BROKER_URL):
        sweep_email_deliveries.delay()  # a second sweep finds nothing left to send
        marker = factories.NotificationFactory()
        sweep_email_deliveries.delay()
    wait_for(
        lambda: Notification.objects.get(pk=marker.pk).email_state == EmailState.SENT, timeout=60, what="the marker"
    )

    sent = [message for message in mails_in(mail_dir) if apprentice.email in message]
    assert len(sent) == 1
    assert "approved" in sent[0]
