"""allauth's rate limits are on (ACCOUNT_RATE_LIMITS_ENABLED, allauth's defaults).

What allauth 65 really does, read in allauth/account/adapter.py (pre_authenticate) and
allauth/headless/account/views.py (LoginView):

- `login_failed` ("10/m/ip,5/300s/key"): after 5 failed logins for one address, further logins
  for it are refused with 400 and the error code `too_many_login_attempts`, even with the right
  password. allauth reports this one as a form error, not as 429.
- `login` ("30/m/ip"): the login endpoint itself answers 429 past 30 requests a minute per IP.
"""

from rest_framework.test import APIClient

from tests.auth.helpers import APP, app_login
from tests.factories import PASSWORD, UserFactory

FAILED_LOGINS_ALLOWED = 5  # the "/key" part of allauth's default login_failed rate
LOGINS_PER_MINUTE_PER_IP = 30  # allauth's default "login" rate


def test_repeated_failed_logins_lock_the_address(raps_admin):
    codes = [app_login("raps.admin@example.org", "wrong").json()["errors"][0]["code"] for _ in range(6)]

    assert codes == ["email_password_mismatch"] * FAILED_LOGINS_ALLOWED + ["too_many_login_attempts"]
    # Locked: even the right password is refused now.
    response = app_login("raps.admin@example.org", PASSWORD)
    assert response.status_code == 400
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
        # A different address each time, so that only the per-IP limit can trip.
        response = client.post(
            f"{APP}/auth/login", {"email": f"guess{attempt}@example.org", "password": "x"}, format="json"
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            break

    assert statuses == [400] * LOGINS_PER_MINUTE_PER_IP + [429]
    assert response.json() == {"status": 429}


def test_rate_limited_login_refuses_even_a_valid_user(db):
    user = UserFactory(email="late@example.org")
    client = APIClient()
    for attempt in range(LOGINS_PER_MINUTE_PER_IP):
        client.post(f"{APP}/auth/login", {"email": f"guess{attempt}@example.org", "password": "x"}, format="json")

    response = client.post(f"{APP}/auth/login", {"email": user.email, "password": PASSWORD}, format="json")

    assert response.status_code == 429
