"""The app client of allauth headless: sign in at /_allauth/app/v1/, then X-Session-Token on /api/v1/."""

from django.contrib.sessions.models import Session
from rest_framework.test import APIClient

from sponsors.models import Invitation
from tests.auth.helpers import APP, app_login, token_client
from tests.factories import PASSWORD


def test_login_answers_with_a_session_token(raps_admin):
    response = app_login("raps.admin@example.org", PASSWORD)

    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["is_authenticated"] is True
    assert body["meta"]["session_token"]
    assert body["data"]["user"]["id"] == str(raps_admin.id)
    assert body["data"]["user"]["email"] == "raps.admin@example.org"


def test_login_ignores_the_case_of_the_address(raps_admin):
    response = app_login("RAPS.Admin@Example.ORG", PASSWORD)

    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == str(raps_admin.id)


def test_session_token_signs_in_to_the_api(employer_a_supervisor, employer_a):
    token = app_login("supervisor.a@example.org", PASSWORD).json()["meta"]["session_token"]

    response = token_client(token).get("/api/v1/me/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(employer_a_supervisor.id)
    assert body["name"] == "Sam Supervisor"
    assert body["memberships"] == [
        {"organization": {"id": str(employer_a.id), "name": "Employer A", "kind": "employer"}, "role": "supervisor"}
    ]


def test_session_token_also_works_as_headers_argument(raps_admin, sponsor):
    token = app_login("raps.admin@example.org", PASSWORD).json()["meta"]["session_token"]

    response = APIClient().get("/api/v1/me/", headers={"X-Session-Token": token})

    assert response.status_code == 200
    assert response.json()["memberships"][0]["organization"]["id"] == str(sponsor.id)


def test_unsafe_api_request_with_session_token_needs_no_csrf(raps_admin, sponsor, employer_a):
    token = app_login("raps.admin@example.org", PASSWORD).json()["meta"]["session_token"]
    client = token_client(token)  # enforce_csrf_checks=True, and no CSRF cookie or header at all

    response = client.post(
        "/api/v1/invitations/",
        {"email": "new@example.org", "role": "supervisor", "employer": str(employer_a.id), "sponsor": str(sponsor.id)},
        format="json",
    )

    assert response.status_code == 201
    assert Invitation.objects.filter(email="new@example.org", employer=employer_a).count() == 1


def test_unknown_session_token_is_refused(raps_admin):
    response = token_client("not-a-session-token").get("/api/v1/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Session-Token realm="api"'


def test_api_without_credentials_answers_401(anonymous_client):
    response = anonymous_client.get("/api/v1/me/")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_wrong_password_is_refused_by_allauth(raps_admin):
    response = app_login("raps.admin@example.org", "not-the-password")

    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [
        {
            "message": "The email address and/or password you specified are not correct.",
            "code": "email_password_mismatch",
            "param": "password",
        }
    ]
    assert "meta" not in body  # no session token for a failed login


def test_unknown_address_is_refused_like_a_wrong_password(db):
    response = app_login("nobody@example.org", PASSWORD)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "email_password_mismatch"


def test_logout_ends_the_session_token(raps_admin):
    token = app_login("raps.admin@example.org", PASSWORD).json()["meta"]["session_token"]
    client = token_client(token)
    assert client.get("/api/v1/me/").status_code == 200

    response = client.delete(f"{APP}/auth/session")

    assert response.status_code == 401  # allauth answers with the (now signed-out) state
    assert response.json()["meta"]["is_authenticated"] is False
    assert not Session.objects.filter(session_key=token).exists()
    assert client.get("/api/v1/me/").status_code == 401
    # allauth itself tells the app its token is gone (410), so that it drops it.
    assert client.get(f"{APP}/auth/session").status_code == 410


def test_logout_of_one_token_leaves_other_sessions_signed_in(raps_admin):
    phone = app_login("raps.admin@example.org", PASSWORD).json()["meta"]["session_token"]
    tablet = app_login("raps.admin@example.org", PASSWORD).json()["meta"]["session_token"]
    assert phone != tablet

    token_client(phone).delete(f"{APP}/auth/session")

    assert token_client(phone).get("/api/v1/me/").status_code == 401
    assert token_client(tablet).get("/api/v1/me/").status_code == 200


def test_session_endpoint_reports_the_signed_in_user(raps_admin):
    token = app_login("raps.admin@example.org", PASSWORD).json()["meta"]["session_token"]

    response = token_client(token).get(f"{APP}/auth/session")

    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == str(raps_admin.id)
