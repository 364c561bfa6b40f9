"""The running totals (HourTotals, WorkProcessTotal) that progress reads are derived data: after
any mix of writes they equal what `hour_totals_recompute` rebuilds from the logs themselves."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from competencies import services
from competencies.models import HourTotals
from tests import factories
from tests.hour_logs.records import LOGS, totals_of, work_process_totals_of


def counts_of(apprenticeship) -> dict:
    """The running counts: logs waiting (reports) and every log (hour-logs/'s count)."""
    return HourTotals.objects.filter(apprenticeship=apprenticeship).values("pending_logs", "logs").get()


def running_and_recomputed(apprenticeship):
    running = (totals_of(apprenticeship), work_process_totals_of(apprenticeship), counts_of(apprenticeship))
    services.hour_totals_recompute(apprenticeship=apprenticeship)
    return running, (totals_of(apprenticeship), work_process_totals_of(apprenticeship), counts_of(apprenticeship))


def test_after_create_approve_reject_void_and_edit_the_totals_equal_the_logs(
    client_for, log_as, apprentice, employer_a_supervisor, raps_admin, apprenticeship, front_end, back_end, ojt, rti
):
    as_apprentice, as_staff, as_raps = client_for(apprentice), client_for(employer_a_supervisor), client_for(raps_admin)

    log_as(employer_a_supervisor, ojt(date="2025-03-03", hours="8"))  # approved on entry
    back = log_as(employer_a_supervisor, ojt(date="2025-03-04", hours="4", work_process=str(back_end.id)))
    approved = log_as(apprentice, ojt(date="2025-03-05", hours="6"))
    rejected = log_as(apprentice, ojt(date="2025-03-06", hours="5", work_process=str(back_end.id)))
    edited = log_as(apprentice, ojt(date="2025-03-07", hours="7"))
    moved = log_as(apprentice, ojt(date="2025-03-10", hours="2", work_process=str(back_end.id)))
    rti_approved = log_as(apprentice, rti(date="2025-03-03", hours="3"))
    rti_voided = log_as(raps_admin, rti(date="2025-03-04", hours="2"))  # approved on entry
    log_as(apprentice, rti(date="2025-03-05", hours="1.5"))  # stays submitted

    steps = [
        as_staff.post(f"{LOGS}{approved['id']}/approve/"),
        as_staff.post(f"{LOGS}{rejected['id']}/reject/", {"reason": "On leave"}),
        as_apprentice.patch(f"{LOGS}{edited['id']}/", {"hours": "3.5"}),
        as_apprentice.patch(f"{LOGS}{moved['id']}/", {"work_process": str(front_end.id), "hours": "2.25"}),
        as_staff.post(f"{LOGS}{moved['id']}/approve/"),
        as_raps.post(f"{LOGS}{rti_approved['id']}/approve/"),
        as_raps.post(f"{LOGS}{rti_voided['id']}/void/", {"reason": "Course cancelled"}),
        as_staff.post(f"{LOGS}{back['id']}/void/", {"reason": "Wrong work process"}),
    ]

    assert [step.status_code for step in steps] == [200] * len(steps), [step.json() for step in steps]
    running, recomputed = running_and_recomputed(apprenticeship)
    assert running == recomputed
    assert running == (
        {"ojt_approved": "16.25", "ojt_pending": "3.50", "rti_approved": "3.00", "rti_pending": "1.50"},
        {"Front end": "16.25", "Back end": "0.00"},
        {"pending_logs": 2, "logs": 9},
    )
    progress = as_apprentice.get(f"/api/v1/apprenticeships/{apprenticeship.id}/progress/").json()
    assert (progress["ojt"]["approved"], progress["ojt"]["pending"]) == ("16.25", "3.50")
    assert (progress["rti"]["approved"], progress["rti"]["pending"]) == ("3.00", "1.50")
    assert {process["title"]: process["approved_hours"] for process in progress["work_processes"]} == {
        "Front end": "16.25",
        "Back end": "0.00",
    }


def test_after_bulk_and_import_the_totals_equal_the_logs(
    client_for, employer_a_supervisor, apprentice, apprenticeship, front_end, back_end, ojt
):
    bulk = client_for(apprentice).post(f"{LOGS}bulk/", [ojt(date="2025-03-03", hours="4"), ojt(date="2025-03-04")])
    csv = "\n".join(
        [
            "apprenticeship,date,hours,kind,work_process,description",
            f"{apprenticeship.id},2025-03-03,8,ojt,{back_end.id},imported",
            f"{apprenticeship.id},2025-03-05,7.75,ojt,{front_end.id},imported",
        ]
    ).encode()
    imported = client_for(employer_a_supervisor).post(
        f"{LOGS}import/", {"file": SimpleUploadedFile("hours.csv", csv)}, format="multipart"
    )

    assert (bulk.status_code, imported.status_code) == (201, 201)
    running, recomputed = running_and_recomputed(apprenticeship)
    assert running == recomputed
    assert running == (
        {"ojt_approved": "15.75", "ojt_pending": "12.00", "rti_approved": "0.00", "rti_pending": "0.00"},
        {"Front end": "7.75", "Back end": "8.00"},
        {"pending_logs": 2, "logs": 4},
    )


def test_refused_writes_leave_the_totals_as_they_were(
    client_for, log_as, apprentice, employer_a_supervisor, raps_admin, apprenticeship, ojt, rti
):
    submitted = log_as(apprentice, ojt(hours="8"))
    approved = log_as(employer_a_supervisor, ojt(date="2025-03-04", hours="6"))
    before = (totals_of(apprenticeship), work_process_totals_of(apprenticeship), counts_of(apprenticeship))

    refused = [
        client_for(apprentice).post(LOGS, ojt(hours="16.25")),  # 24 a day
        client_for(employer_a_supervisor).post(LOGS, rti()),  # 403
        client_for(apprentice).patch(f"{LOGS}{submitted['id']}/", {"hours": "7.3"}),
        client_for(apprentice).post(f"{LOGS}{submitted['id']}/approve/"),
        client_for(employer_a_supervisor).post(f"{LOGS}{approved['id']}/approve/"),
        client_for(employer_a_supervisor).post(f"{LOGS}{submitted['id']}/void/", {"reason": "No"}),
        client_for(raps_admin).post(f"{LOGS}{submitted['id']}/approve/"),
        client_for(employer_a_supervisor).post(
            f"{LOGS}bulk/", [ojt(date="2025-03-05"), ojt(date="2025-03-05", hours="16.25")]
        ),
    ]

    assert all(response.status_code >= 400 for response in refused), [r.status_code for r in refused]
    running, recomputed = running_and_recomputed(apprenticeship)
    assert running == before == recomputed


def test_recompute_repairs_totals_that_drifted_from_the_logs(
    log_as, apprentice, employer_a_supervisor, apprenticeship, ojt
):
    log_as(employer_a_supervisor, ojt(hours="8"))
    log_as(apprentice, ojt(date="2025-03-04", hours="2"))
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(
        ojt_approved=Decimal("999"), ojt_pending=0, pending_logs=7, logs=0
    )

    services.hour_totals_recompute(apprenticeship=apprenticeship)

    assert counts_of(apprenticeship) == {"pending_logs": 1, "logs": 2}

    assert totals_of(apprenticeship) == {
        "ojt_approved": "8.00",
        "ojt_pending": "2.00",
        "rti_approved": "0.00",
        "rti_pending": "0.00",
    }


def test_the_latest_day_logged_only_moves_forward(log_as, apprentice, apprenticeship, ojt):
    log_as(apprentice, ojt(date="2025-03-05", hours="2"))
    log_as(apprentice, ojt(date="2025-03-03", hours="2"))

    assert str(HourTotals.objects.get(apprenticeship=apprenticeship).last_logged_on) == "2025-03-05"


def test_a_log_of_an_apprenticeship_without_a_totals_row_creates_it(log_as, apprentice, apprenticeship, ojt):
    HourTotals.objects.filter(apprenticeship=apprenticeship).delete()

    log_as(apprentice, ojt(hours="2"))

    assert totals_of(apprenticeship)["ojt_pending"] == "2.00"
    assert counts_of(apprenticeship) == {"pending_logs": 1, "logs": 1}


def test_rebuilt_totals_hold_the_latest_day_of_a_log_that_counts(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt
):
    log_as(employer_a_supervisor, ojt(date="2025-03-03", hours="2"))  # approved on entry
    log_as(apprentice, ojt(date="2025-03-05", hours="2"))  # submitted
    rejected = log_as(apprentice, ojt(date="2025-03-07", hours="2"))
    response = client_for(employer_a_supervisor).post(f"{LOGS}{rejected['id']}/reject/", {"reason": "Not worked"})
    assert response.status_code == 200, response.json()
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(last_logged_on=None)

    services.hour_totals_recompute(apprenticeship=apprenticeship)

    assert str(HourTotals.objects.get(apprenticeship=apprenticeship).last_logged_on) == "2025-03-05"


def test_after_bulk_decisions_of_several_apprentices_and_work_processes_the_totals_equal_the_logs(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, program, employer_a, front_end, back_end, ojt
):
    other = factories.ApprenticeshipFactory(program=program, employer=employer_a)
    mine = [
        log_as(apprentice, ojt(date="2025-03-03", hours="4")),
        log_as(apprentice, ojt(date="2025-03-04", hours="2.5", work_process=str(back_end.id))),
        log_as(apprentice, ojt(date="2025-03-05", hours="6")),
    ]
    theirs = [
        log_as(other.apprentice, {**ojt(date="2025-03-03", hours="7"), "apprenticeship": str(other.id)}),
        log_as(other.apprentice, {**ojt(date="2025-03-04", hours="1.25"), "apprenticeship": str(other.id)}),
    ]
    staff = client_for(employer_a_supervisor)

    approved = staff.post(f"{LOGS}approve/", {"ids": [mine[0]["id"], mine[1]["id"], theirs[0]["id"]]}, format="json")
    rejected = staff.post(
        f"{LOGS}reject/", {"ids": [mine[2]["id"], theirs[1]["id"]], "reason": "Not this week"}, format="json"
    )

    assert (approved.status_code, rejected.status_code) == (200, 200), (approved.content, rejected.content)
    for each in (apprenticeship, other):
        running, recomputed = running_and_recomputed(each)
        assert running == recomputed
    assert running_and_recomputed(apprenticeship)[0][:2] == (
        {"ojt_approved": "6.50", "ojt_pending": "0.00", "rti_approved": "0.00", "rti_pending": "0.00"},
        {"Front end": "4.00", "Back end": "2.50"},
    )
    assert totals_of(other)["ojt_approved"] == "7.00"
