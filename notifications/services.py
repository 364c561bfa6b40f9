"""Writes of notifications. Domain apps decide who is told; this app writes and delivers.

`notify` must be called inside the transaction of the event it tells about: the notification
commits with the event or not at all (a transactional outbox), and its e-mail is enqueued only
after the commit.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal.history import with_reason
from portal.models import User
from portal.tasks import enqueue_on_commit

from .models import EmailState, Notification, NotificationPreference

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    body_html: str = ""
    link: str = ""


def _recipients(recipients, event: str) -> list[tuple]:
    """The active recipients, each once and in the order of their ids, with their channels for
    `event`: [(user id, in app, e-mail)], both on where they set no preference. One query: the
    users with every preference they set (a handful of rows each); `event`'s is picked here.
    `recipients` is users, or a query of users (read in that query)."""
    if isinstance(recipients, QuerySet):
        users = recipients
    else:
        users = get_user_model().objects.filter(pk__in=[user.pk for user in recipients if user is not None])
    rows = users.filter(is_active=True).values_list(
        "pk", "notification_preferences__event", "notification_preferences__in_app", "notification_preferences__email"
    )
    channels: dict[UUID, tuple[bool, bool]] = {}
    for user_id, preferred_event, in_app, email in rows:
        channels.setdefault(user_id, (True, True))
        if preferred_event == event:
            channels[user_id] = (in_app, email)
    return [(user_id, *channels[user_id]) for user_id in sorted(channels)]


def notify(*, recipients, event: str, message: Message, subject=None, dedupe_key_for=None) -> list[Notification]:
    """Tell each recipient (deduplicated) about `event`, in the caller's transaction.

    `recipients`: users, or a query of users. `dedupe_key_for(user_id)` names a notification
    that must exist at most once (periodic jobs): a second one is skipped, not an error.
    """
    unique = _recipients(recipients, event)
    if not unique:
        return []
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    created, plain = [], []
    for user_id, in_app, email in unique:
        if not in_app and not email:
            continue
        notification = Notification(
            recipient_id=user_id,
            event=event,
            title=message.title,
            body=message.body,
            body_html=message.body_html,
            link=message.link,
            subject_type=subject_type,
            subject_id=str(subject.pk) if subject is not None else "",
            in_app=in_app,
            email_state=EmailState.PENDING if email else EmailState.NOT_WANTED,
            email_next_attempt_at=timezone.now() + SWEEP_GRACE if email else None,
            dedupe_key=dedupe_key_for(user_id) if dedupe_key_for else None,
        )
        if not notification.dedupe_key:
            plain.append(with_reason(notification, event))
            continue
        if Notification.objects.filter(dedupe_key=notification.dedupe_key).exists():
            continue
        try:
            with transaction.atomic():
                with_reason(notification, event).save()
        except IntegrityError:  # written by a concurrent run of the same job
            continue
        created.append(notification)
    # One INSERT for the notifications and one for their history, however many recipients.
    created += bulk_create_with_history(plain, Notification) if plain else []
    from .tasks import deliver_email

    for notification in created:
        if notification.email_state == EmailState.PENDING:
            enqueue_on_commit(deliver_email, str(notification.pk))
    return created


def notify_address(*, email: str, event: str, message: Message, subject) -> Notification:
    """E-mail an address that has no account yet (an invitee), in the caller's transaction, through
    the same outbox as every notification: it survives a broker that is down, and is sent once."""
    notification = with_reason(
        Notification(
            email_to=email,
            event=event,
            title=message.title,
            body=message.body,
            body_html=message.body_html,
            link=message.link,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=str(subject.pk),
            in_app=False,
            email_state=EmailState.PENDING,
            email_next_attempt_at=timezone.now() + SWEEP_GRACE,
        ),
        event,
    )
    notification.save()
    from .tasks import deliver_email

    enqueue_on_commit(deliver_email, str(notification.pk))
    return notification


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        with_reason(notification, "read", user=notification.recipient).save(update_fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Marks every unread in-app notification of `user` read; returns how many."""
    now = timezone.now()
    with transaction.atomic():
        unread = list(
            Notification.objects.select_for_update().filter(recipient=user, in_app=True, read_at__isnull=True)
        )
        for notification in unread:
            notification.read_at = now
        # With history, like reading one (bulk_update alone leaves none).
        bulk_update_with_history(unread, Notification, ["read_at"], default_user=user, default_change_reason="read")
    return len(unread)


def preferences_set(*, user: User, preferences: list[dict]) -> None:
    with transaction.atomic():
        for item in preferences:
            preference, _ = NotificationPreference.objects.get_or_create(user=user, event=item["event"])
            preference.in_app = item["in_app"]
            preference.email = item["email"]
            with_reason(preference, "preferences changed", user=user).save()


# --- e-mail delivery ---------------------------------------------------------------------------


def _claim(notification_id) -> Notification | None:
    """Take the e-mail for this worker, atomically: at most one worker holds it at a time."""
    now = timezone.now()
    claimable = Q(email_state__in=[EmailState.PENDING, EmailState.FAILED]) | Q(
        email_state=EmailState.SENDING, email_claimed_at__lt=now - CLAIM_LEASE
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id).update(
        email_state=EmailState.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
    )
    if not claimed:
        return None
    return Notification.objects.select_related("recipient").get(pk=notification_id)


def notification_send_email(*, notification_id) -> str:
    """Send one notification's e-mail at most once. Returns the resulting state.

    Safe to run twice or on two workers at once: only the worker that claims it sends. A failure
    is recorded and retried later with backoff; the Message-ID is the notification's, so a mail
    system sees a retry as the same message.
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
    email = EmailMultiAlternatives(
        subject=f"[Apprenticeship Portal] {notification.title}",
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
        Notification.objects.filter(pk=notification.pk).update(
            email_state=EmailState.GAVE_UP if gave_up else EmailState.FAILED,
            email_last_error=f"{type(error).__name__}: {error}"[:2000],
            email_next_attempt_at=None if gave_up else timezone.now() + timedelta(minutes=2**attempts),
        )
        logger.warning("E-mail of notification %s failed (attempt %s): %s", notification.pk, attempts, error)
        raise
    Notification.objects.filter(pk=notification.pk).update(
        email_state=EmailState.SENT, email_sent_at=timezone.now(), email_last_error=""
    )
    return EmailState.SENT


def notifications_due_for_email(*, limit: int = 500) -> list[str]:
    """Ids whose e-mail is due: never enqueued (broker down), failed and due again, or held
    past the lease by a worker that died."""
    now = timezone.now()
    due = (
        (
            Q(email_state=EmailState.PENDING)
            & (Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now))
        )
        | Q(email_state=EmailState.FAILED, email_next_attempt_at__lte=now)
        | Q(email_state=EmailState.SENDING, email_claimed_at__lt=now - CLAIM_LEASE)
    )
    return [
        str(pk) for pk in Notification.objects.filter(due).order_by("created_at").values_list("pk", flat=True)[:limit]
    ]
