"""Wrong passwords lock an account for the address they came from, not for its owner elsewhere;
past a limit the login answers 429 with Retry-After, on the app and the browser client."""

import pytest
from rest_framework.test import APIClient

from tests.auth.helpers import APP, BROWSER
from tests.factories import PASSWORD

FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def login(email, password, address, client_kind=APP):
    client = APIClient(REMOTE_ADDR=address)
    if client_kind == BROWSER:
        client.get(f"{BROWSER}/config")
    return client.post(f"{client_kind}/auth/login", {"email": email, "password": password}, format="json")


@pytest.mark.parametrize("client_kind", [APP, BROWSER])
def test_wrong_passwords_from_one_address_lock_that_address_with_429_and_retry_after(raps_admin, client_kind):
    statuses = [login(raps_admin.email, "wrong", ATTACKER, client_kind).status_code for _ in range(5)]
    assert statuses == [400] * FAILURES_PER_ACCOUNT_AND_ADDRESS

    response = login(raps_admin.email, PASSWORD, ATTACKER, client_kind)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 300
    assert response.json()["errors"][0]["code"] == "too_many_login_attempts"


def test_the_owner_still_signs_in_from_another_address(raps_admin):
    for _ in range(FAILURES_PER_ACCOUNT_AND_ADDRESS + 3):
        login(raps_admin.email, "wrong", ATTACKER)

    response = login(raps_admin.email, PASSWORD, OWNER)

    assert response.status_code == 200
    assert response.json()["meta"]["session_token"]


def test_a_right_password_does_not_count_as_a_failure(raps_admin):
    for _ in range(FAILURES_PER_ACCOUNT_AND_ADDRESS - 1):
        login(raps_admin.email, "wrong", ATTACKER)
    for _ in range(3):
        assert login(raps_admin.email, PASSWORD, ATTACKER).status_code == 200

    assert login(raps_admin.email, "wrong", ATTACKER).status_code == 400
    assert login(raps_admin.email, "wrong", ATTACKER).status_code == 429


def test_failures_spread_over_many_addresses_end_up_locking_the_account(raps_admin, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "20/m/ip,8/h/key"}
    for attempt in range(8):
        assert login(raps_admin.email, "wrong", f"203.0.113.{attempt + 10}").status_code == 400

    response = login(raps_admin.email, PASSWORD, OWNER)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 300  # the per-account window is the hour


def test_one_address_guessing_many_accounts_is_stopped(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "6/m/ip,50/h/key"}
    statuses = [login(f"guess{n}@example.org", "wrong", ATTACKER).status_code for n in range(7)]

    assert statuses == [400] * 6 + [429]


def test_allauths_other_429s_carry_retry_after_too(raps_admin):
    client = APIClient()
    for _ in range(6):  # allauth's reset_password: 5 a minute per address
        response = client.post(f"{APP}/auth/password/request", {"email": raps_admin.email}, format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
