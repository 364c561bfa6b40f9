"""A lost database connection (the request's PostgreSQL session ended under it) is a JSON 503
with `Retry-After`, never a 500; and a write that committed answers its success, because its
answer is built from what its transaction wrote, never from a read after the commit.

These tests end real sessions (tests.retries.faults.py), so they commit for real (transaction=True)."""

import json

import pytest
from django.db import OperationalError, close_old_connections
from django.test import RequestFactory

from competencies.models import HourLog
from portal.api.errors import DATABASE_RETRY_AFTER, server_error
from tests.auth.helpers import APP
from tests.factories import PASSWORD
from tests.hour_logs.records import LOGS
from tests.retries.faults import terminate_own_session_after_commit, terminate_own_session_before

pytestmark = pytest.mark.django_db(transaction=True)


def assert_503(response):
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER)
    assert isinstance(json.loads(response.content)["detail"], str)


def test_a_write_whose_session_ends_before_it_writes_is_a_503_and_the_next_request_is_served(
    client_for, apprentice, apprenticeship, ojt
):
    client = client_for(apprentice)

    with terminate_own_session_before('INSERT INTO "competencies_hourlog"'):
        lost = client.post(LOGS, ojt(), format="json")

    assert_503(lost)
    assert not HourLog.objects.exists()
    assert client.post(LOGS, ojt(), format="json").status_code == 201


def test_a_read_whose_session_ends_is_a_503(client_for, apprentice, apprenticeship):
    client = client_for(apprentice)

    with terminate_own_session_before('"competencies_hour'):
        lost = client.get(LOGS)

    assert_503(lost)
    assert client.get(LOGS).status_code == 200


def test_an_allauth_request_whose_session_ends_is_a_503_in_the_portals_shape(apprentice):
    from rest_framework.test import APIClient

    with terminate_own_session_before("SELECT"):
        lost = APIClient().post(f"{APP}/auth/login", {"email": apprentice.email, "password": PASSWORD}, format="json")

    assert_503(lost)
    assert json.loads(lost.content)["status"] == 503


@pytest.mark.parametrize("decision", ["approve", "reject", "void"])
def test_a_decision_that_committed_answers_its_success_though_the_session_ends_after_the_commit(
    client_for, log_as, apprentice, employer_a_supervisor, ojt, decision
):
    log = log_as(apprentice, ojt())
    client = client_for(employer_a_supervisor)
    if decision == "void":
        client.post(f"{LOGS}{log['id']}/approve/", format="json")
    close_old_connections()

    with terminate_own_session_after_commit() as fault:
        response = client.post(f"{LOGS}{log['id']}/{decision}/", {"reason": "Checked"}, format="json")
    close_old_connections()  # as Django does when a request ends

    assert response.status_code == 200, response.content
    assert response.json()["status"] == {"approve": "approved", "reject": "rejected", "void": "voided"}[decision]
    assert response.json()["employer_detail"]["name"] == "Employer A"
    assert fault.killed is not None  # the session did end, after the commit
    assert HourLog.objects.get(id=log["id"]).status == response.json()["status"]


def test_a_log_and_a_bulk_that_committed_answer_201_though_the_session_ends_after_the_commit(
    client_for, apprentice, employer_a_supervisor, apprenticeship, ojt
):
    client = client_for(employer_a_supervisor)

    with terminate_own_session_after_commit() as fault:
        one = client.post(LOGS, ojt(), format="json")
    close_old_connections()
    with terminate_own_session_after_commit():
        bulk = client.post(f"{LOGS}bulk/", [ojt(date="2025-03-04"), ojt(date="2025-03-05")], format="json")
    close_old_connections()

    assert one.status_code == 201, one.content
    assert one.json()["work_process_detail"]["title"] == "Front end"
    assert bulk.status_code == 201, bulk.content
    assert fault.killed is not None
    assert HourLog.objects.count() == 3


def test_djangos_own_500_handler_answers_a_lost_connection_as_a_503():
    # What a middleware raises outside any view reaches Django's handler500 (portal.urls).
    request = RequestFactory().get("/api/v1/hour-logs/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)

    assert_503(response)
