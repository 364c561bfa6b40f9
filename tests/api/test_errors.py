"""Every error under /api/ and /_allauth/ is JSON in one shape (docs/api.md, "Errors"): `detail`,
or for a 400 the messages by field; allauth's answers keep their own keys beside the portal's."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from portal.api.errors import request_id_of
from tests.auth.helpers import APP, BROWSER
from tests.factories import PASSWORD


@pytest.fixture
def broken_me(monkeypatch):
    from portal.api import views

    def broken(self, request):
        raise RuntimeError("secret internals of a bug")

    monkeypatch.setattr(views.MeView, "get", broken)


def test_an_unexpected_exception_answers_json_500_with_a_request_id_and_no_traceback(
    raps_admin, broken_me, settings, caplog
):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(raps_admin)

    with caplog.at_level("ERROR"):
        response = client.get("/api/v1/me/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "request_id"}
    assert body["detail"] == "Server error."
    assert re.fullmatch(r"[0-9a-f]{32}", body["request_id"])
    assert b"Traceback" not in response.content
    assert b"secret internals" not in response.content
    # The id in the answer is the one logged with the error: a client's report finds it.
    assert body["request_id"] in caplog.text


def test_a_500_names_the_request_id_the_request_already_has(rf):
    request = rf.get("/api/v1/me/")
    request.request_id = "abc123"

    assert request_id_of(request) == "abc123"


def test_an_allauth_input_error_has_the_portals_field_errors_beside_allauths(raps_admin):
    response = APIClient().post(f"{APP}/auth/login", {"email": raps_admin.email, "password": "wrong"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    [error] = body["errors"]
    assert error["param"] == "password"
    assert body["password"] == [error["message"]]


def test_an_allauth_401_keeps_its_flows_and_says_why(db):
    response = APIClient().get(f"{APP}/auth/session")

    assert response.status_code == 401
    body = response.json()
    # What allauth's clients read to know the state of the sign-in.
    assert body["status"] == 401
    assert {"id": "login"} in [{"id": flow["id"]} for flow in body["data"]["flows"]]
    assert "meta" in body
    assert body["detail"] == "Authentication credentials were not provided."


def test_an_allauth_429_says_why_in_both_shapes(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    client = APIClient()
    client.post(f"{APP}/auth/signup", {"email": "one@example.org", "password": "x"}, format="json")

    response = client.post(f"{APP}/auth/signup", {"email": "two@example.org", "password": "x"}, format="json")

    assert response.status_code == 429
    assert response.json() == {"status": 429, "detail": "Request was throttled."}


def test_a_csrf_refusal_of_allauths_browser_client_is_json_not_a_page(raps_admin):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"{BROWSER}/auth/login", {"email": raps_admin.email, "password": PASSWORD}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == 403
    assert body["detail"]
    assert body["errors"] == [{"message": body["detail"], "code": "error"}]


def test_a_path_allauth_does_not_serve_is_a_404_in_both_shapes(db):
    response = APIClient().get(f"{APP}/no-such-flow")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "errors": [{"message": "Not found.", "code": "error"}],
        "detail": "Not found.",
    }


def test_a_csrf_refusal_under_the_api_is_json_with_a_detail(raps_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(raps_admin)

    response = client.post("/api/v1/notifications/read-all/")

    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert "CSRF" in response.json()["detail"]


def test_a_form_body_where_only_json_is_taken_is_a_json_415(raps_admin):
    client = APIClient()
    client.force_authenticate(raps_admin)

    response = client.post("/api/v1/hour-logs/", {"hours": "8"}, format="multipart")

    assert response.status_code == 415
    assert set(response.json()) == {"detail"}


def test_even_with_debug_on_a_500_under_the_api_is_json_without_the_trace(raps_admin, broken_me, settings):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    client.force_login(raps_admin)

    response = client.get("/api/v1/me/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "request_id"}
    assert b"secret internals" not in response.content


def test_the_errors_of_a_list_body_stay_under_each_items_index(raps_admin):
    client = APIClient()
    client.force_authenticate(raps_admin)

    response = client.put(
        "/api/v1/notification-preferences/",
        [{"event": "hours_rejected", "in_app": True, "email": True}, {"event": "hours_rejected", "in_app": "x"}],
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"1": {"in_app": ["Must be a valid boolean."], "email": ["This field is required."]}}


def test_a_field_called_status_under_the_api_is_a_field_error_as_it_is(raps_admin):
    client = APIClient()
    client.force_authenticate(raps_admin)

    response = client.get("/api/v1/invitations/", {"status": "open"})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
