"""allauth's rate limits are on (ACCOUNT_RATE_LIMITS_ENABLED), failed logins counted by
portal.adapters (see tests/security/test_login_lockout.py for the addresses they come from):

- `login_failed_from_address` ("5/5m/key", per account and client address): after 5 failed
  logins for one account from one address, further logins for it from there are refused with
  429, Retry-After and the error code `too_many_login_attempts`, even with the right password.
- `login_failed` ("20/m/ip,50/h/key"): 20 failures a minute from one address, whatever the
  accounts, and 50 an hour for one account from anywhere, end in the same 429.
- `login` ("30/m/ip", allauth's default): the login endpoint itself answers 429 past 30 requests
  a minute per IP.
"""

from rest_framework.test import APIClient

from tests.auth.helpers import APP, app_login
from tests.factories import PASSWORD, UserFactory

FAILED_LOGINS_ALLOWED = 5  # login_failed_from_address
FAILED_LOGINS_PER_MINUTE_PER_IP = 20  # the "/ip" part of login_failed
LOGINS_PER_MINUTE_PER_IP = 30  # allauth's default "login" rate


def test_repeated_failed_logins_lock_the_address(raps_admin):
    codes = [app_login("raps.admin@example.org", "wrong").json()["errors"][0]["code"] for _ in range(6)]

    assert codes == ["email_password_mismatch"] * FAILED_LOGINS_ALLOWED + ["too_many_login_attempts"]
    # Locked from this address: even the right password is refused now.
    response = app_login("raps.admin@example.org", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"] == [
        {"message": "Too many failed login attempts. Try again later.", "code": "too_many_login_attempts"}
    ]


def test_locking_one_address_leaves_other_accounts_alone(raps_admin, outsider):
    for _ in range(FAILED_LOGINS_ALLOWED + 1):
        app_login("raps.admin@example.org", "wrong")

    assert app_login("outsider@example.org", PASSWORD).status_code == 200


def test_login_endpoint_answers_429_when_called_too_often(db):
    client = APIClient()
    statuses = []
    for attempt in range(LOGINS_PER_MINUTE_PER_IP + 5):
        # A different address each time, so that only the per-IP limits can trip: the failures'
        # one, stricter than allauth's limit on the endpoint itself.
        response = client.post(
            f"{APP}/auth/login", {"email": f"guess{attempt}@example.org", "password": "x"}, format="json"
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            break

    assert statuses == [400] * FAILED_LOGINS_PER_MINUTE_PER_IP + [429]
    assert response.json()["errors"][0]["code"] == "too_many_login_attempts"
    assert int(response["Retry-After"]) > 0


def test_rate_limited_login_refuses_even_a_valid_user(db):
    user = UserFactory(email="late@example.org")
    client = APIClient()
    for attempt in range(LOGINS_PER_MINUTE_PER_IP):
        client.post(f"{APP}/auth/login", {"email": f"guess{attempt}@example.org", "password": "x"}, format="json")

    response = client.post(f"{APP}/auth/login", {"email": user.email, "password": PASSWORD}, format="json")

    assert response.status_code == 429
