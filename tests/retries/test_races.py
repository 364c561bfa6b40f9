"""Copies of one request racing on PostgreSQL (real transactions, a connection per thread): one
does the work, the others are told it is in progress (409) or get its answer; never two writes.
And a request whose database connection is lost is a 503 that is not kept: its retry does the
work."""

import time

import psycopg
import pytest
from django.db import connection

from competencies.models import HourLog
from competencies.services import hours as hours_services
from portal import idempotency
from portal.models import IdempotentRequest
from tests.hour_logs.records import LOGS
from tests.races.helpers import at_once
from tests.retries.faults import terminate_own_session_before

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_work(monkeypatch):
    """Hold each request a moment inside its work, so that the copies overlap."""
    check = hours_services._entry_errors

    def slow_check(*args, **kwargs):
        errors = check(*args, **kwargs)
        time.sleep(0.3)
        return errors

    monkeypatch.setattr(hours_services, "_entry_errors", slow_check)


def post(client, body, key):
    return client.post(LOGS, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_five_copies_of_one_request_at_once_write_one_log(client_for, apprentice, apprenticeship, ojt, slow_work):
    clients = [client_for(apprentice) for _ in range(5)]

    responses = at_once(*(lambda client=client: post(client, ojt(), "racing") for client in clients))

    assert all(not isinstance(response, Exception) for response in responses), responses
    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}, statuses
    assert 409 in statuses  # the work takes 0.3 s: the copies released together overlap it
    done = [response for response in responses if response.status_code == 201]
    assert len({response.content for response in done}) == 1
    for refused in (response for response in responses if response.status_code == 409):
        assert refused["Retry-After"] == str(idempotency.IN_PROGRESS_RETRY_AFTER)
        assert "Idempotency-Key" in refused.json()["detail"]
    assert HourLog.objects.filter(apprenticeship=apprenticeship).count() == 1
    assert IdempotentRequest.objects.filter(key="racing").count() == 1

    retried = post(client_for(apprentice), ojt(), "racing")
    assert (retried.status_code, retried.content) == (201, done[0].content)


def test_a_key_claimed_by_a_running_request_is_a_409_and_then_the_retry_works(
    client_for, apprentice, apprenticeship, ojt
):
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname=settings["NAME"]
    ) as other:
        # Another process running the first copy: it holds the key's claim until it commits.
        other.execute("SELECT pg_advisory_xact_lock(%s)", [idempotency.lock_id(apprentice.pk, "held")])

        refused = post(client_for(apprentice), ojt(), "held")

        assert refused.status_code == 409
        assert refused["Retry-After"] == "1"
        assert not HourLog.objects.exists()
        other.rollback()

    retried = post(client_for(apprentice), ojt(), "held")

    assert retried.status_code == 201
    assert HourLog.objects.count() == 1


def test_a_request_that_loses_its_connection_is_a_503_not_kept_and_its_retry_writes_once(
    client_for, apprentice, apprenticeship, ojt
):
    client = client_for(apprentice)

    with terminate_own_session_before('INSERT INTO "competencies_hourlog"'):
        lost = post(client, ojt(), "lost")

    assert lost.status_code == 503
    assert lost["Retry-After"] == "2"
    assert "detail" in lost.json()
    assert not HourLog.objects.exists()
    assert not IdempotentRequest.objects.exists()

    retried = post(client, ojt(), "lost")
    again = post(client, ojt(), "lost")

    assert retried.status_code == 201
    assert (again.status_code, again.content) == (201, retried.content)
    assert HourLog.objects.count() == 1
