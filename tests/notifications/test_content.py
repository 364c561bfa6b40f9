"""What a notification says: the apprentice's name, the figures and the dates, a link into the
front end, as plain text and as HTML; never the SSN or the date of birth."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from notifications.models import Event, Notification
from tests.notifications.helpers import BIRTH_DATE_FORMS, SSN_FRAGMENTS

# Noon in Los Angeles (TIME_ZONE) on June 1, 2026: the UTC date and the local date agree.
NOON_JUNE_1 = datetime.datetime(2026, 6, 1, 19, 0, tzinfo=datetime.UTC)
# 8 pm in Los Angeles on June 1, 2026, already June 2 in UTC.
EVENING_JUNE_1 = datetime.datetime(2026, 6, 2, 3, 0, tzinfo=datetime.UTC)

# An invitation is not about an apprenticeship, and goes to a person with no account yet:
# tests/invitations holds its e-mail.
EVERY_EVENT = [event.value for event in Event if event != Event.INVITATION]
# Events about one apprenticeship (the weekly digest is about all of a reviewer's work).
ABOUT_AN_APPRENTICESHIP = [event for event in EVERY_EVENT if event != "weekly_digest"]

# Notices about several apprenticeships link to a list in the front end: the digest, and the
# weekly lists of quiet and behind-pace apprentices that employer staff and RAPS admins get
# (`cause` reads those lists, one per recipient).
LIST_LINKS = {
    "weekly_digest": "/approvals",
    "no_hours_reminder": "/apprenticeships?no_recent_hours=true",
    "behind_pace": "/apprenticeships?behind_pace=true",
}

# What each event's notification says, as `cause` (conftest.py) brings it about at NOON_JUNE_1.
FIGURES_AND_DATES = {
    "hours_submitted": ["7.50 h", "on-the-job", "March 03, 2025", "waiting for your approval"],
    "hours_approved": ["7.50 h", "on-the-job", "March 03, 2025", "approved"],
    "hours_rejected": ["7.50 h", "March 03, 2025", "rejected", "Reason: Not on the timesheet"],
    "hours_voided": ["7.50 h", "March 03, 2025", "voided", "Reason: Logged twice"],
    "competency_signed_off": ["Sam Supervisor", "as advanced", "June 01, 2026"],
    "milestone_reached": ["“Probation complete”", "500.00 OJT hours (threshold 500.00)", "June 01, 2026"],
    "milestone_approved": ["“Probation complete”", "approved on June 01, 2026"],
    "milestone_rejected": ["“Probation complete”", "rejected on June 01, 2026", "Note: Credit not documented"],
    "status_changed": ["from active to suspended on June 01, 2026", "Reason: Leave of absence"],
    "no_hours_reminder": ["logged ever", "2000.00 OJT hours remain before December 31, 2026"],
    "behind_pace": ["0.00 OJT hours a week", "2000.00 remain", "expected end: December 31, 2026"],
    "weekly_digest": ["Week 2025-W12", "1 submitted hour logs", "0 milestones"],
    "aid_requested": ["$400.00 of emergency aid", "(Childcare)", "June 01, 2026"],
    "aid_approved": ["approved on June 01, 2026", "$300.00 of the $400.00 requested", "Reason: Two months"],
    "aid_denied": ["$400.00", "denied on June 01, 2026", "Reason: Covered by the stipend"],
    "aid_paid": ["$300.00 of emergency aid was paid", "on June 01, 2026 (Check)"],
    "aid_withdrawn": ["$400.00", "withdrawn on June 01, 2026", "Reason: No longer needed"],
    "review_submitted": ["Sam Supervisor", "Periodic review 1 (due July 06, 2025)", "on June 01, 2026"],
    "review_overdue": ["periodic review 1", "was due on January 06, 2026"],
    "agreement_changed": ["changed on June 01, 2026", "version 2 replaces the one you signed", "are void"],
}


@pytest.fixture
def clock(monkeypatch):
    """Set the time that `django.utils.timezone.now` (and so `localdate`) answers."""

    def at(instant: datetime.datetime):
        monkeypatch.setattr(timezone, "now", lambda: instant)

    return at


def _without_links(text: str, notification: Notification) -> str:
    """The text without its link: the link holds a UUID, whose hex digits may spell anything."""
    return text.replace(notification.link, "")


def test_every_event_of_the_domain_has_a_way_to_cause_it_here():
    assert set(FIGURES_AND_DATES) == set(EVERY_EVENT)


@pytest.mark.parametrize("event", EVERY_EVENT)
def test_a_notification_links_into_the_front_end_in_plain_text_and_html(cause, clock, apprenticeship, event):
    clock(NOON_JUNE_1)

    notification = cause(event)

    expected = LIST_LINKS.get(event, f"/apprenticeships/{apprenticeship.id}")
    expected = f"{settings.FRONTEND_URL}{expected}"
    assert notification.link == expected
    assert notification.link.startswith(settings.FRONTEND_URL)
    assert notification.body.endswith(f"Open in the portal: {expected}")
    assert "<" not in notification.body
    assert notification.body_html.startswith("<p>")
    assert f'<a href="{expected}">' in notification.body_html


@pytest.mark.parametrize("event", EVERY_EVENT)
def test_a_notification_states_the_figures_and_the_dates(cause, clock, event):
    clock(NOON_JUNE_1)

    notification = cause(event)

    for fragment in FIGURES_AND_DATES[event]:
        assert fragment in notification.body, (fragment, notification.body)
        assert fragment in notification.body_html, (fragment, notification.body_html)


@pytest.mark.parametrize("event", ABOUT_AN_APPRENTICESHIP)
def test_a_notification_names_the_apprentice(cause, clock, event):
    clock(NOON_JUNE_1)

    notification = cause(event)

    assert "Ari Apprentice" in notification.body
    assert "Ari Apprentice" in notification.body_html


@pytest.mark.parametrize(
    "event",
    [
        "status_changed",
        "milestone_reached",
        "milestone_approved",
        "competency_signed_off",
        "review_submitted",
        "agreement_changed",
    ],
)
def test_a_notification_gives_the_local_date_of_an_evening_event(cause, clock, event):
    """At 8 pm in Los Angeles (TIME_ZONE) it is still June 1 for everyone who reads the notice,
    though UTC is on June 2 already."""
    clock(EVENING_JUNE_1)
    assert timezone.localdate() == datetime.date(2026, 6, 1)

    notification = cause(event)

    assert "June 01, 2026" in notification.body
    assert "June 02, 2026" not in notification.body


@pytest.mark.parametrize("event", EVERY_EVENT)
def test_no_notification_or_email_carries_the_ssn_or_the_date_of_birth(
    cause, django_capture_on_commit_callbacks, event
):
    with django_capture_on_commit_callbacks(execute=True):
        cause(event)

    notifications = list(Notification.objects.all())
    assert notifications
    assert len(mail.outbox) == len(notifications)
    texts = []
    for notification in notifications:
        texts += [
            notification.title,
            _without_links(notification.body, notification),
            _without_links(notification.body_html, notification),
        ]
        message = next(
            m
            for m in mail.outbox
            if m.extra_headers["Message-ID"] == f"<notification-{notification.pk}@apprenticeship-portal>"
        )
        texts += [
            message.subject,
            _without_links(message.body, notification),
            *(_without_links(alternative[0], notification) for alternative in message.alternatives),
        ]
    for text in texts:
        for secret in [*SSN_FRAGMENTS, *BIRTH_DATE_FORMS]:
            assert secret not in text, (secret, text)


def test_html_bodies_escape_what_users_wrote(client_for, everyone, apprentice, employer_a_supervisor, ojt, log_as):
    log = log_as(apprentice, ojt())

    client_for(employer_a_supervisor).post(
        f"/api/v1/hour-logs/{log['id']}/reject/", {"reason": "<script>alert('x')</script> & more"}
    )

    notification = Notification.objects.get(event="hours_rejected")
    assert "<script>" not in notification.body_html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in notification.body_html
    assert "<script>alert('x')</script> & more" in notification.body
