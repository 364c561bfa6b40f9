"""An invitation's e-mail goes through the notifications outbox: with the broker down the
invitation is still made (201, at once), and a worker that starts later sends it exactly once."""

import re
import time

import pytest

from notifications.models import EmailState, Notification
from notifications.tasks import sweep_email_deliveries
from sponsors import services
from sponsors.models import Invitation
from tests import factories
from tests.delivery.conftest import BROKER_URL, NOWHERE, broker, mails_in, wait_for

pytestmark = pytest.mark.slow


def test_an_invitation_made_with_the_broker_down_is_sent_once_by_a_worker_that_starts_later(
    start_worker, client_for, raps_admin, sponsor, employer_a
):
    with broker(NOWHERE):
        started = time.monotonic()
        response = client_for(raps_admin).post(
            "/api/v1/invitations/",
            {
                "email": "late.mail@example.org",
                "role": "supervisor",
                "sponsor": str(sponsor.id),
                "employer": str(employer_a.id),
            },
            format="json",
        )
        print(f"invite answered in {time.monotonic() - started:.3f} s with the broker down")  # reported, not asserted

    assert response.status_code == 201
    invitation = Invitation.objects.get(email="late.mail@example.org")
    outbox = Notification.objects.get(event="invitation", subject_id=str(invitation.pk))
    assert outbox.email_state == EmailState.PENDING

    start, mail_dir = start_worker
    start("after-outage")
    Notification.objects.filter(pk=outbox.pk).update(email_next_attempt_at=None)  # its grace minute has passed
    with broker(BROKER_URL):
        sweep_email_deliveries.delay()
    wait_for(
        lambda: Notification.objects.get(pk=outbox.pk).email_state == EmailState.SENT, timeout=60, what="the sweep"
    )
    with broker(BROKER_URL):
        sweep_email_deliveries.delay()  # a second sweep finds nothing left to send
        marker = factories.NotificationFactory()
        sweep_email_deliveries.delay()
    wait_for(
        lambda: Notification.objects.get(pk=marker.pk).email_state == EmailState.SENT, timeout=60, what="the marker"
    )

    sent = [message for message in mails_in(mail_dir) if "late.mail@example.org" in message]
    assert len(sent) == 1
    token = re.search(r"/invitations/accept\?token=(\w+)", sent[0])[1]
    accepted = services.invitation_accept(token=token, password="a-long-passphrase-2026", full_name="Late Mail")
    assert accepted.pk == invitation.pk
