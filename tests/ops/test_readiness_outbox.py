"""/readyz reports the outbox's backlog (e-mails due and unsent, the oldest's age) and never
fails on it: the work waits in the database until a worker takes it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.delivery import CLAIM_LEASE
from notifications.models import EmailState, Notification
from notifications.selectors import email_backlog
from tests import factories

pytestmark = pytest.mark.django_db


def _aged(notification, **age) -> None:
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(**age))


@pytest.fixture
def backlog():
    """Three e-mails due (one never sent an hour old, one failed and due again, one held past
    its lease by a worker that died) and five that are not."""
    now = timezone.now()
    pending = factories.NotificationFactory()
    _aged(pending, hours=1)
    factories.NotificationFactory(email_state=EmailState.FAILED, email_next_attempt_at=now - timedelta(minutes=1))
    factories.NotificationFactory(email_state=EmailState.SENDING, email_claimed_at=now - CLAIM_LEASE * 2)
    # Not due: a retry later, a send under way, sent, not wanted, given up.
    later = factories.NotificationFactory(email_state=EmailState.FAILED, email_next_attempt_at=now + timedelta(hours=1))
    _aged(later, days=2)
    factories.NotificationFactory(email_state=EmailState.SENDING, email_claimed_at=now)
    factories.NotificationFactory(email_state=EmailState.SENT, email_sent_at=now)
    factories.NotificationFactory(email_state=EmailState.NOT_WANTED)
    factories.NotificationFactory(email_state=EmailState.GAVE_UP)


def test_readyz_reports_the_emails_due_and_the_oldest_age_and_stays_ready(client, backlog):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    outbox = response.json()["checks"]["outbox"]
    assert outbox["due"] == 3
    assert outbox["count_is_capped"] is False
    assert 3590 < outbox["oldest_seconds"] < 3700  # the hour-old one; not the failed one due later


def test_the_backlog_count_stops_at_its_limit_and_says_so(backlog):
    assert email_backlog(limit=2) | {"oldest_seconds": None} == {
        "due": 2,
        "count_is_capped": True,
        "oldest_seconds": None,
    }
    assert email_backlog(limit=3)["count_is_capped"] is False


def test_the_backlog_is_two_bounded_queries(backlog, django_assert_num_queries):
    with django_assert_num_queries(2) as captured:
        email_backlog()

    count, oldest = (query["sql"] for query in captured.captured_queries)
    assert "LIMIT 10001" in count
    assert "LIMIT 1" in oldest


def test_readyz_with_no_backlog_reports_zero(client, db):
    response = client.get("/readyz")

    assert response.json()["checks"]["outbox"] == {"due": 0, "count_is_capped": False, "oldest_seconds": 0}
