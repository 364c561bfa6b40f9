"""Password reset by e-mailed link, through the app client."""

from django.conf import settings
from django.core import mail
from rest_framework.test import APIClient

from tests.auth.helpers import APP, app_login, link_key, token_client
from tests.factories import PASSWORD

RESET_PATH = "/account/password/reset/key/"
NEW_PASSWORD = "a-brand-new-Pass-phrase-2027"


def request_reset(email):
    return APIClient().post(f"{APP}/auth/password/request", {"email": email}, format="json")


def reset(key, password=NEW_PASSWORD):
    return APIClient().post(f"{APP}/auth/password/reset", {"key": key, "password": password}, format="json")


def test_reset_request_mails_a_link_to_the_front_end(raps_admin):
    response = request_reset("raps.admin@example.org")

    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["raps.admin@example.org"]
    assert f"{settings.FRONTEND_URL}{RESET_PATH}" in mail.outbox[0].body


def test_reset_key_sets_the_new_password(raps_admin):
    request_reset("raps.admin@example.org")
    key = link_key(RESET_PATH, "raps.admin@example.org")

    response = reset(key)

    assert response.status_code == 401  # reset, not signed in (ACCOUNT_LOGIN_ON_PASSWORD_RESET is off)
    login = app_login("raps.admin@example.org", NEW_PASSWORD)
    assert login.status_code == 200
    assert login.json()["data"]["user"]["id"] == str(raps_admin.id)
    assert app_login("raps.admin@example.org", PASSWORD).status_code == 400


def test_reset_key_works_once(raps_admin):
    request_reset("raps.admin@example.org")
    key = link_key(RESET_PATH, "raps.admin@example.org")
    assert reset(key).status_code == 401

    response = reset(key, password="yet-another-Pass-phrase-2028")

    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "message": "The password reset token was invalid.",
        "code": "invalid_password_reset",
        "param": "key",
    }
    assert app_login("raps.admin@example.org", NEW_PASSWORD).status_code == 200


def test_reset_to_a_weak_password_is_refused(raps_admin):
    request_reset("raps.admin@example.org")
    key = link_key(RESET_PATH, "raps.admin@example.org")

    response = reset(key, password="password")

    assert response.status_code == 400
    assert {error["param"] for error in response.json()["errors"]} == {"password"}
    assert app_login("raps.admin@example.org", PASSWORD).status_code == 200


def test_reset_session_tokens_of_the_old_password_stop_working(raps_admin):
    token = app_login("raps.admin@example.org", PASSWORD).json()["meta"]["session_token"]
    assert token_client(token).get("/api/v1/me/").status_code == 200
    request_reset("raps.admin@example.org")

    reset(link_key(RESET_PATH, "raps.admin@example.org"))

    # Django invalidates sessions whose password hash no longer matches.
    assert token_client(token).get("/api/v1/me/").status_code == 401


def test_reset_request_for_an_unknown_address_sends_no_link(db):
    response = request_reset("nobody@example.org")

    # Same answer as for a known address, so that accounts cannot be discovered.
    assert response.status_code == 200
    assert all(RESET_PATH not in message.body for message in mail.outbox)
