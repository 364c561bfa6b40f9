"""The weekly jobs (Celery beat): no hours for 7 days, behind pace, and the digest of pending
approvals. Each tells its recipients at most once a week, however often it runs."""

import datetime

import pytest

from competencies import tasks
from competencies.notices import behind_pace_alerts, no_hours_reminders, weekly_digests
from competencies.services import hour_totals_recompute
from notifications.models import Notification
from tests import factories
from tests.milestone_flow.helpers import apprenticeship_url, give_credit_quietly
from tests.notifications.helpers import (
    APPRENTICE,
    EMPLOYER_A_STAFF,
    RAPS_ADMIN,
    recipients_of,
)

MONDAY = datetime.date(2025, 3, 17)
WEDNESDAY = MONDAY + datetime.timedelta(days=2)  # the same ISO week
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)


@pytest.fixture
def quiet_at_employer_b(program, employer_b):
    """Another apprentice, at employer B, with no hours either."""
    return factories.ApprenticeshipFactory(program=program, employer=employer_b)


# --- no hours logged for 7 days -----------------------------------------------------------------


def test_no_hours_for_7_days_reminds_the_apprentice_and_the_employers_staff(everyone, apprenticeship):
    written = no_hours_reminders(today=MONDAY)

    assert written == 3
    assert recipients_of("no_hours_reminder") == {APPRENTICE, *EMPLOYER_A_STAFF}
    reminder = Notification.objects.get(event="no_hours_reminder", recipient__email=APPRENTICE)
    assert reminder.subject_id == str(apprenticeship.pk)
    assert reminder.dedupe_key.startswith("no_hours:2025-W12:")


def test_each_quiet_apprenticeship_reminds_its_own_people(everyone, apprenticeship, quiet_at_employer_b):
    no_hours_reminders(today=MONDAY)

    # The apprentices' own reminders are about their apprenticeship; the staff's are lists.
    told = _group(Notification.objects.filter(event="no_hours_reminder").values_list("recipient__email", "body"))
    assert set(told) == {
        APPRENTICE,
        quiet_at_employer_b.apprentice.email,
        *EMPLOYER_A_STAFF,
        "supervisor.b@example.org",
    }
    assert all(len(bodies) == 1 for bodies in told.values())
    b_name = quiet_at_employer_b.apprentice.display_name
    for staff_a in EMPLOYER_A_STAFF:
        assert "Ari Apprentice" in told[staff_a][0]
        assert b_name not in told[staff_a][0]
    assert b_name in told["supervisor.b@example.org"][0]
    assert "Ari Apprentice" not in told["supervisor.b@example.org"][0]
    subjects = dict(
        Notification.objects.filter(event="no_hours_reminder").values_list("recipient__email", "subject_id")
    )
    assert subjects[APPRENTICE] == str(apprenticeship.pk)
    assert subjects[quiet_at_employer_b.apprentice.email] == str(quiet_at_employer_b.pk)


def test_employer_staff_get_one_no_hours_list_naming_every_quiet_apprentice(
    everyone, program, employer_a, apprenticeship
):
    others = [factories.ApprenticeshipFactory(program=program, employer=employer_a) for _ in range(4)]

    written = no_hours_reminders(today=MONDAY)

    assert written == 5 + len(EMPLOYER_A_STAFF)  # each apprentice's own, and one list per staff member
    for email in EMPLOYER_A_STAFF:
        (notice,) = Notification.objects.filter(event="no_hours_reminder", recipient__email=email)
        assert notice.title == "No hours logged for 5 apprentices in 7 days"
        assert notice.subject_id == ""
        assert notice.link.endswith("/apprenticeships?no_recent_hours=true")
        for quiet in [apprenticeship, *others]:
            assert quiet.apprentice.display_name in notice.body
    for quiet in [apprenticeship, *others]:
        (own,) = Notification.objects.filter(event="no_hours_reminder", recipient=quiet.apprentice)
        assert own.subject_id == str(quiet.pk)


def test_hours_logged_within_7_days_need_no_reminder(everyone, employer_a_supervisor, ojt, log_as):
    log_as(employer_a_supervisor, ojt(date="2025-03-11"))

    assert no_hours_reminders(today=MONDAY) == 0
    assert not Notification.objects.filter(event="no_hours_reminder").exists()


def test_hours_logged_8_days_ago_do_not_stop_the_reminder(everyone, employer_a_supervisor, ojt, log_as):
    log_as(employer_a_supervisor, ojt(date="2025-03-09"))

    assert no_hours_reminders(today=MONDAY) == 3
    for notice in Notification.objects.filter(event="no_hours_reminder"):
        assert "since March 09, 2025" in notice.body
        assert "1992.00 OJT hours remain" in notice.body


def test_after_the_totals_are_rebuilt_the_reminder_states_the_last_day_logged(
    client_for, everyone, apprentice, employer_a_supervisor, apprenticeship, ojt, log_as
):
    """The demo data's totals are rebuilt from the logs: the reminders said "since never"."""
    log_as(employer_a_supervisor, ojt(date="2025-03-04"))
    log_as(apprentice, ojt(date="2025-03-07"))  # submitted: it counts
    rejected = log_as(apprentice, ojt(date="2025-03-08"))  # rejected: it does not
    response = client_for(employer_a_supervisor).post(
        f"/api/v1/hour-logs/{rejected['id']}/reject/", {"reason": "Not worked"}
    )
    assert response.status_code == 200, response.json()
    hour_totals_recompute(apprenticeship=apprenticeship)

    assert no_hours_reminders(today=MONDAY) == 3
    for notice in Notification.objects.filter(event="no_hours_reminder"):
        assert "since March 07, 2025" in notice.body, notice.body
        assert "never" not in notice.body


def test_apprenticeships_younger_than_7_days_or_not_active_are_not_reminded(everyone, program, employer_a):
    factories.ApprenticeshipFactory(program=program, employer=employer_a, start_date=datetime.date(2025, 3, 12))
    factories.ApprenticeshipFactory(program=program, employer=employer_a, status="suspended")

    assert no_hours_reminders(today=MONDAY) == 0


def test_reminders_run_twice_in_a_week_write_nothing_the_second_time_but_again_the_next_week(everyone, apprenticeship):
    assert no_hours_reminders(today=MONDAY) == 3
    assert no_hours_reminders(today=WEDNESDAY) == 0
    assert no_hours_reminders(today=MONDAY) == 0
    assert Notification.objects.filter(event="no_hours_reminder").count() == 3

    assert no_hours_reminders(today=NEXT_MONDAY) == 3
    assert Notification.objects.filter(event="no_hours_reminder").count() == 6
    assert recipients_of("no_hours_reminder") == {APPRENTICE, *EMPLOYER_A_STAFF}


# --- behind pace --------------------------------------------------------------------------------


def test_behind_pace_tells_the_employers_staff_and_the_raps_admins_not_the_apprentice(everyone, apprenticeship):
    written = behind_pace_alerts(today=MONDAY)

    assert written == 3
    assert recipients_of("behind_pace") == {RAPS_ADMIN, *EMPLOYER_A_STAFF}
    notice = Notification.objects.get(event="behind_pace", recipient__email=RAPS_ADMIN)
    assert notice.title == "Ari Apprentice is behind pace"
    assert notice.subject_id == ""
    assert notice.link.endswith("/apprenticeships?behind_pace=true")


def test_18_apprentices_behind_pace_give_a_raps_admin_one_notice_naming_all_18(
    everyone, program, employer_a, employer_b
):
    behind = [
        factories.ApprenticeshipFactory(program=program, employer=employer_a if n % 2 else employer_b)
        for n in range(18)
    ]

    behind_pace_alerts(today=MONDAY)

    (notice,) = Notification.objects.filter(event="behind_pace", recipient__email=RAPS_ADMIN)
    assert notice.title == "18 apprentices are behind pace"
    for apprenticeship in behind:
        assert apprenticeship.apprentice.display_name in notice.body
        assert apprenticeship.apprentice.display_name in notice.body_html
    assert notice.body.count("expected end:") == 18
    # Employer A's staff hear of their 9 only, in one notice each, and the apprentices of none.
    for email in EMPLOYER_A_STAFF:
        (staff_notice,) = Notification.objects.filter(event="behind_pace", recipient__email=email)
        assert staff_notice.title == "9 apprentices are behind pace"
    assert not Notification.objects.filter(event="behind_pace", recipient__in=[a.apprentice for a in behind]).exists()


def test_behind_pace_means_projected_completion_after_the_expected_end(
    client_for, everyone, raps_admin, employer_a_supervisor, apprenticeship, ojt
):
    # 8 h each weekday of the 8 weeks before MONDAY: 40 h a week, 1,680 h remain, 42 weeks more
    # (January 2026), before the expected end (2026-12-31): on track.
    days = [MONDAY - datetime.timedelta(days=offset) for offset in range(1, 57) if offset % 7 in (1, 2, 3, 4, 5)]
    items = [ojt(date=day.isoformat(), hours="8") for day in days[:40]]
    response = client_for(employer_a_supervisor).post("/api/v1/hour-logs/bulk/", items, format="json")
    assert response.status_code == 201, response.json()

    assert behind_pace_alerts(today=MONDAY) == 0

    # Two weeks before the expected end, the same pace no longer reaches 2,000 h in time.
    client_for(raps_admin).patch(apprenticeship_url(apprenticeship), {"expected_end_date": "2025-04-01"}, format="json")

    assert behind_pace_alerts(today=MONDAY) == 3
    body = Notification.objects.get(event="behind_pace", recipient__email=RAPS_ADMIN).body
    assert "40.00 OJT hours a week" in body
    assert "1680.00 remain" in body
    assert "expected end: April 01, 2025" in body


def test_an_apprenticeship_with_nothing_left_to_do_is_never_behind(everyone, apprenticeship):
    give_credit_quietly(apprenticeship, ojt=2000)

    assert behind_pace_alerts(today=MONDAY) == 0


def test_behind_pace_run_twice_in_a_week_writes_nothing_the_second_time_but_again_the_next_week(
    everyone, apprenticeship
):
    assert behind_pace_alerts(today=MONDAY) == 3
    assert behind_pace_alerts(today=WEDNESDAY) == 0
    assert Notification.objects.filter(event="behind_pace").count() == 3

    assert behind_pace_alerts(today=NEXT_MONDAY) == 3
    assert Notification.objects.filter(event="behind_pace").count() == 6


# --- weekly digest ------------------------------------------------------------------------------


def test_the_digest_goes_to_reviewers_who_have_pending_approvals(everyone, apprentice, ojt, rti, log_as):
    log_as(apprentice, ojt())  # employer A's staff approve it
    log_as(apprentice, rti(date="2025-03-04"))  # the RAPS admins approve it
    log_as(apprentice, rti(date="2025-03-05"))

    written = weekly_digests(today=MONDAY)

    assert written == 3
    assert recipients_of("weekly_digest") == {RAPS_ADMIN, *EMPLOYER_A_STAFF}
    admin_digest = Notification.objects.get(event="weekly_digest", recipient__email=RAPS_ADMIN)
    assert admin_digest.title == "This week: 2 hour logs to approve, 0 milestones pending"
    staff_digest = Notification.objects.get(event="weekly_digest", recipient__email="supervisor.a@example.org")
    assert staff_digest.title == "This week: 1 hour logs to approve, 0 milestones pending"


def test_the_digest_counts_pending_milestones(client_for, everyone, raps_admin, apprenticeship):
    client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "1000", "credit_basis": "Prior experience on file"},
        format="json",
    )

    weekly_digests(today=MONDAY)

    admin_digest = Notification.objects.get(event="weekly_digest", recipient__email=RAPS_ADMIN)
    assert admin_digest.title == "This week: 0 hour logs to approve, 2 milestones pending"
    assert recipients_of("weekly_digest") == {RAPS_ADMIN, *EMPLOYER_A_STAFF}


def test_nobody_with_nothing_pending_gets_a_digest(everyone, apprenticeship, employer_a_supervisor, ojt, log_as):
    log_as(employer_a_supervisor, ojt())  # approved on entry: nothing waits

    assert weekly_digests(today=MONDAY) == 0
    assert not Notification.objects.filter(event="weekly_digest").exists()


def test_the_digest_run_twice_in_a_week_writes_nothing_the_second_time_but_again_the_next_week(
    everyone, apprentice, ojt, log_as
):
    log_as(apprentice, ojt())

    assert weekly_digests(today=MONDAY) == 2
    assert weekly_digests(today=WEDNESDAY) == 0
    assert Notification.objects.filter(event="weekly_digest").count() == 2

    assert weekly_digests(today=NEXT_MONDAY) == 2
    assert Notification.objects.filter(event="weekly_digest").count() == 4


# --- the beat tasks -------------------------------------------------------------------------------


def test_the_beat_tasks_run_for_today_and_only_once_a_week(everyone, apprentice, apprenticeship, ojt, log_as):
    log_as(apprentice, ojt())  # waits for employer A's staff; nothing logged since 2025

    jobs = (tasks.weekly_no_hours_reminders, tasks.weekly_behind_pace_alerts, tasks.weekly_digests)

    first = [job.delay().get() for job in jobs]
    second = [job.delay().get() for job in jobs]

    assert first == [3, 3, 2]
    assert second == [0, 0, 0]


def _group(pairs) -> dict:
    grouped: dict = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped
