"""The Django admin's sign-in is throttled like the API's, and production can restrict /admin/
to some client addresses (ADMIN_ALLOWED_IPS)."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory

ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


def admin_login(email, password, address="203.0.113.7"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(ADMIN_LOGIN, {"username": email, "password": password, "next": "/admin/"})
    return client, response


def test_wrong_admin_passwords_end_in_429_even_with_the_right_one(superuser):
    statuses = [admin_login(superuser.email, "wrong")[1].status_code for _ in range(5)]
    assert statuses == [200] * 5  # the form again, with its error

    client, response = admin_login(superuser.email, PASSWORD)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_the_admin_lock_is_per_address(superuser):
    for _ in range(6):
        admin_login(superuser.email, "wrong", address="203.0.113.7")

    client, response = admin_login(superuser.email, PASSWORD, address="198.51.100.20")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(superuser.pk)


def test_admin_and_api_failures_count_together(superuser):
    from rest_framework.test import APIClient

    for _ in range(5):
        admin_login(superuser.email, "wrong")

    response = APIClient(REMOTE_ADDR="203.0.113.7").post(
        "/_allauth/app/v1/auth/login", {"email": superuser.email, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 429


def test_a_successful_admin_sign_in_gives_its_attempt_back(superuser):
    for _ in range(4):
        admin_login(superuser.email, "wrong")
    for _ in range(3):
        assert admin_login(superuser.email, PASSWORD)[1].status_code == 302

    assert admin_login(superuser.email, "wrong")[1].status_code == 200


def test_the_admin_is_a_404_for_addresses_not_allowed(superuser, settings):
    settings.ADMIN_ALLOWED_IPS = ["10.0.0.0/8", "192.0.2.1"]

    for path in [ADMIN_LOGIN, "/admin/", "/admin/portal/user/"]:
        assert Client(REMOTE_ADDR="203.0.113.7").get(path).status_code == 404
    assert admin_login(superuser.email, PASSWORD, address="203.0.113.7")[1].status_code == 404


def test_the_admin_opens_for_allowed_addresses(superuser, settings):
    settings.ADMIN_ALLOWED_IPS = ["10.0.0.0/8", "192.0.2.1"]

    assert Client(REMOTE_ADDR="10.1.2.3").get(ADMIN_LOGIN).status_code == 200
    assert Client(REMOTE_ADDR="192.0.2.1").get(ADMIN_LOGIN).status_code == 200
    client, response = admin_login(superuser.email, PASSWORD, address="10.9.9.9")
    assert response.status_code == 302


def test_the_allow_list_reads_the_client_behind_trusted_proxies(superuser, settings):
    settings.ADMIN_ALLOWED_IPS = ["10.0.0.0/8"]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    # The proxy (REMOTE_ADDR) appends the address it saw; what the client wrote before is ignored.
    allowed = Client(REMOTE_ADDR="172.16.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.1.2.3")
    refused = Client(REMOTE_ADDR="172.16.0.1", HTTP_X_FORWARDED_FOR="10.1.2.3, 203.0.113.7")

    assert allowed.get(ADMIN_LOGIN).status_code == 200
    assert refused.get(ADMIN_LOGIN).status_code == 404


def test_the_api_is_not_restricted_by_the_admin_allow_list(db, settings):
    settings.ADMIN_ALLOWED_IPS = ["10.0.0.0/8"]

    assert Client(REMOTE_ADDR="203.0.113.7").get("/healthz").status_code == 200


def test_admin_url_comes_from_the_environment(monkeypatch):
    import importlib

    from portal.settings import base

    monkeypatch.setenv("ADMIN_URL", "/back-office")
    monkeypatch.setenv("ADMIN_ALLOWED_IPS", "10.0.0.0/8,192.0.2.1")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.ADMIN_URL == "back-office/"
        assert reloaded.ADMIN_ALLOWED_IPS == ["10.0.0.0/8", "192.0.2.1"]
    finally:
        monkeypatch.undo()
        importlib.reload(base)
