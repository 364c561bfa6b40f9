"""POST /api/v1/hour-logs/bulk/ (docs/api.md): a JSON list of logs, all written or none, with the
errors of each item at its own position."""

import pytest
from django.test import override_settings

from competencies.models import HourLog
from tests import factories
from tests.hour_logs.records import LOGS, NO_HOURS, totals_of, work_process_totals_of

BULK = f"{LOGS}bulk/"


def assert_nothing_written(apprenticeship):
    assert not HourLog.objects.exists()
    assert not HourLog.history.exists()
    assert totals_of(apprenticeship) == NO_HOURS


def test_employer_staff_log_a_week_in_one_request(client_for, employer_a_supervisor, apprenticeship, back_end, ojt):
    week = [ojt(date=f"2025-03-0{day}", hours="8") for day in range(3, 7)] + [
        ojt(date="2025-03-07", hours="4", work_process=str(back_end.id))
    ]

    response = client_for(employer_a_supervisor).post(BULK, week)

    assert response.status_code == 201, response.json()
    assert [(log["date"], log["hours"], log["status"]) for log in response.json()] == [
        ("2025-03-03", "8.00", "approved"),
        ("2025-03-04", "8.00", "approved"),
        ("2025-03-05", "8.00", "approved"),
        ("2025-03-06", "8.00", "approved"),
        ("2025-03-07", "4.00", "approved"),
    ]
    assert HourLog.objects.filter(status="approved", reviewed_by=employer_a_supervisor).count() == 5
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "36.00"}
    assert work_process_totals_of(apprenticeship) == {"Front end": "32.00", "Back end": "4.00"}


def test_the_apprentice_submits_ojt_and_rti_in_one_request(client_for, apprentice, apprenticeship, ojt, rti):
    response = client_for(apprentice).post(BULK, [ojt(hours="5"), rti(hours="3")])

    assert response.status_code == 201, response.json()
    assert [log["status"] for log in response.json()] == ["submitted", "submitted"]
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_pending": "5.00", "rti_pending": "3.00"}


def test_one_bad_item_refuses_them_all_with_errors_at_its_position(
    client_for, employer_a_supervisor, apprenticeship, ojt
):
    items = [ojt(date="2025-03-03"), ojt(date="2025-03-04", hours="7.125"), ojt(date="2025-03-05", kind="x")]

    response = client_for(employer_a_supervisor).post(BULK, items)

    assert response.status_code == 400
    assert response.json() == {
        "items": [
            {},
            {"hours": ["Ensure that there are no more than 2 decimal places."]},
            {"kind": ['"x" is not a valid choice.']},
        ]
    }
    assert_nothing_written(apprenticeship)


def test_a_rule_broken_by_one_item_refuses_them_all(client_for, employer_a_supervisor, apprenticeship, ojt):
    items = [
        ojt(date="2025-03-03"),
        ojt(date="2025-03-04"),
        ojt(date="2025-01-05"),
        ojt(date="2025-03-06", hours="7.3"),
    ]

    response = client_for(employer_a_supervisor).post(BULK, items)

    assert response.status_code == 400
    assert response.json() == {
        "items": [
            {},
            {},
            {"date": ["The date is before the apprenticeship's start date (2025-01-06)."]},
            {"hours": ["Hours are logged in quarter hours (.00, .25, .50, .75)."]},
        ]
    }
    assert_nothing_written(apprenticeship)


def test_two_items_that_together_exceed_24_hours_a_day_are_refused(
    client_for, employer_a_supervisor, apprenticeship, ojt
):
    response = client_for(employer_a_supervisor).post(BULK, [ojt(hours="16"), ojt(hours="8.25")])

    assert response.status_code == 400
    assert response.json() == {
        "items": [{}, {"hours": ["16.00 h are already logged on 2025-03-03: at most 8.00 h more that day."]}]
    }
    assert_nothing_written(apprenticeship)


def test_items_add_to_the_hours_already_logged_that_day(client_for, log_as, employer_a_supervisor, apprenticeship, ojt):
    log_as(employer_a_supervisor, ojt(hours="20"))

    response = client_for(employer_a_supervisor).post(BULK, [ojt(date="2025-03-04"), ojt(hours="4.25")])

    assert response.status_code == 400
    assert response.json()["items"][0] == {}
    assert response.json()["items"][1] == {
        "hours": ["20.00 h are already logged on 2025-03-03: at most 4.00 h more that day."]
    }
    assert HourLog.objects.count() == 1
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "20.00"}


def test_an_item_the_caller_may_not_log_refuses_them_all(client_for, employer_a_supervisor, apprenticeship, ojt, rti):
    response = client_for(employer_a_supervisor).post(BULK, [ojt(), rti()])

    assert response.status_code == 400
    assert response.json() == {
        "items": [
            {},
            {
                "apprenticeship": [
                    "Related-instruction hours are logged by the sponsor's RAPS administrators or submitted by the apprentice."
                ]
            },
        ]
    }
    assert_nothing_written(apprenticeship)


def test_an_item_outside_the_callers_scope_is_not_found_and_refuses_them_all(
    client_for, apprentice, apprenticeship, other_apprenticeship, ojt
):
    response = client_for(apprentice).post(BULK, [ojt(), ojt(apprenticeship=str(other_apprenticeship.id))])

    assert response.status_code == 400
    assert response.json() == {"items": [{}, {"apprenticeship": ["Not found."]}]}
    assert_nothing_written(apprenticeship)


def test_an_item_on_a_suspended_apprenticeship_refuses_them_all(
    client_for, employer_a_supervisor, employer_a, program, apprenticeship, ojt
):
    suspended = factories.ApprenticeshipFactory(program=program, employer=employer_a, status="suspended")

    response = client_for(employer_a_supervisor).post(BULK, [ojt(), ojt(apprenticeship=str(suspended.id))])

    assert response.status_code == 400
    assert response.json() == {"items": [{}, {"apprenticeship": ["A suspended apprenticeship takes no new hours."]}]}
    assert_nothing_written(apprenticeship)


@pytest.mark.parametrize(
    "body", [[], {"apprenticeship": "x"}, "not a list"], ids=["empty list", "an object", "a string"]
)
def test_anything_but_a_non_empty_list_is_refused(client_for, employer_a_supervisor, apprenticeship, body):
    response = client_for(employer_a_supervisor).post(BULK, body, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Send a non-empty JSON list of hour logs."]}
    assert_nothing_written(apprenticeship)


def test_an_item_that_is_not_an_object_is_refused_at_its_position(
    client_for, employer_a_supervisor, apprenticeship, ojt
):
    response = client_for(employer_a_supervisor).post(BULK, [ojt(), "8 hours"])

    assert response.status_code == 400
    assert response.json()["items"][0] == {}
    assert list(response.json()["items"][1]) == ["non_field_errors"]
    assert_nothing_written(apprenticeship)


def test_a_body_that_is_not_json_is_400(client_for, employer_a_supervisor, apprenticeship):
    response = client_for(employer_a_supervisor).post(BULK, "[{", content_type="application/json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert_nothing_written(apprenticeship)


@override_settings(HOUR_LOG_BULK_MAX_ITEMS=2)
def test_more_items_than_allowed_is_413_and_writes_nothing(client_for, employer_a_supervisor, apprenticeship, ojt):
    client = client_for(employer_a_supervisor)
    days = [ojt(date=f"2025-03-0{day}") for day in range(3, 6)]

    too_many = client.post(BULK, days)

    assert too_many.status_code == 413
    assert too_many.json() == {"detail": "At most 2 logs per request; this one has 3."}
    assert_nothing_written(apprenticeship)
    at_the_limit = client.post(BULK, days[:2])
    assert at_the_limit.status_code == 201, at_the_limit.json()
    assert HourLog.objects.count() == 2


def test_every_bad_item_is_reported_at_once(client_for, employer_a_supervisor, apprenticeship, ojt):
    response = client_for(employer_a_supervisor).post(BULK, [ojt(hours="7.30"), ojt(date="2025-03-04", kind="x")])

    assert response.status_code == 400
    assert response.json() == {
        "items": [
            {"hours": ["Hours are logged in quarter hours (.00, .25, .50, .75)."]},
            {"kind": ['"x" is not a valid choice.']},
        ]
    }
