"""The browser client of allauth headless: session cookie, CSRF enforced on every unsafe request."""

from sponsors.models import Invitation
from tests.auth.helpers import BROWSER, csrf_header
from tests.factories import PASSWORD


def sign_in(client, email="raps.admin@example.org", password=PASSWORD):
    return client.post(
        f"{BROWSER}/auth/login", {"email": email, "password": password}, format="json", headers=csrf_header(client)
    )


def invitation_body(sponsor, employer):
    return {"email": "new@example.org", "role": "supervisor", "employer": str(employer.id), "sponsor": str(sponsor.id)}


def test_config_hands_out_the_csrf_cookie(browser_client):
    # The fixture fetched /config; the cookie it set is what the front end reads.
    assert len(browser_client.cookies["csrftoken"].value) >= 32


def test_login_without_the_csrf_header_is_forbidden(browser_client, raps_admin):
    response = browser_client.post(
        f"{BROWSER}/auth/login", {"email": "raps.admin@example.org", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 403
    assert "sessionid" not in browser_client.cookies
    assert browser_client.get("/api/v1/me/").status_code == 401


def test_login_with_the_csrf_header_signs_in_by_cookie(browser_client, raps_admin, sponsor):
    response = sign_in(browser_client)

    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["is_authenticated"] is True
    assert "session_token" not in body["meta"]  # the browser client keeps the session in the cookie
    assert browser_client.cookies["sessionid"].value

    me = browser_client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["id"] == str(raps_admin.id)
    assert me.json()["memberships"] == [
        {"organization": {"id": str(sponsor.id), "name": "Technology HRTP", "kind": "sponsor"}, "role": "raps_admin"}
    ]


def test_wrong_password_does_not_sign_in(browser_client, raps_admin):
    response = sign_in(browser_client, password="not-the-password")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "email_password_mismatch"
    assert browser_client.get("/api/v1/me/").status_code == 401


def test_unsafe_api_request_without_csrf_header_is_forbidden(browser_client, raps_admin, sponsor, employer_a):
    assert sign_in(browser_client).status_code == 200

    response = browser_client.post("/api/v1/invitations/", invitation_body(sponsor, employer_a), format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Invitation.objects.exists()


def test_unsafe_api_request_with_a_stale_csrf_token_is_forbidden(browser_client, raps_admin, sponsor, employer_a):
    stale = csrf_header(browser_client)  # taken before sign-in, which rotates the token
    assert sign_in(browser_client).status_code == 200
    assert csrf_header(browser_client) != stale

    response = browser_client.post(
        "/api/v1/invitations/", invitation_body(sponsor, employer_a), format="json", headers=stale
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_unsafe_api_request_with_csrf_header_goes_through(browser_client, raps_admin, sponsor, employer_a):
    assert sign_in(browser_client).status_code == 200

    response = browser_client.post(
        "/api/v1/invitations/", invitation_body(sponsor, employer_a), format="json", headers=csrf_header(browser_client)
    )

    assert response.status_code == 201
    assert response.json()["email"] == "new@example.org"
    assert Invitation.objects.filter(email="new@example.org", employer=employer_a, sponsor=sponsor).count() == 1


def test_logout_ends_the_cookie_session(browser_client, raps_admin):
    assert sign_in(browser_client).status_code == 200

    response = browser_client.delete(f"{BROWSER}/auth/session", headers=csrf_header(browser_client))

    assert response.status_code == 401
    assert response.json()["meta"]["is_authenticated"] is False
    assert browser_client.get("/api/v1/me/").status_code == 401


def test_logout_without_csrf_header_is_forbidden(browser_client, raps_admin):
    assert sign_in(browser_client).status_code == 200

    response = browser_client.delete(f"{BROWSER}/auth/session")

    assert response.status_code == 403
    assert browser_client.get("/api/v1/me/").status_code == 200
