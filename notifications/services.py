"""Writes of notifications. Domain apps decide who is told; this app writes and delivers.

`notify` must be called inside the transaction of the event it tells about: the notification
commits with the event or not at all (a transactional outbox), and its e-mail is enqueued only
after the commit.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone, translation

from portal.history import bulk_create_with_history, bulk_update_with_history, with_reason
from portal.i18n import current_language, supported
from portal.models import User
from portal.tasks import enqueue_on_commit

from .delivery import SWEEP_GRACE
from .models import EmailState, Notification, NotificationPreference
from .tasks import deliver_email, deliver_emails

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    body_html: str = ""
    link: str = ""


# What a notice says: a Message, or a function of no arguments that builds one. A builder is
# called by `notify` itself, once per language among the recipients, with that language active
# (gettext, dates: portal.i18n), so that each recipient reads it in their own language.
Says = Message | Callable[[], Message]


def _built(message: Says, language: str, built: dict[str, Message]) -> Message:
    """`message` in `language`, built once per language (`built` keeps those made already)."""
    if language not in built:
        with translation.override(language):
            built[language] = message() if callable(message) else message
    return built[language]


def _recipients(recipients, event: str) -> list[tuple]:
    """The active recipients, each once and in the order of their ids, with their channels for
    `event` and their language: [(user id, language, in app, e-mail)], both channels on where they
    set no preference. One query: the
    users with every preference they set (a handful of rows each); `event`'s is picked here.
    `recipients` is users, or a query of users (read in that query)."""
    if isinstance(recipients, QuerySet):
        users = recipients
    else:
        users = get_user_model().objects.filter(pk__in=[user.pk for user in recipients if user is not None])
    rows = users.filter(is_active=True).values_list(
        "pk",
        "language",
        "notification_preferences__event",
        "notification_preferences__in_app",
        "notification_preferences__email",
    )
    channels: dict[UUID, tuple[bool, bool]] = {}
    languages: dict[UUID, str] = {}
    for user_id, language, preferred_event, in_app, email in rows:
        channels.setdefault(user_id, (True, True))
        languages[user_id] = supported(language)
        if preferred_event == event:
            channels[user_id] = (in_app, email)
    return [(user_id, languages[user_id], *channels[user_id]) for user_id in sorted(channels)]


def notify(*, recipients, event: str, message: Says, subject=None, dedupe_key_for=None) -> list[Notification]:
    """Tell each recipient (deduplicated) about `event`, in the caller's transaction.

    `recipients`: users, or a query of users. `dedupe_key_for(user_id)` names a notification
    that must exist at most once (periodic jobs): a second one is skipped, not an error.
    """
    unique = _recipients(recipients, event)
    if not unique:
        return []
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    built: dict[str, Message] = {}
    created, plain = [], []
    for user_id, language, in_app, email in unique:
        if not in_app and not email:
            continue
        said = _built(message, language, built)
        notification = Notification(
            recipient_id=user_id,
            event=event,
            title=said.title,
            body=said.body,
            body_html=said.body_html,
            link=said.link,
            language=language,
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
    _hand_out_emails(created)
    return created


@dataclass(frozen=True)
class Notice:
    """One notice of `notify_all`: like the arguments of one `notify` (recipients are users)."""

    recipients: list
    event: str
    message: Says
    subject: Model | None = None


def notify_all(notices: list[Notice]) -> list[Notification]:
    """`notify` for several notices of one request at once, in the caller's transaction: one
    query for every recipient's channels, one INSERT for the notifications and one for their
    history, however many notices (a bulk decision tells each apprentice once). No dedupe keys."""
    user_ids = {user.pk for notice in notices for user in notice.recipients if user is not None}
    if not user_ids:
        return []
    rows = (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .values_list(
            "pk",
            "language",
            "notification_preferences__event",
            "notification_preferences__in_app",
            "notification_preferences__email",
        )
    )
    preferences: dict[UUID, dict[str, tuple[bool, bool]]] = {}
    languages: dict[UUID, str] = {}
    for user_id, language, preferred_event, in_app, email in rows:
        languages[user_id] = supported(language)
        chosen = preferences.setdefault(user_id, {})
        if preferred_event is not None:
            chosen[preferred_event] = (in_app, email)
    plain = []
    for notice in notices:
        subject = notice.subject
        subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
        built: dict[str, Message] = {}
        for user_id in sorted({user.pk for user in notice.recipients if user is not None}):
            if user_id not in preferences:
                continue  # inactive
            in_app, email = preferences[user_id].get(notice.event, (True, True))
            if not in_app and not email:
                continue
            said = _built(notice.message, languages[user_id], built)
            plain.append(
                with_reason(
                    Notification(
                        recipient_id=user_id,
                        event=notice.event,
                        title=said.title,
                        body=said.body,
                        body_html=said.body_html,
                        link=said.link,
                        language=languages[user_id],
                        subject_type=subject_type,
                        subject_id=str(subject.pk) if subject is not None else "",
                        in_app=in_app,
                        email_state=EmailState.PENDING if email else EmailState.NOT_WANTED,
                        email_next_attempt_at=timezone.now() + SWEEP_GRACE if email else None,
                    ),
                    notice.event,
                )
            )
    created = bulk_create_with_history(plain, Notification) if plain else []
    _hand_out_emails(created)
    return created


def _hand_out_emails(notifications: list[Notification]) -> None:
    """After the commit, the e-mails of `notifications` that are due: one as its own task, more
    as one task that hands them out from a worker (`deliver_emails`)."""
    emailed = [str(notification.pk) for notification in notifications if notification.email_state == EmailState.PENDING]
    if len(emailed) == 1:
        enqueue_on_commit(deliver_email, emailed[0])
    elif emailed:
        enqueue_on_commit(deliver_emails, emailed)


def notify_address(*, email: str, event: str, message: Says, subject) -> Notification:
    """E-mail an address that has no account yet (an invitee), in the caller's transaction, through
    the same outbox as every notification: it survives a broker that is down, and is sent once.
    In the language of the request that causes it (an invitation: the inviter's)."""
    language = current_language()
    message = _built(message, language, {})
    notification = with_reason(
        Notification(
            email_to=email,
            event=event,
            title=message.title,
            body=message.body,
            body_html=message.body_html,
            link=message.link,
            language=language,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=str(subject.pk),
            in_app=False,
            email_state=EmailState.PENDING,
            email_next_attempt_at=timezone.now() + SWEEP_GRACE,
        ),
        event,
    )
    notification.save()
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
        # The user's preferences read once (locked), not one query per item.
        existing = {
            preference.event: preference
            for preference in NotificationPreference.objects.select_for_update().filter(
                user=user, event__in=[item["event"] for item in preferences]
            )
        }
        for item in preferences:
            preference = existing.get(item["event"]) or NotificationPreference(user=user, event=item["event"])
            preference.in_app = item["in_app"]
            preference.email = item["email"]
            try:
                with transaction.atomic():
                    with_reason(preference, "preferences changed", user=user).save()
            except IntegrityError:  # a request of the same user created it meanwhile: change that one
                preference = NotificationPreference.objects.select_for_update().get(user=user, event=item["event"])
                preference.in_app, preference.email = item["in_app"], item["email"]
                with_reason(preference, "preferences changed", user=user).save()
            existing[item["event"]] = preference  # an event named twice in the list: the last wins
