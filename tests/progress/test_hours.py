"""What counts toward progress (docs/domain.md): only approved hours; submitted hours show as
pending; rejected and voided hours count nowhere; credit for prior experience counts toward OJT;
percent never over 100 and remaining never below 0."""

import datetime
from decimal import Decimal

from django.utils import timezone

from apprenticeships.selectors import caller_scope
from competencies import services
from competencies.models import HourLog
from tests import factories


def test_only_approved_hours_count_and_submitted_hours_show_as_pending(
    progress, log_hours, apprentice, employer_a_supervisor, raps_admin, back_end
):
    log_hours(employer_a_supervisor, 8, days_ago=1)
    log_hours(apprentice, 6, days_ago=2, work_process=back_end)
    log_hours(raps_admin, 3, days_ago=1, kind="rti")
    log_hours(apprentice, 2, days_ago=2, kind="rti")

    body = progress()

    assert (body["ojt"]["approved"], body["ojt"]["pending"], body["ojt"]["remaining"]) == ("8.00", "6.00", "1992.00")
    assert (body["rti"]["approved"], body["rti"]["pending"], body["rti"]["remaining"]) == ("3.00", "2.00", "177.00")
    assert body["ojt"]["percent"] == 0.4
    assert [process["approved_hours"] for process in body["work_processes"]] == ["8.00", "0.00"]
    # The pace counts approved OJT only: 8 h over 8 weeks.
    assert body["pace"]["hours_per_week"] == "1.00"


def test_approving_submitted_hours_moves_them_from_pending_to_approved(
    progress, log_hours, apprentice, employer_a_supervisor
):
    log = log_hours(apprentice, 6)
    before = progress()["ojt"]

    services.hour_log_approve(scope=caller_scope(user=employer_a_supervisor), log=log, reviewer=employer_a_supervisor)
    after = progress()

    assert (before["approved"], before["pending"]) == ("0.00", "6.00")
    assert (after["ojt"]["approved"], after["ojt"]["pending"]) == ("6.00", "0.00")
    assert after["work_processes"][0]["approved_hours"] == "6.00"
    assert after["pace"]["hours_per_week"] == "0.75"


def test_rejected_and_voided_hours_count_nowhere(progress, log_hours, apprentice, employer_a_supervisor, raps_admin):
    submitted = log_hours(apprentice, 5, days_ago=2)
    approved = log_hours(employer_a_supervisor, 8, days_ago=1)
    rti = log_hours(raps_admin, 3, days_ago=1, kind="rti")
    services.hour_log_reject(
        scope=caller_scope(user=employer_a_supervisor), log=submitted, reviewer=employer_a_supervisor, reason="On leave"
    )
    services.hour_log_void(
        scope=caller_scope(user=employer_a_supervisor), log=approved, voided_by=employer_a_supervisor, reason="Typo"
    )
    services.hour_log_void(scope=caller_scope(user=raps_admin), log=rti, voided_by=raps_admin, reason="Wrong course")

    body = progress()

    assert set(HourLog.objects.values_list("status", flat=True)) == {"rejected", "voided"}
    for kind, required in (("ojt", "2000.00"), ("rti", "180.00")):
        assert body[kind]["approved"] == body[kind]["pending"] == "0.00"
        assert body[kind]["remaining"] == required
        assert body[kind]["percent"] == 0.0
    assert [process["approved_hours"] for process in body["work_processes"]] == ["0.00", "0.00"]
    assert body["pace"]["hours_per_week"] == "0.00"
    assert body["pace"]["projected_completion_date"] is None


def test_credit_for_prior_experience_counts_toward_ojt(
    client_for, progress, log_hours, raps_admin, apprenticeship, employer_a_supervisor
):
    changed = client_for(raps_admin).patch(
        f"/api/v1/apprenticeships/{apprenticeship.id}/",
        {"ojt_credit_hours": "500.00", "rti_credit_hours": "36.00", "credit_basis": "Prior experience on file"},
    )
    log_hours(employer_a_supervisor, 8)

    body = progress()

    assert changed.status_code == 200, changed.json()
    assert body["ojt"] == {
        "required": "2000.00",
        "approved": "8.00",
        "pending": "0.00",
        "credited": "500.00",
        "remaining": "1492.00",
        "percent": 25.4,
    }
    assert body["rti"]["credited"] == "36.00"
    assert body["rti"]["remaining"] == "144.00"
    assert body["rti"]["percent"] == 20.0
    # Credit is not hours worked in a work process.
    assert body["work_processes"][0]["approved_hours"] == "8.00"


def test_percent_never_exceeds_100_and_remaining_never_goes_below_0(
    progress, apprenticeship, employer_a_supervisor, back_end
):
    apprenticeship.ojt_credit_hours = Decimal("2500")
    apprenticeship.rti_credit_hours = Decimal("200")
    apprenticeship.save()
    # 35 days of 24 h in Back end: 840 h against a target of 800.
    start = timezone.localdate() - datetime.timedelta(days=200)
    HourLog.objects.bulk_create(
        HourLog(
            apprenticeship=apprenticeship,
            employer_id=apprenticeship.employer_id,
            date=start + datetime.timedelta(days=day),
            hours=Decimal("24"),
            kind="ojt",
            work_process=back_end,
            logged_by=employer_a_supervisor,
            reviewed_by=employer_a_supervisor,
            reviewed_at=timezone.now(),
            status="approved",
        )
        for day in range(35)
    )
    services.hour_totals_recompute(apprenticeship=apprenticeship)

    body = progress()

    assert body["ojt"]["credited"] == "2500.00"
    assert body["ojt"]["approved"] == "840.00"
    assert body["ojt"]["remaining"] == "0.00"
    assert body["ojt"]["percent"] == 100.0
    assert (body["rti"]["remaining"], body["rti"]["percent"]) == ("0.00", 100.0)
    back = next(process for process in body["work_processes"] if process["title"] == "Back end")
    assert (back["approved_hours"], back["percent"]) == ("840.00", 100.0)


def test_hours_of_another_apprenticeship_do_not_count(progress, other_apprenticeship, employer_b_supervisor):
    factories.HourLogFactory(
        apprenticeship=other_apprenticeship,
        date=timezone.localdate() - datetime.timedelta(days=1),
        status="approved",
        reviewed_by=employer_b_supervisor,
        reviewed_at=timezone.now(),
    )
    services.hour_totals_recompute(apprenticeship=other_apprenticeship)

    body = progress()

    assert body["ojt"]["approved"] == "0.00"
    assert body["pace"]["hours_per_week"] == "0.00"
