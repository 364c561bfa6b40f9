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
