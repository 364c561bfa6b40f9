"""The request id (header in and out, on every log record, into Celery tasks), JSON logs, Sentry
events scrubbed of secrets, Prometheus metrics for allowed addresses only, progress lines."""

import json
import logging
import re
import time
from types import SimpleNamespace

import pytest
import sentry_sdk
from django.conf import settings
from django.test import override_settings
from sentry_sdk.transport import Transport

from portal import requestid
from portal.logs import JsonFormatter, init_sentry
from portal.progress import progress

SSN = "123-45-6789"
TOKEN = "session-token-that-must-not-leak-0123456789"
PASSWORD = "hunter2-secret"


def test_every_response_carries_a_new_request_id(client, db):
    first, second = client.get("/healthz"), client.get("/healthz")

    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_sane_request_id_of_the_caller_is_kept_and_an_insane_one_replaced(client, db):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="edge-4f1c.2_b")
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith injected: header" + "x" * 80)

    assert kept["X-Request-ID"] == "edge-4f1c.2_b"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])


def test_log_records_of_a_request_carry_its_id(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/api/v1/no-such-page/", HTTP_X_REQUEST_ID="trace-me-1")

    assert response.status_code == 404
    assert [record.request_id for record in caplog.records if record.name == "django.request"] == ["trace-me-1"]


def test_json_log_lines_hold_the_message_the_request_id_and_extras():
    record = logging.LogRecord("portal.test", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    record.request_id, record.apprenticeship = "abc123", "a-1"

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "hello world"
    assert line["request_id"] == "abc123"
    assert line["apprenticeship"] == "a-1"
    assert line["level"] == "INFO"


def test_a_task_published_in_a_request_carries_its_id_and_runs_with_it():
    token = requestid._current.set("req-42")
    try:
        headers: dict = {}
        requestid.add_request_id_header(headers=headers)
    finally:
        requestid._current.reset(token)
    assert headers == {"request_id": "req-42"}

    # On the worker: the message's header becomes the id of the task's log records.
    task = SimpleNamespace(request=SimpleNamespace(request_id="req-42"))
    requestid.set_request_id_for_task(task_id="t-1", task=task)
    assert requestid.current_request_id() == "req-42"
    requestid.clear_request_id_after_task(task_id="t-1")
    assert requestid.current_request_id() is None


def test_the_celery_signals_are_connected():
    from celery.signals import before_task_publish, task_postrun, task_prerun

    def names(signal):
        return {getattr(receiver, "__name__", "") for _, receiver in signal.receivers}

    assert "add_request_id_header" in names(before_task_publish)
    assert "set_request_id_for_task" in names(task_prerun)
    assert "clear_request_id_after_task" in names(task_postrun)


def test_beat_keeps_its_schedule_outside_the_repository():
    assert not str(settings.CELERY_BEAT_SCHEDULE_FILENAME).startswith(str(settings.BASE_DIR))


# --- Sentry -----------------------------------------------------------------------------------


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes: list[str] = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope.serialize().decode("utf-8", "replace"))


@pytest.fixture
def sentry():
    transport = CapturingTransport()
    init_sentry("https://public@sentry.example.invalid/1", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: reporting off again


def test_sentry_events_hold_neither_the_ssn_nor_tokens_nor_passwords(sentry):
    sentry_sdk.capture_event(
        {
            "message": f"registration failed for {SSN}",
            "request": {
                "url": "https://portal.example.org/api/v1/apprenticeships/",
                "headers": {"Authorization": f"Bearer {TOKEN}", "X-Session-Token": TOKEN, "Accept": "application/json"},
                "cookies": {"sessionid": TOKEN},
                "data": {"ssn": SSN, "password": PASSWORD, "first_name": "Ari"},
            },
            "extra": {"token": TOKEN},
        }
    )

    def fails(ssn, password, session_token):
        raise ValueError(f"bad input {ssn}")

    try:
        fails(SSN, PASSWORD, TOKEN)
    except ValueError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush()

    sent = "\n".join(sentry.envelopes)
    assert "registration failed for" in sent  # the events did reach the transport
    assert "Ari" in sent
    for secret in (SSN, "123456789", TOKEN, PASSWORD):
        assert secret not in sent


# --- metrics ----------------------------------------------------------------------------------


def test_metrics_answer_the_allowed_addresses(client, db):
    client.get("/healthz")

    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    assert b"django_http_requests" in response.content


def test_metrics_are_a_404_for_any_other_address(client, db):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    with override_settings(METRICS_ALLOWED_IPS=["10.0.0.0/8"]):
        assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


# --- progress ---------------------------------------------------------------------------------


def test_a_long_command_writes_a_progress_line_every_few_seconds_and_one_at_the_end():
    lines: list[str] = []
    with progress("loading", lines.append, every=0.05) as state:
        state.start_phase("hour logs", total=10)
        for _ in range(10):
            state.advance()
            time.sleep(0.02)

    assert len(lines) >= 3
    assert any(re.match(r"loading: hour logs, \d+/10 \(\d+ s\)", line) for line in lines)
    assert lines[-1].startswith("loading: done, 10/10")
