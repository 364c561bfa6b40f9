"""Sign-up through the app client, with mandatory e-mail verification."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from rest_framework.test import APIClient

from portal.models import User
from tests.auth.helpers import APP, app_login, link_key, pending_flow_ids, token_client

NEW_PASSWORD = "a-very-long-Pass-phrase-2026"
VERIFY_PATH = "/account/verify-email/"


def sign_up(email="new@example.org", password=NEW_PASSWORD, name="Nia New"):
    return APIClient().post(f"{APP}/auth/signup", {"email": email, "password": password, "name": name}, format="json")


def test_signup_creates_an_unverified_user_with_the_name(db):
    response = sign_up()

    assert response.status_code == 401
    body = response.json()
    assert body["meta"]["is_authenticated"] is False
    assert pending_flow_ids(response) == {"verify_email"}
    user = User.objects.get(email="new@example.org")
    assert user.full_name == "Nia New"
    assert user.check_password(NEW_PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("new@example.org", False, True)


def test_signup_sends_a_verification_link_to_the_front_end(db):
    sign_up()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert message.subject.startswith("[Apprenticeship Portal] ")
    assert f"{settings.FRONTEND_URL}{VERIFY_PATH}" in message.body
    assert link_key(VERIFY_PATH, "new@example.org")


def test_login_before_verification_gives_no_usable_session(db):
    sign_up()

    response = app_login("new@example.org", NEW_PASSWORD)

    assert response.status_code == 401
    body = response.json()
    assert body["meta"]["is_authenticated"] is False
    assert pending_flow_ids(response) == {"verify_email"}
    # allauth hands out a token to carry the pending flow on; it must not open the API.
    pending_token = body["meta"]["session_token"]
    assert token_client(pending_token).get("/api/v1/me/").status_code == 401


def test_verification_key_verifies_the_address_and_login_then_works(db):
    sign_up()
    key = link_key(VERIFY_PATH, "new@example.org")

    response = APIClient().post(f"{APP}/auth/email/verify", {"key": key}, format="json")

    # Verified outside the sign-up session: the address is verified, nobody is signed in.
    assert response.status_code == 401
    assert EmailAddress.objects.get(email="new@example.org").verified is True
    login = app_login("new@example.org", NEW_PASSWORD)
    assert login.status_code == 200
    me = token_client(login.json()["meta"]["session_token"]).get("/api/v1/me/")
    assert me.status_code == 200
    assert (me.json()["email"], me.json()["name"], me.json()["memberships"]) == ("new@example.org", "Nia New", [])


def test_verifying_in_the_signup_session_signs_in(db):
    signup_token = sign_up().json()["meta"]["session_token"]
    key = link_key(VERIFY_PATH, "new@example.org")

    response = token_client(signup_token).post(f"{APP}/auth/email/verify", {"key": key}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["is_authenticated"] is True
    assert body["data"]["user"]["email"] == "new@example.org"
    assert token_client(body["meta"]["session_token"]).get("/api/v1/me/").status_code == 200


def test_a_wrong_verification_key_is_refused(db):
    sign_up()

    response = APIClient().post(f"{APP}/auth/email/verify", {"key": "not-a-key"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "key"
    assert EmailAddress.objects.get(email="new@example.org").verified is False


def test_signup_with_a_weak_password_is_refused(db):
    response = sign_up(password="12345678")

    assert response.status_code == 400
    assert {error["param"] for error in response.json()["errors"]} == {"password"}
    assert not User.objects.filter(email="new@example.org").exists()
    assert mail.outbox == []


def test_signup_with_a_taken_address_creates_no_second_account(raps_admin):
    response = sign_up(email="RAPS.admin@example.org")

    # allauth does not reveal that the address is taken: same answer as a new sign-up...
    assert response.status_code == 401
    assert pending_flow_ids(response) == {"verify_email"}
    # ...but no account is made, and the owner of the address is told by e-mail.
    assert User.objects.filter(email__iexact="raps.admin@example.org").count() == 1
    assert [message.to for message in mail.outbox] == [["raps.admin@example.org"]]
    assert "Already Exists" in mail.outbox[0].subject
    assert app_login("raps.admin@example.org", NEW_PASSWORD).status_code == 400
