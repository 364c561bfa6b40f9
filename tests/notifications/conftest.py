"""Fixtures of the notification tests: the hour-log bodies of tests/hour_logs, everyone who
may be told (so that a notification to the wrong person has someone to go to), and ways to reach
each event through the API."""

import datetime

import pytest
from django.utils import timezone

from competencies.notices import behind_pace_alerts, no_hours_reminders, reviews_overdue_notices, weekly_digests
from notifications.models import Notification
from tests.agreements.helpers import sign_as
from tests.aid.helpers import AID, aid_url, make_fund, request_body
from tests.hour_logs import conftest as hour_logs
from tests.milestone_flow.helpers import apprenticeship_url, milestone_url, the_milestone
from tests.notifications.helpers import APPRENTICE, EMPLOYER_A_SUPERVISOR, RAPS_ADMIN, the_notification

# The hour-log tests' fixtures: the program's work processes and log bodies as clients send them.
front_end, back_end, ojt, rti, log_as = (
    hour_logs.front_end,
    hour_logs.back_end,
    hour_logs.ojt,
    hour_logs.rti,
    hour_logs.log_as,
)


@pytest.fixture
def everyone(raps_admin, employer_a_admin, employer_a_supervisor, employer_b_supervisor, other_raps_admin, outsider):
    """Every persona exists: RAPS admin, employer A's admin and supervisor, employer B's supervisor,
    the other sponsor's RAPS admin and an outsider."""


@pytest.fixture
def reach_probation(client_for, raps_admin, apprenticeship):
    """The RAPS admin credits 500 h of prior experience: "Probation complete" is reached. Returns
    the pending milestone."""

    def run():
        response = client_for(raps_admin).patch(
            apprenticeship_url(apprenticeship),
            {"ojt_credit_hours": "500", "credit_basis": "Prior experience on file"},
            format="json",
        )
        assert response.status_code == 200, response.json()
        return the_milestone(apprenticeship, "Probation complete")

    return run


# A Monday; the apprenticeship (started 2025-01-06) then has no hours for more than 7 days.
WEEKLY_RUN_DAY = datetime.date(2025, 3, 17)


def set_review_interval(apprenticeship, *, months: int) -> None:
    program = apprenticeship.program
    program.review_interval_months = months
    program.save()


@pytest.fixture
def cause(
    client_for,
    everyone,
    apprentice,
    raps_admin,
    employer_a_supervisor,
    apprenticeship,
    front_end,
    back_end,
    ojt,
    log_as,
    reach_probation,
):
    """cause(event) does what a user does to cause `event` on the apprentice's apprenticeship and
    returns the notification of one of its recipients:

    hours: 7.50 h of OJT on 2025-03-03 (submitted by the apprentice, or logged by employer A's
    supervisor for `hours_voided`); reasons "Not on the timesheet" / "Logged twice"; the
    milestone "Probation complete" through 500 h of credit; suspension "Leave of absence"; the
    weekly jobs on WEEKLY_RUN_DAY; progress reviews every 6 months (submitted: the first, by
    employer A's supervisor) or 12 (overdue: the first, on the clock's day)."""

    def submitted():
        return log_as(apprentice, ojt(hours="7.50"))

    def reached():
        return reach_probation()

    def aid_event(event, as_admin, as_apprentice) -> str:
        """$400 of childcare aid asked for by the apprentice; approved for $300 from the
        sponsor's fund, denied, paid by check or withdrawn."""
        make_fund(apprenticeship.program.sponsor)
        asked = as_apprentice.post(AID, request_body(apprenticeship), format="json").json()
        if event == "aid_requested":
            return RAPS_ADMIN
        if event == "aid_withdrawn":
            as_apprentice.post(aid_url(asked, "withdraw"), {"reason": "No longer needed"})
        elif event == "aid_denied":
            as_admin.post(aid_url(asked, "deny"), {"reason": "Covered by the stipend"})
        else:
            fund = str(apprenticeship.program.sponsor.funds.get().pk)
            as_admin.post(aid_url(asked, "approve"), {"amount": "300", "fund": fund, "reason": "Two months"})
            if event == "aid_paid":
                as_admin.post(aid_url(asked, "pay"), {"paid_on": str(timezone.localdate()), "method": "check"})
        return APPRENTICE

    def run(event: str) -> Notification:
        as_supervisor, as_admin = client_for(employer_a_supervisor), client_for(raps_admin)
        recipient = EMPLOYER_A_SUPERVISOR
        if event == "hours_submitted":
            submitted()
        elif event == "hours_approved":
            as_supervisor.post(f"/api/v1/hour-logs/{submitted()['id']}/approve/")
            recipient = APPRENTICE
        elif event == "hours_rejected":
            as_supervisor.post(f"/api/v1/hour-logs/{submitted()['id']}/reject/", {"reason": "Not on the timesheet"})
            recipient = APPRENTICE
        elif event == "hours_voided":
            log = log_as(employer_a_supervisor, ojt(hours="7.50"))
            as_supervisor.post(f"/api/v1/hour-logs/{log['id']}/void/", {"reason": "Logged twice"})
            recipient = APPRENTICE
        elif event == "competency_signed_off":
            as_supervisor.post(
                "/api/v1/competency-signoffs/",
                {
                    "apprenticeship": str(apprenticeship.id),
                    "competency": str(front_end.competencies.order_by("code").first().id),
                    "rating": "advanced",
                },
            )
            recipient = APPRENTICE
        elif event == "milestone_reached":
            reached()
            recipient = RAPS_ADMIN
        elif event == "milestone_approved":
            as_admin.post(milestone_url(reached(), "approve"))
        elif event == "milestone_rejected":
            as_admin.post(milestone_url(reached(), "reject"), {"reason": "Credit not documented"})
        elif event == "status_changed":
            as_admin.post(
                apprenticeship_url(apprenticeship, "transition"), {"to": "suspended", "reason": "Leave of absence"}
            )
        elif event == "no_hours_reminder":
            no_hours_reminders(today=WEEKLY_RUN_DAY)
        elif event == "behind_pace":
            behind_pace_alerts(today=WEEKLY_RUN_DAY)
            recipient = RAPS_ADMIN
        elif event == "agreement_changed":
            sign_as(apprenticeship, apprentice, "apprentice")
            as_admin.patch(apprenticeship_url(apprenticeship), {"entry_wage": "23.00"}, format="json")
            recipient = APPRENTICE
        elif event == "weekly_digest":
            submitted()
            weekly_digests(today=WEEKLY_RUN_DAY)
        elif event.startswith("aid_"):
            recipient = aid_event(event, as_admin, client_for(apprentice))
        elif event == "review_submitted":
            # Employer A's staff write the review of an apprenticeship with no mentor.
            set_review_interval(apprenticeship, months=6)
            rate = [{"work_process": str(process.pk), "rating": 3} for process in (front_end, back_end)]
            review = as_supervisor.post(
                f"/api/v1/apprenticeships/{apprenticeship.id}/reviews/", {"period": 1, "ratings": rate}, format="json"
            ).json()
            as_supervisor.post(f"/api/v1/reviews/{review['id']}/submit/")
            recipient = APPRENTICE
        elif event == "review_overdue":
            set_review_interval(apprenticeship, months=12)
            reviews_overdue_notices(today=timezone.localdate())
            recipient = APPRENTICE
        else:
            raise AssertionError(f"no way to cause {event}")
        return the_notification(event, recipient)

    return run
