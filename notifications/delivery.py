"""E-mail delivery of notifications: each sent at most once, whichever worker runs it and however
often (a claim with a lease), failures retried with backoff, and a sweep for anything left.

The Celery tasks (tasks.py) call these; `notify` (services.py) enqueues them after the commit.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import EmailState, Notification

logger = logging.getLogger(__name__)
T = TypeVar("T")

# How long a worker may hold a claimed e-mail before the sweep may hand it to another: longer
# than any send can last (the task's hard time limit), so two workers never hold it at once.
CLAIM_LEASE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


MAX_EMAIL_ATTEMPTS = 6


# A new notification's e-mail is enqueued on commit; the sweep takes it up only if it is still
# unsent this long after (its task was lost with a broker that was down, say).
SWEEP_GRACE = timedelta(minutes=1)


# Where an e-mail's link carries a secret (an invitation's token), the stored body holds this in
# its place, and the app that owns the subject writes the link when the e-mail leaves
# (NOTIFICATION_LINK_SIGNERS): no token is ever stored in a notification or its history.
SIGNED_LINK = "{signed_link}"


# Recording an outcome retries on a fresh connection after these pauses (seconds): about 12 s in
# all, far inside CLAIM_LEASE, so no other worker can claim the message while this one still
# tries to record that it went out.
RECORD_RETRY_DELAYS: tuple[float, ...] = (0.05, 0.2, 0.5, 1.0, 2.0, 3.0, 5.0)


class OutcomeNotRecorded(Exception):
    """The SMTP server took the message but its "sent" could not be recorded: the notification
    stays SENDING, and only the sweep sends it again, after its claim lapses."""


def _on_a_fresh_connection(write: Callable[[], T]) -> T:
    """Run one UPDATE; if the database connection was lost (the session killed, the server
    restarted), close it, open a new one and try again after a short pause. Outside a
    transaction only: a lost connection loses the transaction too."""
    for delay in (*RECORD_RETRY_DELAYS, None):
        try:
            return write()
        except (OperationalError, InterfaceError):
            if delay is None or connection.in_atomic_block:
                raise
            logger.warning("Database connection lost while recording an e-mail; retrying in %s s", delay)
            connection.close()
            time.sleep(delay)
    raise AssertionError("unreachable")


def _claim(notification_id) -> Notification | None:
    """Take the e-mail for this worker, atomically: at most one worker holds it at a time."""
    now = timezone.now()
    claimable = Q(email_state__in=[EmailState.PENDING, EmailState.FAILED]) | Q(
        email_state=EmailState.SENDING, email_claimed_at__lt=now - CLAIM_LEASE
    )
    # Retried on a lost connection like the record: an UPDATE that committed before its answer
    # was lost claims nothing the second time, and the e-mail waits for the lease (never doubled).
    claimed = _on_a_fresh_connection(
        lambda: Notification.objects.filter(claimable, pk=notification_id).update(
            email_state=EmailState.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
        )
    )
    if not claimed:
        return None
    return _on_a_fresh_connection(lambda: Notification.objects.select_related("recipient").get(pk=notification_id))


def _in_templates(notification: Notification, body: str, body_html: str) -> tuple[str, str, str]:
    """The e-mail's subject, plain text and HTML, from the templates, in the notification's
    language (its text was written in it already; the templates add the frame around it)."""
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        context = {
            "title": notification.title,
            "body": body,
            "body_html": body_html,
            "language": translation.get_language(),
        }
        subject = _("[Apprenticeship Portal] %(title)s") % {"title": notification.title}
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context) if body_html else ""
    return subject, text, html


def notification_send_email(*, notification_id) -> str:
    """Send one notification's e-mail at most once. Returns the resulting state.

    Safe to run twice or on two workers at once: only the worker that claims it sends. A failure
    is recorded and retried later with backoff; the Message-ID is the notification's, so a mail
    system sees a retry as the same message.

    Once the SMTP server has taken the message, "sent" is recorded on a fresh connection if the
    one in hand was lost, retried for about 12 s. Should that fail too, the outcome is unknown:
    the notification stays SENDING and OutcomeNotRecorded is raised, which the task does not
    retry; the sweep sends it again (same Message-ID) only once the claim has lapsed.
    """
    notification = _claim(notification_id)
    if notification is None:
        return "not claimed"
    body, body_html = notification.body, notification.body_html
    signer = settings.NOTIFICATION_LINK_SIGNERS.get(notification.event)
    if signer:
        link = import_string(signer)(notification.subject_id)
        if link is None:
            Notification.objects.filter(pk=notification.pk).update(email_state=EmailState.WITHDRAWN)
            return EmailState.WITHDRAWN
        body, body_html = body.replace(SIGNED_LINK, link), body_html.replace(SIGNED_LINK, link)
    address = notification.email_to
    if not address:
        # An account, or an address without one (constraint notification_recipient_or_address).
        assert notification.recipient is not None
        address = notification.recipient.email
    subject, body, body_html = _in_templates(notification, body, body_html)
    email = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[address],
        headers={"Message-ID": f"<notification-{notification.pk}@apprenticeship-portal>"},
    )
    if body_html:
        email.attach_alternative(body_html, "text/html")
    try:
        email.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - any failure to send is recorded and retried
        attempts = notification.email_attempts
        gave_up = attempts >= MAX_EMAIL_ATTEMPTS
        last_error = f"{type(error).__name__}: {error}"[:2000]
        _on_a_fresh_connection(
            lambda: Notification.objects.filter(pk=notification.pk).update(
                email_state=EmailState.GAVE_UP if gave_up else EmailState.FAILED,
                email_last_error=last_error,
                email_next_attempt_at=None if gave_up else timezone.now() + timedelta(minutes=2**attempts),
            )
        )
        logger.warning("E-mail of notification %s failed (attempt %s): %s", notification.pk, attempts, error)
        raise
    try:
        _on_a_fresh_connection(
            lambda: Notification.objects.filter(pk=notification.pk).update(
                email_state=EmailState.SENT, email_sent_at=timezone.now(), email_last_error=""
            )
        )
    except (OperationalError, InterfaceError) as error:
        logger.error(
            "E-mail of notification %s was accepted by the SMTP server but not recorded as sent: "
            "it stays sending and is sent again (same Message-ID) once its claim lapses: %s",
            notification.pk,
            error,
        )
        raise OutcomeNotRecorded(str(notification.pk)) from error
    return EmailState.SENT


def notifications_due_for_email(*, limit: int = 500) -> list[str]:
    """Ids whose e-mail is due: never enqueued (broker down), failed and due again, or held
    past the lease by a worker that died."""
    due = Notification.objects.filter(email_due(timezone.now()))
    return [str(pk) for pk in due.order_by("created_at").values_list("pk", flat=True)[:limit]]


def postpone_sweep(notification_ids: list[str]) -> None:
    """E-mails just handed to the broker (pending or failed): not due again before SWEEP_GRACE,
    whether their task runs soon, late or never (then the sweep after hands them out again).
    A claimed one is left to its claim's lease."""
    Notification.objects.filter(
        pk__in=notification_ids, email_state__in=[EmailState.PENDING, EmailState.FAILED]
    ).update(email_next_attempt_at=timezone.now() + SWEEP_GRACE)


def email_due(now) -> Q:
    """The notifications whose e-mail is due at `now` and unsent (within the partial indexes
    on the unsent states, notification_email_due and notification_email_unsent_age)."""
    return (
        (
            Q(email_state=EmailState.PENDING)
            & (Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now))
        )
        | Q(email_state=EmailState.FAILED, email_next_attempt_at__lte=now)
        | Q(email_state=EmailState.SENDING, email_claimed_at__lt=now - CLAIM_LEASE)
    )
