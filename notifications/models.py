"""Notifications: written in the same transaction as the event (a transactional outbox), read
in the portal, and e-mailed by Celery workers at most once each."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords
from portal.models import TimestampedModel


class Event(models.TextChoices):
    HOURS_SUBMITTED = "hours_submitted", _("Hours submitted")
    HOURS_APPROVED = "hours_approved", _("Hours approved")
    HOURS_REJECTED = "hours_rejected", _("Hours rejected")
    HOURS_VOIDED = "hours_voided", _("Hours voided")
    COMPETENCY_SIGNED_OFF = "competency_signed_off", _("Competency signed off")
    MILESTONE_REACHED = "milestone_reached", _("Milestone reached")
    MILESTONE_APPROVED = "milestone_approved", _("Milestone approved")
    MILESTONE_REJECTED = "milestone_rejected", _("Milestone rejected")
    STATUS_CHANGED = "status_changed", _("Apprenticeship status changed")
    NO_HOURS_REMINDER = "no_hours_reminder", _("No hours logged for 7 days")
    BEHIND_PACE = "behind_pace", _("Behind pace")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest")
    INVITATION = "invitation", _("Invitation to join an organization")
    AID_REQUESTED = "aid_requested", _("Emergency aid requested")
    AID_APPROVED = "aid_approved", _("Emergency aid approved")
    AID_DENIED = "aid_denied", _("Emergency aid denied")
    AID_PAID = "aid_paid", _("Emergency aid paid")
    AID_WITHDRAWN = "aid_withdrawn", _("Emergency aid request withdrawn")
    REVIEW_SUBMITTED = "review_submitted", _("Progress review to sign")
    REVIEW_OVERDUE = "review_overdue", _("Progress review overdue")
    AGREEMENT_CHANGED = "agreement_changed", _("Apprenticeship agreement changed after a signature")


# What a user can turn on or off: an invitation goes to a person with no account yet.
PREFERENCE_EVENTS = [event for event in Event if event != Event.INVITATION]


class EmailState(models.TextChoices):
    NOT_WANTED = "not_wanted", _("Not wanted")  # the recipient turned e-mail off for this event
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Failed, no more retries")
    WITHDRAWN = "withdrawn", _("Not sent: what it was about is no longer open")  # a revoked invitation


class Notification(TimestampedModel):
    # A user, or for a person who has no account yet (an invitee) only an address: e-mail alone.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    email_to = models.EmailField(blank=True, help_text="The address of a recipient who has no account yet.")
    event = models.CharField(max_length=40, choices=Event.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(blank=True)
    link = models.URLField(max_length=500, blank=True)
    # The language its title and bodies were written in (its recipient's), and its e-mail's.
    language = models.CharField(max_length=8, default="en")
    # The record it is about, pointed at generically: this app knows no domain app.
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    in_app = models.BooleanField(default=True, help_text="Shown in the portal (the recipient's preference).")
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=12, choices=EmailState.choices, default=EmailState.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_last_error = models.TextField(blank=True)
    # Periodic jobs name each notification (event, week, recipient, subject) so that a job run
    # twice in a week writes nothing the second time.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email_state="sent") | Q(email_sent_at__isnull=False), name="notification_sent_has_time"
            ),
            # To a user, or e-mail only to an address.
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, email_to="")
                | (Q(recipient__isnull=True, in_app=False) & ~Q(email_to="")),
                name="notification_recipient_or_address",
            ),
        ]
        indexes = [
            # notifications/ (own, newest first) and ?unread=true.
            models.Index(fields=["recipient", "in_app", "-created_at"], name="notification_recipient_recent"),
            # The delivery sweep: e-mails still due.
            models.Index(
                fields=["email_state", "email_next_attempt_at"],
                name="notification_email_due",
                condition=Q(email_state__in=["pending", "failed", "sending"]),
            ),
            # /readyz: the oldest e-mail still unsent, read from the start of this index.
            models.Index(
                fields=["created_at"],
                name="notification_email_unsent_age",
                condition=Q(email_state__in=["pending", "failed", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()} for {self.recipient or self.email_to}"


class NotificationPreference(TimestampedModel):
    """Per user and event, which channels. No row means both channels on (the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_preference_unique")]

    def __str__(self):
        return f"{self.user}: {self.event}"
