"""Delivery tasks: thin, idempotent, taking ids (docs/architecture.md)."""

from celery import shared_task

from portal.tasks import publish

from . import delivery
from .models import EmailState


@shared_task(bind=True, max_retries=delivery.MAX_EMAIL_ATTEMPTS, acks_late=True)
def deliver_email(self, notification_id: str) -> str:
    """E-mail one notification, at most once however often this runs.

    A message the SMTP server took but whose "sent" could not be recorded is not retried here:
    every retry goes through the claim anyway, and this one is left to the sweep, which hands it
    out again only after its claim lapses (docs/architecture.md, "E-mail delivery")."""
    try:
        return delivery.notification_send_email(notification_id=notification_id)
    except delivery.OutcomeNotRecorded:
        return EmailState.SENDING
    except Exception as error:  # noqa: BLE001 - recorded by the service; retry with backoff
        raise self.retry(exc=error, countdown=min(3600, 60 * 2**self.request.retries)) from error


@shared_task(acks_late=True)
def deliver_emails(notification_ids: list[str]) -> int:
    """Hand out the e-mails of one request's notifications from a worker, a task each: a request
    that tells a hundred people (a bulk decision of 200 logs) publishes this one task after its
    response instead of a hundred, which cost its web process ~20 ms of CPU. Each e-mail keeps
    its own task, retries and claim; if this task is lost, the sweep hands them out."""
    for notification_id in notification_ids:
        publish(deliver_email, notification_id)  # one that cannot be handed out is the sweep's
    return len(notification_ids)


@shared_task
def sweep_email_deliveries() -> int:
    """Enqueue every e-mail still due, so a broker or worker that was down loses nothing. Each
    is handed out once per SWEEP_GRACE: a queue that drains slower than the sweep runs does not
    fill with copies of the same e-mails."""
    due = delivery.notifications_due_for_email()
    delivery.postpone_sweep(due)
    for notification_id in due:
        deliver_email.delay(notification_id)
    return len(due)
