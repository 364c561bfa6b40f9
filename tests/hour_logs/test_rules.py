"""The rules of one log (docs/domain.md, Hours): how many hours, on which day, in which work process,
and on which apprenticeships. A refused log answers 400 with the field and the reason, or 409
for an apprenticeship that takes no hours, and writes nothing: no row, no history, no totals."""

import datetime

import pytest
from django.utils import timezone

from competencies.models import HourLog
from tests import factories
from tests.hour_logs.records import LOGS, NO_HOURS, totals_of

QUARTERS = "Hours are logged in quarter hours (.00, .25, .50, .75)."
RANGE = "Hours are more than 0 and at most 24."


def assert_refused(response, apprenticeship, body: dict, *, logs_before: int = 0, totals_before=None):
    assert response.status_code == 400, response.json()
    assert response.json() == body
    assert HourLog.objects.count() == logs_before
    assert HourLog.history.count() == logs_before
    assert totals_of(apprenticeship) == (totals_before or NO_HOURS)


# --- how many hours ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", RANGE),
        ("-1", RANGE),
        ("24.25", RANGE),
        ("25", RANGE),
        ("7.30", QUARTERS),
        ("0.10", QUARTERS),
        ("7.125", "Ensure that there are no more than 2 decimal places."),
        ("100", "Ensure that there are no more than 2 digits before the decimal point."),
        ("seven", "A valid number is required."),
    ],
)
def test_hours_outside_0_to_24_in_quarters_with_two_decimals_are_refused(
    client_for, employer_a_supervisor, apprenticeship, ojt, hours, message
):
    response = client_for(employer_a_supervisor).post(LOGS, ojt(hours=hours))

    assert_refused(response, apprenticeship, {"hours": [message]})


@pytest.mark.parametrize(("hours", "approved"), [("7.25", "7.25"), ("0.25", "0.25"), ("24", "24.00"), (7.75, "7.75")])
def test_quarter_hours_up_to_24_are_taken(client_for, employer_a_supervisor, apprenticeship, ojt, hours, approved):
    response = client_for(employer_a_supervisor).post(LOGS, ojt(hours=hours))

    assert response.status_code == 201, response.json()
    assert response.json()["hours"] == approved
    assert f"{HourLog.objects.get().hours:.2f}" == approved
    assert totals_of(apprenticeship)["ojt_approved"] == approved


# --- 24 hours a day ------------------------------------------------------------------------------


def test_no_more_than_24_hours_a_day_across_submitted_and_approved_logs(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt, rti
):
    log_as(employer_a_supervisor, ojt(hours="10"))  # approved on entry
    log_as(apprentice, rti(hours="6"))  # submitted
    before = totals_of(apprenticeship)

    too_many = client_for(apprentice).post(LOGS, ojt(hours="8.25"))

    assert_refused(
        too_many,
        apprenticeship,
        {"hours": ["16.00 h are already logged on 2025-03-03: at most 8.00 h more that day."]},
        logs_before=2,
        totals_before=before,
    )
    up_to_24 = client_for(apprentice).post(LOGS, ojt(hours="8"))
    assert up_to_24.status_code == 201, up_to_24.json()
    assert HourLog.objects.filter(date=datetime.date(2025, 3, 3)).count() == 3


def test_the_24_hours_are_counted_per_calendar_day(log_as, client_for, employer_a_supervisor, apprenticeship, ojt):
    log_as(employer_a_supervisor, ojt(date="2025-03-03", hours="16"))

    next_day = client_for(employer_a_supervisor).post(LOGS, ojt(date="2025-03-04", hours="16"))

    assert next_day.status_code == 201, next_day.json()
    assert totals_of(apprenticeship)["ojt_approved"] == "32.00"


def test_another_apprenticeships_hours_do_not_count_toward_this_ones_day(
    log_as, client_for, employer_a_supervisor, employer_b_supervisor, apprenticeship, other_apprenticeship, ojt
):
    log_as(employer_b_supervisor, ojt(apprenticeship=str(other_apprenticeship.id), hours="16"))

    response = client_for(employer_a_supervisor).post(LOGS, ojt(hours="16"))

    assert response.status_code == 201, response.json()


def test_no_more_than_24_hours_a_day_per_apprentice_across_their_apprenticeships(
    client_for, log_as, apprentice, employer_b, apprenticeship, program, ojt
):
    # The same apprentice also holds an apprenticeship at employer B, in another of the sponsor's
    # programs (one open apprenticeship per apprentice and program: a constraint), and docs/domain.md
    # says "no more than 24 per apprentice per calendar day across all logs".
    other_program = factories.ProgramFactory(sponsor=program.sponsor)
    other_process = factories.WorkProcessFactory(program=other_program)
    second = factories.ApprenticeshipFactory(apprentice=apprentice, program=other_program, employer=employer_b)
    log_as(apprentice, ojt(hours="16"))

    response = client_for(apprentice).post(
        LOGS, ojt(apprenticeship=str(second.id), work_process=str(other_process.id), hours="16")
    )

    assert response.status_code == 400, response.json()
    assert "hours" in response.json()
    assert HourLog.objects.count() == 1


def test_a_rejected_log_frees_its_hours_of_the_day(
    client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt
):
    submitted = log_as(apprentice, ojt(hours="16"))
    refused = client_for(apprentice).post(LOGS, ojt(hours="16"))
    rejected = client_for(employer_a_supervisor).post(f"{LOGS}{submitted['id']}/reject/", {"reason": "Was on leave"})

    again = client_for(apprentice).post(LOGS, ojt(hours="16"))

    assert refused.status_code == 400
    assert rejected.status_code == 200
    assert again.status_code == 201, again.json()
    assert totals_of(apprenticeship)["ojt_pending"] == "16.00"


def test_a_voided_log_frees_its_hours_of_the_day(client_for, log_as, employer_a_supervisor, apprenticeship, ojt):
    approved = log_as(employer_a_supervisor, ojt(hours="16"))
    refused = client_for(employer_a_supervisor).post(LOGS, ojt(hours="16"))
    voided = client_for(employer_a_supervisor).post(f"{LOGS}{approved['id']}/void/", {"reason": "Wrong day"})

    again = client_for(employer_a_supervisor).post(LOGS, ojt(hours="16"))

    assert refused.status_code == 400
    assert voided.status_code == 200
    assert again.status_code == 201, again.json()
    assert totals_of(apprenticeship)["ojt_approved"] == "16.00"


# --- which day -----------------------------------------------------------------------------------


def test_hours_cannot_be_logged_for_a_future_date(client_for, employer_a_supervisor, apprenticeship, ojt):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client_for(employer_a_supervisor).post(LOGS, ojt(date=tomorrow.isoformat()))

    assert_refused(response, apprenticeship, {"date": ["Hours cannot be logged for a future date."]})
    today = client_for(employer_a_supervisor).post(LOGS, ojt(date=timezone.localdate().isoformat()))
    assert today.status_code == 201, today.json()


def test_hours_cannot_be_logged_before_the_start_date(client_for, employer_a_supervisor, apprenticeship, ojt):
    response = client_for(employer_a_supervisor).post(LOGS, ojt(date="2025-01-05"))

    assert_refused(
        response, apprenticeship, {"date": ["The date is before the apprenticeship's start date (2025-01-06)."]}
    )
    on_start = client_for(employer_a_supervisor).post(LOGS, ojt(date="2025-01-06"))
    assert on_start.status_code == 201, on_start.json()


def test_hours_cannot_be_logged_after_the_apprenticeship_ended(client_for, employer_a_supervisor, apprenticeship, ojt):
    # ended_on is the date of cancellation or completion; the date rule holds on its own, even
    # before the status rule (409) would refuse a cancelled apprenticeship.
    type(apprenticeship).objects.filter(pk=apprenticeship.pk).update(ended_on=datetime.date(2025, 3, 1))

    response = client_for(employer_a_supervisor).post(LOGS, ojt(date="2025-03-02"))

    assert_refused(response, apprenticeship, {"date": ["The date is after the apprenticeship ended (2025-03-01)."]})
    on_last_day = client_for(employer_a_supervisor).post(LOGS, ojt(date="2025-03-01"))
    assert on_last_day.status_code == 201, on_last_day.json()


def test_a_date_that_is_not_a_date_is_refused(client_for, employer_a_supervisor, apprenticeship, ojt):
    response = client_for(employer_a_supervisor).post(LOGS, ojt(date="2025-02-30"))

    assert_refused(
        response, apprenticeship, {"date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}
    )


# --- which work process ----------------------------------------------------------------------------


def test_an_ojt_log_names_a_work_process_of_the_apprenticeships_own_program(
    client_for, employer_a_supervisor, sponsor, apprenticeship, ojt
):
    another_program = factories.ProgramFactory(sponsor=sponsor)
    foreign = factories.WorkProcessFactory(program=another_program, title="Front end")

    response = client_for(employer_a_supervisor).post(LOGS, ojt(work_process=str(foreign.id)))

    assert_refused(response, apprenticeship, {"work_process": ["Not a work process of the apprenticeship's program."]})


def test_an_ojt_log_without_a_work_process_is_refused(client_for, employer_a_supervisor, apprenticeship, ojt):
    body = ojt()
    del body["work_process"]

    response = client_for(employer_a_supervisor).post(LOGS, body)

    assert_refused(response, apprenticeship, {"work_process": ["An OJT log names the work process."]})


def test_an_rti_log_names_no_work_process(client_for, raps_admin, apprenticeship, front_end, rti):
    response = client_for(raps_admin).post(LOGS, rti(work_process=str(front_end.id)))

    assert_refused(response, apprenticeship, {"work_process": ["An RTI log names no work process."]})
    without = client_for(raps_admin).post(LOGS, rti())
    assert without.status_code == 201, without.json()
    assert without.json()["work_process"] is None


def test_a_kind_other_than_ojt_or_rti_is_refused(client_for, employer_a_supervisor, apprenticeship, ojt):
    response = client_for(employer_a_supervisor).post(LOGS, ojt(kind="overtime"))

    assert_refused(response, apprenticeship, {"kind": ['"overtime" is not a valid choice.']})


# --- which apprenticeships take hours ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "changes"),
    [
        ("suspended", {}),
        ("cancelled", {"cancellation_reason": "Left the employer", "ended_on": datetime.date(2025, 6, 30)}),
        ("completed", {"ended_on": datetime.date(2025, 6, 30)}),
    ],
)
def test_an_apprenticeship_that_is_not_registered_or_active_refuses_hours_with_409(
    client_for, apprentice, employer_a_supervisor, raps_admin, apprenticeship, ojt, rti, status, changes
):
    factories.put_in_status(apprenticeship, status, **changes)

    responses = [
        client_for(employer_a_supervisor).post(LOGS, ojt()),
        client_for(apprentice).post(LOGS, ojt()),
        client_for(raps_admin).post(LOGS, rti()),
    ]

    assert [response.status_code for response in responses] == [409, 409, 409]
    assert responses[0].json() == {"detail": f"A {status} apprenticeship takes no new hours."}
    assert not HourLog.objects.exists()
    assert not HourLog.history.exists()
    assert totals_of(apprenticeship) == NO_HOURS


def test_a_registered_apprenticeship_takes_hours(client_for, employer_a_supervisor, apprenticeship, ojt):
    factories.put_in_status(apprenticeship, "registered")

    response = client_for(employer_a_supervisor).post(LOGS, ojt())

    assert response.status_code == 201, response.json()


def test_a_work_process_can_be_named_by_its_title_in_any_case(client_for, employer_a_supervisor, front_end, ojt):
    response = client_for(employer_a_supervisor).post(LOGS, ojt(work_process="  front END "))

    assert response.status_code == 201, response.json()
    assert response.json()["work_process"] == str(front_end.id)
