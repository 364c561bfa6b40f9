"""Weekly (and daily) jobs on Celery beat (schedule: CELERY_BEAT_SCHEDULE in settings). Each writes a
notification at most once per recipient and week, however often it runs."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import notices


@shared_task
def weekly_no_hours_reminders() -> int:
    with transaction.atomic():
        return notices.no_hours_reminders(today=timezone.localdate())


@shared_task
def weekly_behind_pace_alerts() -> int:
    with transaction.atomic():
        return notices.behind_pace_alerts(today=timezone.localdate())


@shared_task
def weekly_digests() -> int:
    with transaction.atomic():
        return notices.weekly_digests(today=timezone.localdate())


@shared_task
def daily_review_overdue_notices() -> int:
    """Progress reviews overdue: told once per review (dedupe key), so it may run daily."""
    with transaction.atomic():
        return notices.reviews_overdue_notices(today=timezone.localdate())


# The completion packet's and the interim credentials' tasks (registered with the app's).
from .packet.tasks import issue_completion_packet, issue_due_credentials, sweep_packets_and_credentials  # noqa: E402

__all__ = [
    "daily_review_overdue_notices",
    "issue_completion_packet",
    "issue_due_credentials",
    "sweep_packets_and_credentials",
    "weekly_behind_pace_alerts",
    "weekly_digests",
    "weekly_no_hours_reminders",
]
