"""Property-based fuzzing of the schema the server serves, with schemathesis: for every
operation, signed in as a RAPS admin, a supervisor and an apprentice and not signed in, the
server never answers 5xx, and its answers conform to the schema (a documented status code, the
documented content type and headers, a body matching the response schema).

A few examples per operation and role keep it quick; `make fuzz` runs many more
(FUZZ_EXAMPLES). Generation is derandomized, so a run is the same every time.
"""

import os
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.auth.helpers import app_login

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# schemathesis's coverage phase (boundary and malformed values of every parameter, methods the
# schema does not list, TRACE among them) runs every case it finds whatever the count above:
# minutes, so only in the long run (make fuzz).
COVERAGE = os.environ.get("FUZZ_COVERAGE", "") == "1"

# The API's conventions give every /api/v1/ operation these errors, and the schema lists none of
# them on most operations. They are taken as documented, with the API's error body; every other
# status must be in the schema.
CONVENTION_ERRORS = {400, 401, 403, 404, 405, 409, 413, 415, 429}


def status_code_documented(ctx, response, case):
    path = urlsplit(response.request.url).path
    if response.status_code == 404 and not _routes(path):
        # A malformed id ("0.5") that no URL matches: Django's own 404, before any API code.
        return None
    if response.status_code in CONVENTION_ERRORS and path.startswith("/api/"):
        assert response.headers.get("content-type", [""])[0].startswith("application/json"), (
            f"A {response.status_code} that is not JSON: {response.text[:200]!r}"
        )
        body = response.json()
        assert isinstance(body, dict), f"A {response.status_code} without the API's error body: {body!r}"
        assert body, f"A {response.status_code} with an empty error body"
        return None
    return status_code_conformance(ctx, response, case)


def _routes(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


CHECKS = [
    not_a_server_error,
    status_code_documented,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class InTestTransaction:
    """Django's WSGI handler as its test client runs it: a request does not close the database
    connection at its end, so that it runs inside the test's transaction and sees its records.
    Errors become responses (a 500 is a finding), not exceptions."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        # Any WSGI server sets it (the test client of werkzeug does not); allauth refuses a
        # request without it.
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return [body]


APP = InTestTransaction()
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json",
    APP,
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}}),
)

ROLES = ["raps_admin", "supervisor", "apprentice", "anonymous"]


@pytest.fixture
def session_token(db, request):
    """The X-Session-Token of the role, signed in through the app client; None for anonymous.
    Each role has records of its own for the ids it may meet."""
    role = request.param
    if role == "anonymous":
        return None
    sponsor = factories.SponsorFactory()
    employer = factories.EmployerFactory(journeyworkers=5)
    factories.ParticipationFactory(sponsor=sponsor, employer=employer)
    program = factories.ProgramFactory(sponsor=sponsor)
    factories.WorkProcessFactory(program=program)
    user = factories.UserFactory()
    if role == "raps_admin":
        factories.MembershipFactory(user=user, sponsor=sponsor, role="raps_admin")
        factories.ApprenticeshipFactory(program=program, employer=employer)
    elif role == "supervisor":
        factories.MembershipFactory(user=user, employer=employer, role="supervisor")
        factories.ApprenticeshipFactory(program=program, employer=employer)
    else:
        factories.ApprenticeshipFactory(apprentice=user, program=program, employer=employer)
    return app_login(user.email, factories.PASSWORD).json()["meta"]["session_token"]


@pytest.mark.parametrize("session_token", ROLES, indirect=True)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,  # nothing carried over from an earlier run: every run is the same
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_answers_conform_to_the_schema_and_are_never_5xx(case, session_token):
    # The caller's credentials are the role's, not generated ones.
    case.headers = {name: value for name, value in (case.headers or {}).items() if name.lower() != "x-session-token"}
    case.cookies = {name: value for name, value in (case.cookies or {}).items() if name != "sessionid"}
    headers = {"X-Session-Token": session_token} if session_token else {}
    if "client" in (case.path_parameters or {}):
        # allauth serves `app` and `browser` only (the schema allows any string); the session
        # token is the app client's.
        case.path_parameters["client"] = "app"
    # Every call is undone, so that each example meets the same records.
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
