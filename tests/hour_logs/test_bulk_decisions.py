"""Bulk decisions of hours (docs/domain.md): `hour-logs/approve/` and `hour-logs/reject/` decide
every log of `ids` as one decision each would, or none; each refused id's errors by id; each
apprentice told once per request; a fixed number of queries however many logs."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apprenticeships.models import Apprenticeship
from competencies.models import HourLog, Milestone
from competencies.services import HourEntry, hour_logs_create_all
from notifications.models import Notification
from portal.models import AuditEntry
from tests import factories
from tests.hour_logs.records import LOGS, NO_HOURS, scope_of, totals_of, work_process_totals_of

APPROVE, REJECT = f"{LOGS}approve/", f"{LOGS}reject/"


def submit(apprenticeship, n: int, *, kind: str = "ojt", hours: str = "8", start=datetime.date(2025, 2, 3)) -> list:
    """`n` logs the apprentice submits, one a day from `start`: their ids, as strings."""
    apprentice = apprenticeship.apprentice
    process = apprenticeship.program.work_processes.order_by("position").first()
    entries = [
        HourEntry(
            apprenticeship_id=apprenticeship.pk,
            date=start + datetime.timedelta(days=day),
            hours=Decimal(hours),
            kind=kind,
            work_process=str(process.pk) if kind == "ojt" else None,
        )
        for day in range(n)
    ]
    logs = hour_logs_create_all(scope=scope_of(apprentice), logged_by=apprentice, entries=entries)
    return [str(log.pk) for log in logs]


def statuses(ids) -> set:
    return set(HourLog.objects.filter(pk__in=ids).values_list("status", flat=True))


def test_a_supervisor_clears_a_week_of_submissions_in_one_request(
    client_for, apprentice, apprenticeship, employer_a_supervisor
):
    ids = submit(apprenticeship, 5)

    response = client_for(employer_a_supervisor).post(APPROVE, {"ids": ids}, format="json")

    assert response.status_code == 200, response.json()
    assert sorted(log["id"] for log in response.json()) == sorted(ids)
    assert {log["status"] for log in response.json()} == {"approved"}
    stored = HourLog.objects.filter(pk__in=ids)
    assert {(log.status, log.reviewed_by_id) for log in stored} == {("approved", employer_a_supervisor.pk)}
    assert all(log.reviewed_at is not None for log in stored)
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "40.00"}
    assert work_process_totals_of(apprenticeship) == {"Front end": "40.00"}
    for log in stored:
        latest = log.history.first()
        assert (latest.history_type, latest.history_change_reason, latest.history_user_id) == (
            "~",
            "approved",
            employer_a_supervisor.pk,
        )
        assert latest.status == "approved"


def test_the_apprentice_is_told_once_of_all_their_logs_of_the_request(
    client_for, apprentice, apprenticeship, employer_a_supervisor
):
    ids = submit(apprenticeship, 3)

    client_for(employer_a_supervisor).post(APPROVE, {"ids": ids}, format="json")

    (notice,) = Notification.objects.filter(recipient=apprentice, event="hours_approved")
    assert notice.title == "Hours approved: 3 logs, 24.00 h"
    for day in ("February 03, 2025", "February 04, 2025", "February 05, 2025"):
        assert f"on {day} were approved" in notice.body


def test_one_log_is_told_as_one_decision_tells_it(client_for, apprentice, apprenticeship, employer_a_supervisor):
    (log_id,) = submit(apprenticeship, 1, hours="7.5")

    client_for(employer_a_supervisor).post(APPROVE, {"ids": [log_id]}, format="json")

    (notice,) = Notification.objects.filter(recipient=apprentice, event="hours_approved")
    assert notice.title == "Hours approved: 7.50 h on Feb 03"
    assert notice.subject_id == log_id


def test_rejecting_in_bulk_records_the_one_reason_on_each_log_and_empties_the_pending_hours(
    client_for, apprentice, apprenticeship, employer_a_admin
):
    ids = submit(apprenticeship, 4)

    response = client_for(employer_a_admin).post(REJECT, {"ids": ids, "reason": "  Not on the rota  "}, format="json")

    assert response.status_code == 200, response.json()
    assert set(HourLog.objects.filter(pk__in=ids).values_list("status", "review_note")) == {
        ("rejected", "Not on the rota")
    }
    assert totals_of(apprenticeship) == NO_HOURS
    assert HourLog.objects.get(pk=ids[0]).history.first().history_change_reason == "rejected: Not on the rota"
    (notice,) = Notification.objects.filter(recipient=apprentice, event="hours_rejected")
    assert "Reason: Not on the rota" in notice.body


def test_a_long_rejection_reason_is_kept_whole_on_each_log_and_in_the_audit_trail_and_cut_short_in_history(
    client_for, apprenticeship, employer_a_admin
):
    ids = submit(apprenticeship, 2)
    reason = "These days are not on the rota that the site manager signed; " * 10

    response = client_for(employer_a_admin).post(REJECT, {"ids": ids, "reason": reason}, format="json")

    assert response.status_code == 200, response.json()
    assert set(HourLog.objects.filter(pk__in=ids).values_list("review_note", flat=True)) == {reason.strip()}
    for pk in ids:
        recorded = HourLog.objects.get(pk=pk).history.first().history_change_reason
        assert len(recorded) == 100
        assert recorded.startswith("rejected: These days are not on the rota")
        assert recorded.endswith("…")
    entries = AuditEntry.objects.filter(record_type="hour_log", record_id__in=ids, action="changed")
    assert entries.count() == 2
    assert set(entries.values_list("reason", flat=True)) == {f"rejected: {reason.strip()}"}


def test_a_rejection_says_why(client_for, apprenticeship, employer_a_admin):
    ids = submit(apprenticeship, 1)

    response = client_for(employer_a_admin).post(REJECT, {"ids": ids, "reason": "   "}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    assert statuses(ids) == {"submitted"}


def test_an_unknown_id_refuses_the_whole_request_and_is_named(client_for, apprenticeship, employer_a_supervisor):
    ids = submit(apprenticeship, 3)
    unknown = str(uuid.uuid4())

    response = client_for(employer_a_supervisor).post(APPROVE, {"ids": [*ids, unknown]}, format="json")

    assert response.status_code == 400
    assert response.json() == {unknown: {"id": ["Not found."]}}
    assert statuses(ids) == {"submitted"}
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "24.00"}
    assert not Notification.objects.filter(event="hours_approved").exists()


def test_a_log_out_of_the_callers_scope_is_reported_exactly_like_an_unknown_id(
    client_for, apprenticeship, other_apprenticeship, employer_a_supervisor
):
    mine = submit(apprenticeship, 1)
    (theirs,) = submit(other_apprenticeship, 1)  # employer B's

    response = client_for(employer_a_supervisor).post(APPROVE, {"ids": [*mine, theirs]}, format="json")

    assert response.status_code == 400
    assert response.json() == {theirs: {"id": ["Not found."]}}
    assert statuses([*mine, theirs]) == {"submitted"}


def test_a_decided_log_in_the_request_answers_409_and_nothing_is_decided(
    client_for, apprenticeship, employer_a_supervisor
):
    ids = submit(apprenticeship, 3)
    client = client_for(employer_a_supervisor)
    assert client.post(f"{LOGS}{ids[0]}/approve/").status_code == 200

    response = client.post(APPROVE, {"ids": ids}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Nothing was decided: 1 of the ids were refused, each named by its id.",
        ids[0]: {"status": ["This log is approved: only a submitted log is approved."]},
    }
    assert statuses(ids[1:]) == {"submitted"}


def test_logs_the_caller_reads_but_may_not_review_answer_403_by_id(client_for, apprenticeship, raps_admin):
    """A RAPS admin reads the sponsor's OJT logs; the employer's staff review them."""
    ids = submit(apprenticeship, 2)

    response = client_for(raps_admin).post(APPROVE, {"ids": ids}, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Nothing was decided: 2 of the ids were refused, each named by its id.",
        **{log_id: {"id": ["On-the-job hours are approved by the apprentice's employer staff."]} for log_id in ids},
    }
    assert statuses(ids) == {"submitted"}


def test_the_worst_refusal_decides_the_answer_unknown_before_forbidden(client_for, apprenticeship, raps_admin):
    ids = submit(apprenticeship, 1)
    unknown = str(uuid.uuid4())

    response = client_for(raps_admin).post(APPROVE, {"ids": [*ids, unknown]}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {*ids, unknown}


def test_a_raps_admin_approves_rti_in_bulk_and_nobody_their_own(client_for, apprentice, apprenticeship, raps_admin):
    ids = submit(apprenticeship, 2, kind="rti", hours="3")

    assert client_for(apprentice).post(APPROVE, {"ids": ids}, format="json").status_code == 403
    response = client_for(raps_admin).post(APPROVE, {"ids": ids}, format="json")

    assert response.status_code == 200, response.json()
    assert totals_of(apprenticeship) == {**NO_HOURS, "rti_approved": "6.00"}


def test_an_id_sent_twice_is_a_bad_request(client_for, apprenticeship, employer_a_supervisor):
    ids = submit(apprenticeship, 2)

    response = client_for(employer_a_supervisor).post(APPROVE, {"ids": [*ids, ids[0]]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"ids": [f"Each id is sent once; repeated: {ids[0]}."]}
    assert statuses(ids) == {"submitted"}


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"ids": ["not-a-uuid"]}, {"ids": "x"}, []])
def test_a_body_that_is_not_a_list_of_ids_is_a_bad_request(client_for, employer_a_supervisor, body):
    response = client_for(employer_a_supervisor).post(APPROVE, body, format="json")

    assert response.status_code == 400


def test_past_the_limit_of_ids_the_request_is_too_large(settings, client_for, apprenticeship, employer_a_supervisor):
    settings.BULK_DECISION_MAX_ITEMS = 2
    ids = submit(apprenticeship, 3)

    response = client_for(employer_a_supervisor).post(APPROVE, {"ids": ids}, format="json")

    assert response.status_code == 413
    assert statuses(ids) == {"submitted"}


def test_approving_in_bulk_reaches_the_milestones_the_hours_reach(
    client_for, apprenticeship, employer_a_supervisor, raps_admin
):
    """Probation is 500 OJT hours: 496 credited, then 8 approved in bulk."""
    type(apprenticeship).objects.filter(pk=apprenticeship.pk).update(ojt_credit_hours=Decimal("496"))
    ids = submit(apprenticeship, 1)

    response = client_for(employer_a_supervisor).post(APPROVE, {"ids": ids}, format="json")

    assert response.status_code == 200, response.json()
    (milestone,) = Milestone.objects.filter(apprenticeship=apprenticeship)
    assert (milestone.definition.name, milestone.status, milestone.basis) == (
        "Probation complete",
        "pending",
        "ojt=504.00",
    )
    assert milestone.history.get().history_change_reason == "reached: 504.00 OJT hours (threshold 500.00)"
    assert Notification.objects.filter(recipient=raps_admin, event="milestone_reached").count() == 1


def _approve(client, ids) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.post(APPROVE, {"ids": ids}, format="json")
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def test_approving_1_log_or_200_of_20_apprentices_costs_the_same_queries(
    client_for, program, employer_a, apprenticeship, employer_a_supervisor
):
    client = client_for(employer_a_supervisor)
    # The notices' subjects' content types, known to the process once: a log, an apprenticeship.
    ContentType.objects.get_for_models(HourLog, Apprenticeship)
    one = _approve(client, submit(apprenticeship, 1))

    many = []
    for _ in range(20):
        other = factories.ApprenticeshipFactory(program=program, employer=employer_a)
        many += submit(other, 10)
    assert len(many) == 200
    two_hundred = _approve(client, many)

    assert statuses(many) == {"approved"}
    assert Notification.objects.filter(event="hours_approved").count() == 1 + 20
    # 1.-4. session, user, memberships, own apprenticeships  5. BEGIN  6., 7. the apprenticeships
    # (found by the logs within the scope), then their apprentices, locked  8. the logs locked,
    # with their work processes  9., 10. the logs (one UPDATE: every log takes the same decision)
    # and their history  11. the audit trail's index of the history (from the rows written)
    # 12. the running totals (one UPDATE of every row)  13. the work processes' totals (one upsert)
    # 14. the recipients with their preferences  15., 16. the notices and their history
    # 17.-21. the milestones' figures (totals, work processes, competencies), milestones and
    # definitions  22. COMMIT. The answer names what the lock loaded: no query of its own.
    assert one == two_hundred == 22
