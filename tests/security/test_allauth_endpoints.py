"""Only the sign-in flows the portal supports are served and documented: e-mail and password
login, sign-up, e-mail verification, password reset, log-out, the session and its addresses."""

import pytest
from rest_framework.test import APIClient

from tests.auth.helpers import APP, BROWSER, token_client
from tests.factories import PASSWORD

UNSUPPORTED = [
    ("GET", "account/phone"),
    ("POST", "account/phone"),
    ("POST", "auth/phone/verify"),
    ("POST", "auth/phone/verify/resend"),
    ("POST", "auth/email/verify/resend"),  # codes only; the portal verifies by link
    ("POST", "auth/code/request"),
    ("POST", "auth/code/confirm"),
    ("POST", "auth/reauthenticate"),
]


@pytest.fixture
def app_token(raps_admin):
    response = APIClient().post(f"{APP}/auth/login", {"email": raps_admin.email, "password": PASSWORD}, format="json")
    return response.json()["meta"]["session_token"]


@pytest.mark.parametrize(("method", "path"), UNSUPPORTED)
def test_unsupported_allauth_flows_are_a_json_404_for_a_signed_in_user(app_token, method, path):
    client = token_client(app_token)
    client.raise_request_exception = False

    response = client.generic(method, f"{APP}/{path}", "{}", content_type="application/json")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "errors": [{"message": "Not found.", "code": "error"}],
        "detail": "Not found.",
    }


@pytest.mark.parametrize(("method", "path"), UNSUPPORTED)
def test_unsupported_allauth_flows_are_a_404_on_the_browser_client(db, method, path):
    response = APIClient(raise_request_exception=False).generic(method, f"{BROWSER}/{path}")

    assert response.status_code == 404


def test_refresh_tokens_are_not_served(app_token):
    response = token_client(app_token).post(f"{APP}/tokens/refresh", {"refresh_token": "x"}, format="json")

    assert response.status_code == 404


def test_schema_documents_only_the_supported_allauth_flows(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    allauth_paths = {path.removeprefix("/_allauth/{client}/v1/") for path in schema["paths"] if "_allauth" in path}
    assert {"auth/login", "auth/signup", "auth/session", "auth/email/verify", "auth/password/request"} <= allauth_paths
    assert "account/email" in allauth_paths
    assert not [path for path in allauth_paths if "phone" in path or "code" in path or "resend" in path]
    assert not [path for path in allauth_paths if "tokens" in path or "reauthenticate" in path]


def test_supported_flows_still_answer(app_token):
    client = token_client(app_token)

    assert client.get(f"{APP}/auth/session").status_code == 200
    assert client.get(f"{APP}/account/email").status_code == 200


@pytest.fixture
def allauth_operations(client, db) -> dict:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    return {
        (method, path.removeprefix("/_allauth/{client}/v1/")): operation
        for path, item in schema["paths"].items()
        if path.startswith("/_allauth/")
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    }


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_callers_addresses_answer_401_signed_out_as_the_schema_says(allauth_operations, method):
    response = APIClient().generic(method.upper(), f"{APP}/account/email", '{"email": "someone@example.org"}')

    assert response.status_code == 401
    assert allauth_operations[(method, "account/email")]["responses"]["401"] == {
        "$ref": "#/components/responses/AllauthAuthentication"
    }


def test_the_schema_gives_every_allauth_operation_with_a_body_a_400(allauth_operations):
    # Any body but a GET's that is not a JSON object is refused (tests/security/test_request_limits.py).
    assert [
        op for op in allauth_operations if op[0] != "get" and "400" not in allauth_operations[op]["responses"]
    ] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "auth/login"),
        ("post", "auth/signup"),
        ("post", "auth/password/request"),
        ("post", "auth/password/reset"),
        ("post", "account/password/change"),
        ("get", "account/email"),
        ("put", "account/email"),
    ],
)
def test_the_schema_documents_the_429_of_allauths_rate_limits(allauth_operations, method, path):
    assert allauth_operations[(method, path)]["responses"]["429"] == {
        "$ref": "#/components/responses/AllauthTooManyRequests"
    }


def test_signing_up_too_often_answers_429(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    client = APIClient()
    client.post(f"{APP}/auth/signup", {"email": "one@example.org", "password": "x"}, format="json")

    response = client.post(f"{APP}/auth/signup", {"email": "two@example.org", "password": "x"}, format="json")

    assert response.status_code == 429
    assert response.json() == {"status": 429, "detail": "Request was throttled."}
