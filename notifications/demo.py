"""Demo notifications in every state: read and unread, e-mail sent, failed, given up, not
wanted, and a few still due (a worker's sweep sends those)."""

from datetime import timedelta

from django.utils import timezone

from portal.demo import demo_loader, get_or_create
from portal.history import bulk_update_with_history

from .models import EmailState, Notification, NotificationPreference


@demo_loader(order=50)
def load_notification_states():
    if Notification.objects.exclude(email_state=EmailState.PENDING).exists():
        return []
    now = timezone.now()
    notifications = list(Notification.objects.order_by("created_at"))
    changed = notifications[:-5]  # the newest few stay due for the sweep
    for index, notification in enumerate(changed):
        if index % 11 == 3:
            notification.email_state, notification.email_attempts = EmailState.FAILED, 2
            notification.email_last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
            notification.email_next_attempt_at = now + timedelta(minutes=4)
        elif index % 23 == 5:
            notification.email_state, notification.email_attempts = EmailState.GAVE_UP, 6
            notification.email_last_error = "SMTPRecipientsRefused: mailbox unavailable"
            notification.email_next_attempt_at = None
        else:
            notification.email_state, notification.email_attempts, notification.email_sent_at = EmailState.SENT, 1, now
        if index % 3 == 0:
            notification.read_at = now
    # Every change is in each notification's history, as a change through the services would be.
    bulk_update_with_history(
        changed,
        Notification,
        ["email_state", "email_attempts", "email_last_error", "email_next_attempt_at", "email_sent_at", "read_at"],
        default_change_reason="demo data: delivery and reading states",
    )
    # One person who turned e-mail off for hours approvals: their next ones are in-app only.
    quiet = Notification.objects.filter(event="hours_approved").select_related("recipient").first()
    if quiet:
        get_or_create(NotificationPreference, {"user": quiet.recipient, "event": "hours_approved"}, {"email": False})
    return []
