from django.db.models import QuerySet

from portal.models import User

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
