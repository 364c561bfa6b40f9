"""The invitation e-mail is a notification to the invitee's address, in the transaction that
makes the invitation: no token is stored in it, and the link is written as the e-mail leaves."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from notifications.delivery import notification_send_email
from notifications.models import EmailState, Notification
from sponsors import services
from sponsors.models import Invitation


def _sent_token(to: str) -> str:
    bodies = [message.body for message in mail.outbox if message.to == [to]]
    assert len(bodies) == 1
    return re.search(r"/invitations/accept\?token=(\w+)", bodies[0])[1]


def test_an_invitation_is_an_email_only_notification_to_the_address_with_no_token_stored(invite):
    invitation, token = invite(email="invitee@example.org")

    notification = Notification.objects.get(event="invitation")
    assert notification.recipient is None
    assert notification.email_to == "invitee@example.org"
    assert not notification.in_app
    assert notification.subject == invitation
    stored = [notification.body, notification.body_html, *notification.history.values_list("body", flat=True)]
    assert all(token not in text for text in stored)


def test_the_email_that_leaves_carries_a_link_that_accepts_the_invitation(invite):
    invitation, _token = invite(email="invitee@example.org")
    notification = Notification.objects.get(event="invitation")

    assert notification_send_email(notification_id=notification.pk) == EmailState.SENT

    token = _sent_token("invitee@example.org")
    services.invitation_accept(token=token, password="a-long-passphrase-2026", full_name="In Vitee")
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None


def test_an_expired_invitation_is_not_sent(invite):
    invitation, _token = invite(email="invitee@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=invitation.created_at)

    notification = Notification.objects.get(event="invitation")

    assert notification_send_email(notification_id=notification.pk) == EmailState.WITHDRAWN
    assert mail.outbox == []


@pytest.mark.django_db
def test_after_the_secret_key_is_rotated_the_link_sent_still_accepts(invite, settings):
    invitation, _token = invite(email="invitee@example.org")
    notification = Notification.objects.get(event="invitation")

    with override_settings(SECRET_KEY="a-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        notification_send_email(notification_id=notification.pk)
        token = _sent_token("invitee@example.org")
        services.invitation_accept(token=token, password="a-long-passphrase-2026", full_name="In Vitee")

    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None
