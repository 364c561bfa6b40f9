"""`history_user` names who made the change, however it reached the services: through the API
by the app client (X-Session-Token) or by the browser session (cookie + CSRF), or by code outside
any request that passes the user to the service."""

import datetime

import pytest

from competencies.models import Milestone
from tests.history.conftest import RESOURCES, app_caller, browser_caller, history_url

SIGN_IN = {"app client": app_caller, "browser session": browser_caller}


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("client_kind", list(SIGN_IN))
def test_a_change_through_the_api_names_the_signed_in_user(subject, resource, client_kind):
    record = subject(resource)
    caller = SIGN_IN[client_kind](record.changer)

    changed = record.change_through_api(caller)
    newest = caller.get(record.history_url).json()["results"][0]

    assert changed.status_code in (200, 201), changed.json()
    assert newest["history_user"] == record.changer_ref
    assert newest["history_change_reason"] == record.reason
    assert record.change in newest["changes"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_change_by_code_outside_a_request_names_the_user_passed_to_the_service(
    subject, session_caller, raps_admin, resource
):
    record = subject(resource)

    record.change_in_code()
    newest = session_caller(raps_admin).get(record.history_url).json()["results"][0]

    assert newest["history_type"] == "~"
    assert newest["history_user"] == record.changer_ref
    assert newest["history_change_reason"] == record.reason
    assert record.change in newest["changes"]


def test_a_milestone_reached_by_hours_logged_through_the_app_client_names_who_logged_them(
    apprenticeship, employer_a_supervisor, raps_admin, session_caller
):
    apprenticeship.ojt_credit_hours = 495
    apprenticeship.save()
    caller = app_caller(employer_a_supervisor)

    logged = caller.post(
        "/api/v1/hour-logs/",
        {
            "apprenticeship": str(apprenticeship.id),
            "date": str(datetime.date(2025, 3, 3)),
            "hours": "8",
            "kind": "ojt",
            "work_process": str(apprenticeship.program.work_processes.get(title="Front end").id),
        },
    )
    milestone = Milestone.objects.get(apprenticeship=apprenticeship)
    entries = session_caller(raps_admin).get(history_url("milestones", milestone.id)).json()["results"]

    assert logged.status_code == 201, logged.json()
    assert milestone.definition.name == "Probation complete"
    assert [entry["history_type"] for entry in entries] == ["+"]
    assert entries[0]["history_user"] == {"id": str(employer_a_supervisor.id), "name": "Sam Supervisor"}
    assert entries[0]["history_change_reason"].startswith("reached: ")
