from django.db.models import QuerySet
from django.utils import timezone

from portal.models import User

from .delivery import email_due
from .models import PREFERENCE_EVENTS, Notification, NotificationPreference


def notification_list(*, user_id) -> QuerySet[Notification]:
    """The caller's own in-app notifications."""
    return Notification.objects.filter(recipient_id=user_id, in_app=True)


def preferences_of(*, user: User) -> list[dict]:
    """Every event with the caller's channels; both on where nothing was set."""
    stored = {p.event: p for p in NotificationPreference.objects.filter(user=user)}
    return [
        {
            "event": event.value,
            "label": event.label,
            "in_app": stored[event].in_app if event in stored else True,
            "email": stored[event].email if event in stored else True,
        }
        for event in PREFERENCE_EVENTS
    ]


# The backlog is counted up to this many: past it, /readyz says "at least".
BACKLOG_COUNT_LIMIT = 10_000


def email_backlog(*, limit: int = BACKLOG_COUNT_LIMIT) -> dict:
    """The outbox's backlog for /readyz: how many e-mails are due and unsent (counted up to
    `limit`, so `count_is_capped` says the count stopped there) and the age in seconds of the
    oldest (0 with none). Two index-backed queries over the unsent rows only."""
    now = timezone.now()
    due = Notification.objects.filter(email_due(now))
    count = due.order_by()[: limit + 1].count()
    oldest = due.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "due": min(count, limit),
        "count_is_capped": count > limit,
        "oldest_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0,
    }
