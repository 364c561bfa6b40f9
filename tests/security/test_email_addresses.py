"""An address a user adds to their account stays pending until they follow the link sent to it
(ACCOUNT_CHANGE_EMAIL): it then replaces their address. Someone typing another person's
address never attaches it, and never keeps its owner from signing up or accepting an
invitation with it."""

from allauth.account.models import EmailAddress
from rest_framework.test import APIClient

from portal.models import User
from tests.auth.helpers import APP, app_login, link_key, pending_flow_ids, token_client
from tests.factories import PASSWORD
from tests.invitations.helpers import ACCEPT, INVITATIONS, NEW_PASSWORD, token_from_mail

VERIFY_PATH = "/account/verify-email/"
VICTIM = "victim@example.org"


def signed_in(user) -> APIClient:
    return token_client(app_login(user.email, PASSWORD).json()["meta"]["session_token"])


def addresses(client) -> list[tuple[str, bool, bool]]:
    return [(a["email"], a["verified"], a["primary"]) for a in client.get(f"{APP}/account/email").json()["data"]]


def test_an_added_address_stays_pending_and_cannot_become_primary(outsider):
    client = signed_in(outsider)

    assert client.post(f"{APP}/account/email", {"email": VICTIM}, format="json").status_code == 200
    response = client.patch(f"{APP}/account/email", {"email": VICTIM, "primary": True}, format="json")

    assert response.status_code == 400
    assert addresses(client) == [("outsider@example.org", True, True), (VICTIM, False, False)]
    outsider.refresh_from_db()
    assert outsider.email == "outsider@example.org"


def test_a_pending_address_does_not_sign_anyone_in(outsider):
    signed_in(outsider).post(f"{APP}/account/email", {"email": VICTIM}, format="json")

    response = app_login(VICTIM, PASSWORD)

    assert response.json()["meta"]["is_authenticated"] is False
    assert token_client(response.json()["meta"]["session_token"]).get("/api/v1/me/").status_code == 401


def test_a_new_address_replaces_the_pending_one(outsider):
    client = signed_in(outsider)

    client.post(f"{APP}/account/email", {"email": "first@example.org"}, format="json")
    client.post(f"{APP}/account/email", {"email": "second@example.org"}, format="json")

    assert addresses(client) == [("outsider@example.org", True, True), ("second@example.org", False, False)]


def test_following_the_link_replaces_the_address(outsider):
    client = signed_in(outsider)
    client.post(f"{APP}/account/email", {"email": "moved@example.org"}, format="json")

    response = client.post(
        f"{APP}/auth/email/verify", {"key": link_key(VERIFY_PATH, "moved@example.org")}, format="json"
    )

    assert response.status_code == 200
    assert addresses(client) == [("moved@example.org", True, True)]
    outsider.refresh_from_db()
    assert outsider.email == "moved@example.org"


def test_a_pending_address_does_not_keep_its_owner_from_signing_up(outsider):
    signed_in(outsider).post(f"{APP}/account/email", {"email": VICTIM}, format="json")

    response = APIClient().post(
        f"{APP}/auth/signup", {"email": VICTIM, "password": NEW_PASSWORD, "name": "Vic Tim"}, format="json"
    )

    assert response.status_code == 401
    assert pending_flow_ids(response) == {"verify_email"}
    owner = User.objects.get(email=VICTIM)
    assert owner.full_name == "Vic Tim"
    verify = APIClient().post(f"{APP}/auth/email/verify", {"key": link_key(VERIFY_PATH, VICTIM)}, format="json")
    assert verify.status_code == 401  # verified; signed in on the next login
    assert EmailAddress.objects.get(email=VICTIM, verified=True).user == owner
    login = app_login(VICTIM, NEW_PASSWORD)
    assert login.status_code == 200
    assert login.json()["data"]["user"]["email"] == VICTIM


def test_the_link_a_pending_claim_sent_stops_working_once_the_owner_signs_up(outsider):
    signed_in(outsider).post(f"{APP}/account/email", {"email": VICTIM}, format="json")
    claim_key = link_key(VERIFY_PATH, VICTIM)

    APIClient().post(f"{APP}/auth/signup", {"email": VICTIM, "password": NEW_PASSWORD}, format="json")
    response = APIClient().post(f"{APP}/auth/email/verify", {"key": claim_key}, format="json")

    assert response.status_code == 400
    assert not EmailAddress.objects.filter(user=outsider, email=VICTIM).exists()
    assert link_key(VERIFY_PATH, VICTIM) != claim_key  # the owner got their own link


def test_an_address_already_in_use_is_still_not_signed_up_twice(outsider):
    response = APIClient().post(
        f"{APP}/auth/signup", {"email": outsider.email, "password": NEW_PASSWORD, "name": "Copy"}, format="json"
    )

    assert response.status_code == 401
    assert User.objects.filter(email=outsider.email).count() == 1


def test_a_pending_address_does_not_keep_its_owner_from_accepting_an_invitation(
    outsider, client_for, raps_admin, sponsor, employer_a, django_capture_on_commit_callbacks
):
    signed_in(outsider).post(f"{APP}/account/email", {"email": VICTIM}, format="json")
    body = {"email": VICTIM, "role": "supervisor", "sponsor": str(sponsor.id), "employer": str(employer_a.id)}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(raps_admin).post(INVITATIONS, body, format="json").status_code == 201

    response = APIClient().post(ACCEPT, {"token": token_from_mail(VICTIM), "password": NEW_PASSWORD}, format="json")

    assert response.status_code == 200
    owner = User.objects.get(email=VICTIM)
    assert owner != outsider
    assert app_login(VICTIM, NEW_PASSWORD).json()["data"]["user"]["email"] == VICTIM
