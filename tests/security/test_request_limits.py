"""What a client sends can never end in a 500 nor in an HTML page from the API: JSON nested
deep enough to exhaust a parser, a body over the upload limit, a method nobody serves."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from portal.middleware import JSON_MAX_DEPTH, json_too_deep
from tests.auth.helpers import APP, BROWSER
from tests.factories import PASSWORD

NESTED_1000_DEEP = "[" * 1000 + "]" * 1000


def signed_in(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    "path",
    ["/api/v1/invitations/accept/", f"{APP}/auth/login", f"{APP}/auth/signup", f"{BROWSER}/auth/login"],
)
def test_json_nested_too_deep_is_refused_with_400_for_anyone(db, path):
    client = APIClient(raise_request_exception=False)

    response = client.generic("POST", path, NESTED_1000_DEEP, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [f"JSON may not nest more than {JSON_MAX_DEPTH} levels deep."]}


def test_json_nested_too_deep_is_refused_on_the_bulk_of_hours(employer_a_supervisor):
    body = json.dumps({"items": [{"nested": json.loads("[" * 40 + "]" * 40)}]})

    response = signed_in(employer_a_supervisor).generic(
        "POST", "/api/v1/hour-logs/bulk/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_allauth_refuses_deep_json_whatever_the_content_type(db):
    # allauth's views parse the body as JSON without looking at its type.
    response = Client(raise_request_exception=False).generic(
        "POST", f"{APP}/auth/login", NESTED_1000_DEEP, content_type="text/plain"
    )

    assert response.status_code == 400


NOT_JSON_OBJECTS = [
    ("null", "The body must be a JSON object."),
    ("false", "The body must be a JSON object."),
    ("-1.5e+16", "The body must be a JSON object."),
    ('"email"', "The body must be a JSON object."),
    ('[{"email": "someone@example.org"}]', "The body must be a JSON object."),
    ('{"email": ', "The body is not valid JSON."),
    (b"\x10\xff\xfeq", "The body is not valid JSON."),
]


@pytest.mark.parametrize(("body", "message"), NOT_JSON_OBJECTS)
@pytest.mark.parametrize(
    "path",
    [f"{APP}/auth/login", f"{APP}/auth/signup", f"{APP}/auth/password/request", f"{BROWSER}/auth/email/verify"],
)
def test_allauth_answers_a_body_that_is_not_a_json_object_with_its_json_400(db, path, body, message):
    response = Client(raise_request_exception=False).generic("POST", path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "errors": [{"code": "invalid", "message": message}],
        "non_field_errors": [message],
    }
    assert get_user_model().objects.count() == 0


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_body_that_is_not_a_json_object_to_the_callers_addresses_is_a_json_400(raps_admin, method):
    token = APIClient().post(f"{APP}/auth/login", {"email": raps_admin.email, "password": PASSWORD}, format="json")
    client = Client(raise_request_exception=False, HTTP_X_SESSION_TOKEN=token.json()["meta"]["session_token"])

    response = client.generic(method, f"{APP}/account/email", "null", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"code": "invalid", "message": "The body must be a JSON object."}]
    assert list(raps_admin.emailaddress_set.values_list("email", flat=True)) == [raps_admin.email]


def test_allauth_answers_a_form_body_with_a_json_400(db):
    # allauth parses every body as JSON, whatever its declared type.
    response = Client(raise_request_exception=False).post(
        f"{APP}/auth/login", {"email": "someone@example.org", "password": "x"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"code": "invalid", "message": "The body is not valid JSON."}]


def test_allauth_refuses_deep_json_sent_as_a_form(db):
    response = Client(raise_request_exception=False).generic(
        "POST", f"{APP}/auth/login", NESTED_1000_DEEP, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == f"JSON may not nest more than {JSON_MAX_DEPTH} levels deep."


def test_an_unserved_allauth_flow_is_a_404_whatever_the_body(db):
    response = Client(raise_request_exception=False).generic(
        "POST", f"{APP}/auth/code/request", "null", content_type="application/json"
    )

    assert response.status_code == 404


def test_json_as_deep_as_allowed_reaches_the_view(db):
    nested = "[" * (JSON_MAX_DEPTH - 1) + "]" * (JSON_MAX_DEPTH - 1)  # the object is one level
    body = '{"email": "someone@example.org", "password": "x", "extra": ' + nested + "}"

    response = APIClient().generic("POST", f"{APP}/auth/login", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "email_password_mismatch"


@pytest.mark.parametrize(
    ("body", "too_deep"),
    [
        ("[" * 33 + "]" * 33, True),
        ('{"a":' * 33 + "1" + "}" * 33, True),
        ("[" * 32 + "]" * 32, False),
        ("[" * 100, True),  # unclosed: a parser would still recurse before failing
        ('["' + "[" * 100 + '"]', False),  # brackets inside a string do not nest
        ('["\\"' + "[" * 100 + '"]', False),  # nor after an escaped quote
        ('["\\\\", ' + "[" * 40 + "]" * 40 + "]", True),  # an escaped backslash ends no string
        ('[{}, [], {"a": []}]' * 100, False),  # many brackets, shallow
    ],
)
def test_json_depth_is_measured_outside_strings(body, too_deep):
    assert json_too_deep(body.encode()) is too_deep


def test_body_over_the_upload_limit_is_a_json_413(employer_a_supervisor, settings):
    items = [{"apprenticeship": "0" * 36, "date": "2026-01-05", "hours": "8.00", "note": "x" * 100}] * 20000
    body = json.dumps({"items": items})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = signed_in(employer_a_supervisor).generic(
        "POST", "/api/v1/hour-logs/bulk/", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]


def test_body_over_the_upload_limit_to_allauth_is_a_json_413(db, settings):
    body = json.dumps({"email": "a@example.org", "password": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    response = Client(raise_request_exception=False).generic(
        "POST", f"{APP}/auth/login", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert list(response.json()) == ["detail"]


def test_form_body_over_the_upload_limit_is_a_json_413(employer_a_supervisor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    # The import is the one write that takes a form body.
    response = signed_in(employer_a_supervisor).post(
        "/api/v1/hour-logs/import/", {"items": "x" * 2000}, format="multipart"
    )

    assert response.status_code == 413
    assert list(response.json()) == ["detail"]


@pytest.mark.parametrize("path", ["/api/v1/me/", f"{APP}/auth/session", f"{BROWSER}/auth/session", "/healthz"])
def test_trace_is_a_json_405_on_api_paths(raps_admin, path):
    client = Client(raise_request_exception=False)
    client.force_login(raps_admin)

    response = client.generic("TRACE", path)

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "TRACE" not allowed.'}
    assert "TRACE" not in response["Allow"]


def test_trace_is_a_405_on_the_admin_even_for_staff(db):
    from tests.factories import UserFactory

    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(email="staff@example.org", is_staff=True, is_superuser=True))

    response = client.generic("TRACE", "/admin/")

    assert response.status_code == 405


def test_trace_on_a_phone_endpoint_is_no_500(raps_admin):
    token = (
        APIClient()
        .post(f"{APP}/auth/login", {"email": raps_admin.email, "password": PASSWORD}, format="json")
        .json()["meta"]["session_token"]
    )

    response = Client(raise_request_exception=False, HTTP_X_SESSION_TOKEN=token).generic(
        "TRACE", f"{APP}/account/phone"
    )

    assert response.status_code == 405


def test_unknown_api_path_is_a_json_404(db):
    response = Client().get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unhandled_error_under_the_api_is_a_json_500(raps_admin, monkeypatch):
    from portal.api import views

    def broken(request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.MeView, "get", lambda self, request: broken(request))
    client = Client(raise_request_exception=False)
    client.force_login(raps_admin)

    response = client.get("/api/v1/me/")

    assert response.status_code == 500
    assert response.json() == {"detail": "Server error.", "request_id": response.json()["request_id"]}
