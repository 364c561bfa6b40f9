"""Changing a log (docs/api.md: PATCH while `submitted`, the author only): the rules of a new log hold,
the running totals follow, and a decided log is never changed nor deleted."""

import datetime

import pytest

from competencies.models import HourLog
from tests import factories
from tests.hour_logs.records import LOGS, NO_HOURS, totals_of, work_process_totals_of


def test_the_author_changes_a_submitted_log_and_the_totals_follow(client_for, log_as, apprentice, apprenticeship, ojt):
    log = log_as(apprentice, ojt(hours="8"))

    response = client_for(apprentice).patch(f"{LOGS}{log['id']}/", {"hours": "6.25", "description": "Fixed a bug"})

    assert response.status_code == 200, response.json()
    assert (response.json()["hours"], response.json()["description"]) == ("6.25", "Fixed a bug")
    stored = HourLog.objects.get()
    assert (f"{stored.hours}", stored.description, stored.status) == ("6.25", "Fixed a bug", "submitted")
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "6.25"}
    assert stored.history.first().history_change_reason == "changed while submitted"


def test_moving_a_submitted_log_to_another_day_and_work_process(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, back_end, ojt
):
    log = log_as(apprentice, ojt(date="2025-03-03"))

    moved = client_for(apprentice).patch(
        f"{LOGS}{log['id']}/", {"date": "2025-03-07", "work_process": str(back_end.id)}
    )
    client_for(employer_a_supervisor).post(f"{LOGS}{log['id']}/approve/")

    assert moved.status_code == 200, moved.json()
    stored = HourLog.objects.get()
    assert (stored.date, stored.work_process) == (datetime.date(2025, 3, 7), back_end)
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "8.00"}
    assert work_process_totals_of(apprenticeship) == {"Back end": "8.00"}


def test_a_work_process_can_be_named_by_its_id_only_within_the_program(
    client_for, log_as, apprentice, sponsor, apprenticeship, front_end, ojt
):
    foreign = factories.WorkProcessFactory(program=factories.ProgramFactory(sponsor=sponsor))
    log = log_as(apprentice, ojt())

    response = client_for(apprentice).patch(f"{LOGS}{log['id']}/", {"work_process": str(foreign.id)})

    assert response.status_code == 400
    assert response.json() == {"work_process": ["Not a work process of the apprenticeship's program."]}
    assert HourLog.objects.get().work_process == front_end


def test_a_changed_log_does_not_count_against_itself_for_the_day(client_for, log_as, apprentice, apprenticeship, ojt):
    log = log_as(apprentice, ojt(hours="16"))

    response = client_for(apprentice).patch(f"{LOGS}{log['id']}/", {"hours": "20"})

    assert response.status_code == 200, response.json()
    assert totals_of(apprenticeship)["ojt_pending"] == "20.00"


def test_a_change_keeps_the_24_hours_a_day(client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt):
    log_as(employer_a_supervisor, ojt(date="2025-03-03", hours="8"))
    log = log_as(apprentice, ojt(date="2025-03-04", hours="16"))
    before = totals_of(apprenticeship)

    moved = client_for(apprentice).patch(f"{LOGS}{log['id']}/", {"date": "2025-03-03", "hours": "16.25"})

    assert moved.status_code == 400
    assert moved.json() == {"hours": ["8.00 h are already logged on 2025-03-03: at most 16.00 h more that day."]}
    stored = HourLog.objects.get(pk=log["id"])
    assert (stored.date, f"{stored.hours}") == (datetime.date(2025, 3, 4), "16.00")
    assert totals_of(apprenticeship) == before


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"hours": "7.30"}, {"hours": ["Hours are logged in quarter hours (.00, .25, .50, .75)."]}),
        ({"hours": "7.125"}, {"hours": ["Ensure that there are no more than 2 decimal places."]}),
        ({"hours": "0"}, {"hours": ["Hours are more than 0 and at most 24."]}),
        ({"date": "2025-01-05"}, {"date": ["The date is before the apprenticeship's start date (2025-01-06)."]}),
        ({"date": "2999-01-01"}, {"date": ["Hours cannot be logged for a future date."]}),
        ({"work_process": None}, {"work_process": ["An OJT log names the work process."]}),
    ],
)
def test_a_change_that_breaks_a_rule_is_refused_and_changes_nothing(
    client_for, log_as, apprentice, apprenticeship, ojt, changes, errors
):
    log = log_as(apprentice, ojt())

    response = client_for(apprentice).patch(f"{LOGS}{log['id']}/", changes)

    assert response.status_code == 400
    assert response.json() == errors
    stored = HourLog.objects.get()
    assert (stored.date, f"{stored.hours}", stored.work_process_id is not None) == (
        datetime.date(2025, 3, 3),
        "8.00",
        True,
    )
    assert stored.history.count() == 1
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "8.00"}


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "employer_a_admin", "raps_admin"])
def test_only_the_author_changes_a_submitted_log(request, client_for, log_as, apprentice, apprenticeship, ojt, persona):
    log = log_as(apprentice, ojt())

    response = client_for(request.getfixturevalue(persona)).patch(f"{LOGS}{log['id']}/", {"hours": "2"})

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the author changes a submitted log."}
    assert f"{HourLog.objects.get().hours}" == "8.00"
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "8.00"}


def test_an_approved_log_is_never_changed_even_by_its_author(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt
):
    logged_by_staff = log_as(employer_a_supervisor, ojt(date="2025-03-03"))
    submitted = log_as(apprentice, ojt(date="2025-03-04"))
    client_for(employer_a_supervisor).post(f"{LOGS}{submitted['id']}/approve/")

    responses = [
        client_for(employer_a_supervisor).patch(f"{LOGS}{logged_by_staff['id']}/", {"hours": "2"}),
        client_for(apprentice).patch(f"{LOGS}{submitted['id']}/", {"hours": "2"}),
    ]

    assert [response.status_code for response in responses] == [409, 409]
    assert responses[0].json() == {"detail": "An approved log is never changed."}
    assert list(HourLog.objects.values_list("hours", flat=True)) == [8, 8]
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "16.00"}


@pytest.mark.parametrize("decision", ["reject", "void"])
def test_a_rejected_or_voided_log_is_never_changed(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt, decision
):
    log = log_as(apprentice, ojt())
    reviewer = client_for(employer_a_supervisor)
    if decision == "void":
        reviewer.post(f"{LOGS}{log['id']}/approve/")
    reviewer.post(f"{LOGS}{log['id']}/{decision}/", {"reason": "Wrong day"})
    status = HourLog.objects.get().status

    response = client_for(apprentice).patch(f"{LOGS}{log['id']}/", {"hours": "2"})

    assert response.status_code == 409
    assert response.json() == {"detail": f"A {status} log is never changed."}
    assert f"{HourLog.objects.get().hours}" == "8.00"
    assert totals_of(apprenticeship) == NO_HOURS


def test_a_submitted_log_is_not_changed_once_the_apprenticeship_is_suspended(
    client_for, log_as, apprentice, apprenticeship, ojt
):
    log = log_as(apprentice, ojt())
    factories.put_in_status(apprenticeship, "suspended")

    response = client_for(apprentice).patch(f"{LOGS}{log['id']}/", {"hours": "2"})

    assert response.status_code == 409
    assert f"{HourLog.objects.get().hours}" == "8.00"


@pytest.mark.parametrize("persona", ["apprentice", "employer_a_supervisor", "raps_admin"])
def test_there_is_no_delete_and_the_row_stays(request, client_for, log_as, apprentice, apprenticeship, ojt, persona):
    log = log_as(apprentice, ojt())

    response = client_for(request.getfixturevalue(persona)).delete(f"{LOGS}{log['id']}/")

    assert response.status_code == 405
    assert HourLog.objects.filter(pk=log["id"], status="submitted").exists()
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "8.00"}


def test_there_is_no_put(client_for, log_as, apprentice, apprenticeship, ojt):
    log = log_as(apprentice, ojt())

    response = client_for(apprentice).put(f"{LOGS}{log['id']}/", ojt(hours="2"))

    assert response.status_code == 405
    assert f"{HourLog.objects.get().hours}" == "8.00"
