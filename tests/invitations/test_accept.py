"""Accepting an invitation: POST /api/v1/invitations/accept/ {"token", "password"?, "name"?}."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from portal.models import User
from sponsors.models import Invitation, Membership
from tests.auth.helpers import APP, app_login, token_client
from tests.factories import PASSWORD, UserFactory
from tests.invitations.helpers import (
    ACCEPT,
    INVITATIONS,
    NEW_PASSWORD,
    token_from_mail,
)


def accept(token, client=None, **body):
    return (client or APIClient()).post(ACCEPT, {"token": token, **body}, format="json")


def assert_still_pending(invitation):
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert invitation.accepted_by is None


# --- a new account ----------------------------------------------------------------------------


def test_accepting_signed_out_creates_the_account_and_membership(invite, employer_a):
    invitation, token = invite()

    response = accept(token, password=NEW_PASSWORD, name="  Nia New ")

    assert response.status_code == 200
    assert response.json() == {
        "email": "new@example.org",
        "role": "supervisor",
        "organization": {"id": str(employer_a.id), "name": "Employer A", "kind": "employer"},
    }
    user = User.objects.get(email="new@example.org")
    assert user.full_name == "Nia New"
    assert user.check_password(NEW_PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("new@example.org", True, True)
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.employer, membership.sponsor) == ("supervisor", employer_a, None)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None


def test_new_member_signs_in_with_the_app_client_and_sees_the_membership(invite, employer_a):
    _invitation, token = invite()
    accept(token, password=NEW_PASSWORD, name="Nia New")

    login = app_login("new@example.org", NEW_PASSWORD)

    assert login.status_code == 200  # the link verified the address: no verification step
    me = token_client(login.json()["meta"]["session_token"]).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["name"] == "Nia New"
    assert me.json()["memberships"] == [
        {"organization": {"id": str(employer_a.id), "name": "Employer A", "kind": "employer"}, "role": "supervisor"}
    ]


def test_token_from_the_emailed_link_is_accepted(
    client_for, raps_admin, sponsor, employer_a, django_capture_on_commit_callbacks
):
    body = {
        "email": "new@example.org",
        "role": "supervisor",
        "sponsor": str(sponsor.id),
        "employer": str(employer_a.id),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(raps_admin).post(INVITATIONS, body, format="json").status_code == 201

    response = accept(token_from_mail("new@example.org"), password=NEW_PASSWORD)

    assert response.status_code == 200
    assert Membership.objects.filter(user__email="new@example.org", employer=employer_a, role="supervisor").exists()


def test_accepting_a_raps_admin_invitation_makes_a_sponsor_member(invite, sponsor):
    _invitation, token = invite(role="raps_admin")

    response = accept(token, password=NEW_PASSWORD)

    assert response.status_code == 200
    assert response.json()["organization"] == {"id": str(sponsor.id), "name": "Technology HRTP", "kind": "sponsor"}
    membership = Membership.objects.get(user__email="new@example.org")
    assert (membership.role, membership.sponsor, membership.employer) == ("raps_admin", sponsor, None)


def test_accepting_an_apprentice_invitation_creates_the_account_without_membership(invite, employer_a):
    # An apprentice's role comes through an apprenticeship, not a membership.
    invitation, token = invite(role="apprentice")

    response = accept(token, password=NEW_PASSWORD)

    assert response.status_code == 200
    assert response.json()["role"] == "apprentice"
    user = User.objects.get(email="new@example.org")
    assert not Membership.objects.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_address_invited_in_mixed_case_signs_in_however_it_is_typed(invite):
    _invitation, token = invite(email="Nia.New@Example.org")
    assert accept(token, password=NEW_PASSWORD).status_code == 200

    assert app_login("Nia.New@Example.org", NEW_PASSWORD).status_code == 200
    assert app_login("nia.new@example.org", NEW_PASSWORD).status_code == 200


def test_signup_with_a_mixed_case_invitees_address_creates_no_second_account(invite):
    _invitation, token = invite(email="Nia.New@Example.org")
    assert accept(token, password=NEW_PASSWORD).status_code == 200

    response = APIClient(raise_request_exception=False).post(
        f"{APP}/auth/signup", {"email": "nia.new@example.org", "password": "another-Long-pass-2027"}, format="json"
    )

    assert response.status_code == 401  # allauth's "verify your address" answer, never a 500
    assert User.objects.filter(email__iexact="nia.new@example.org").count() == 1


# --- refused tokens ---------------------------------------------------------------------------


def test_accepted_token_cannot_be_reused(invite):
    _invitation, token = invite()
    assert accept(token, password=NEW_PASSWORD).status_code == 200

    response = accept(token, password="another-Long-pass-2027")

    assert response.status_code == 400
    assert response.json() == {"token": ["This invitation has already been used."]}
    assert User.objects.filter(email="new@example.org").count() == 1
    assert app_login("new@example.org", NEW_PASSWORD).status_code == 200


def test_expired_invitation_is_refused(invite):
    invitation, token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = accept(token, password=NEW_PASSWORD)

    assert response.status_code == 400
    assert response.json() == {"token": ["This invitation has expired: ask for a new one."]}
    assert not User.objects.filter(email="new@example.org").exists()
    assert_still_pending(invitation)


def test_revoked_invitation_is_refused(invite, client_for, raps_admin):
    invitation, token = invite()
    assert client_for(raps_admin).post(f"{INVITATIONS}{invitation.id}/revoke/").status_code == 200

    response = accept(token, password=NEW_PASSWORD)

    assert response.status_code == 400
    assert response.json() == {"token": ["This invitation was revoked."]}
    assert not User.objects.filter(email="new@example.org").exists()
    assert_still_pending(invitation)


def test_unknown_token_is_refused(invite):
    invitation, token = invite()

    response = accept(token[:-1] + ("A" if token[-1] != "A" else "B"), password=NEW_PASSWORD)

    assert response.status_code == 400
    assert response.json() == {"token": ["This invitation link is not valid."]}
    assert not User.objects.filter(email="new@example.org").exists()
    assert_still_pending(invitation)


def test_missing_token_is_refused(db):
    response = APIClient().post(ACCEPT, {"password": NEW_PASSWORD}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["token"]


def test_weak_password_is_refused_and_nothing_is_written(invite):
    invitation, token = invite()

    response = accept(token, password="password")

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert response.json()["password"]  # the validators' messages
    assert not User.objects.filter(email__iexact="new@example.org").exists()
    assert not EmailAddress.objects.filter(email__iexact="new@example.org").exists()
    assert not Membership.objects.filter(employer=invitation.employer, user__email="new@example.org").exists()
    assert_still_pending(invitation)
    # The invitation is still good for a better password.
    assert accept(token, password=NEW_PASSWORD).status_code == 200


def test_password_like_the_address_is_refused(invite):
    invitation, token = invite(email="nia.newcastle@example.org")

    response = accept(token, password="nia.newcastle")

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert_still_pending(invitation)


def test_new_account_needs_a_password(invite):
    invitation, token = invite()

    response = accept(token, name="Nia New")

    assert response.status_code == 400
    assert response.json() == {"password": ["Choose a password to create your account."]}
    assert not User.objects.filter(email="new@example.org").exists()
    assert_still_pending(invitation)


def test_accept_is_throttled_for_anonymous_callers(db):
    # The accept endpoint names its own throttle (AnonRateThrottle), which the test settings'
    # empty DEFAULT_THROTTLE_CLASSES do not switch off: token guessing is slowed down.
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"].split("/")[0])
    client = APIClient()
    # An empty token is refused by the serializer (400) before any lookup; the throttle counts it.
    statuses = [accept("", client=client).status_code for _ in range(allowed + 1)]

    assert statuses == [400] * allowed + [429]
    assert "detail" in accept("", client=client).json()


def test_accept_throttle_does_not_slow_signed_in_callers(client_for, outsider):
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"].split("/")[0])
    client = client_for(outsider)

    statuses = {accept("", client=client).status_code for _ in range(allowed + 1)}

    assert statuses == {400}


# --- an existing account ----------------------------------------------------------------------


def test_existing_account_signed_out_is_told_to_sign_in(invite, outsider):
    invitation, token = invite(email="Outsider@example.org")

    response = accept(token, password=NEW_PASSWORD)

    assert response.status_code == 400
    assert response.json() == {
        "token": ["An account with this e-mail address exists: sign in with it, then accept the invitation."]
    }
    assert not Membership.objects.filter(user=outsider).exists()
    assert_still_pending(invitation)
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)  # the password sent was not applied to the account


def test_existing_account_signed_in_gets_the_membership_attached(invite, outsider, client_for, employer_a):
    invitation, token = invite(email="outsider@example.org")

    response = accept(token, client=client_for(outsider))

    assert response.status_code == 200
    membership = Membership.objects.get(user=outsider)
    assert (membership.role, membership.employer) == ("supervisor", employer_a)
    invitation.refresh_from_db()
    assert invitation.accepted_by == outsider
    assert User.objects.filter(email__iexact="outsider@example.org").count() == 1


def test_existing_account_signed_in_by_session_token_gets_the_membership(invite, outsider, employer_a):
    _invitation, token = invite(email="outsider@example.org")
    session_token = app_login("outsider@example.org", PASSWORD).json()["meta"]["session_token"]

    response = accept(token, client=token_client(session_token))

    assert response.status_code == 200
    me = token_client(session_token).get("/api/v1/me/").json()
    assert me["memberships"] == [
        {"organization": {"id": str(employer_a.id), "name": "Employer A", "kind": "employer"}, "role": "supervisor"}
    ]


def test_member_of_another_employer_joins_this_one_too(invite, employer_b_supervisor, client_for, employer_a):
    _invitation, token = invite(email="supervisor.b@example.org")

    response = accept(token, client=client_for(employer_b_supervisor))

    assert response.status_code == 200
    assert set(Membership.objects.filter(user=employer_b_supervisor).values_list("employer__name", flat=True)) == {
        "Employer A",
        "Employer B",
    }


def test_signed_in_as_a_different_user_is_refused(invite, outsider, client_for):
    invitation, token = invite(email="new@example.org")

    response = accept(token, client=client_for(outsider), password=NEW_PASSWORD)

    assert response.status_code == 400
    assert response.json() == {"token": ["This invitation is for another e-mail address."]}
    assert not Membership.objects.filter(user=outsider).exists()
    assert not User.objects.filter(email="new@example.org").exists()
    assert_still_pending(invitation)


def test_account_without_a_password_sets_one_by_accepting(invite, employer_a):
    # An apprentice's account that the registration created: no password, address unverified.
    user = UserFactory(email="new@example.org", full_name="Nia New", verified=False, password=None)
    user.set_unusable_password()
    user.save()
    invitation, token = invite()

    response = accept(token, password=NEW_PASSWORD)

    assert response.status_code == 200
    assert User.objects.filter(email__iexact="new@example.org").count() == 1
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.full_name == "Nia New"  # no name sent: the one on file stays
    assert EmailAddress.objects.get(user=user).verified is True
    assert Membership.objects.filter(user=user, employer=employer_a, role="supervisor").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert app_login("new@example.org", NEW_PASSWORD).status_code == 200


def test_unverified_account_signed_out_is_told_to_sign_in(invite):
    UserFactory(email="new@example.org", verified=False)
    invitation, token = invite()

    response = accept(token, password=NEW_PASSWORD)

    assert response.status_code == 400
    assert list(response.json()) == ["token"]
    assert_still_pending(invitation)


# --- history ----------------------------------------------------------------------------------


def test_accepting_records_history(invite):
    invitation, token = invite()
    assert invitation.history.count() == 1
    assert invitation.history.first().history_change_reason == "invited"

    accept(token, password=NEW_PASSWORD)

    user = User.objects.get(email="new@example.org")
    assert invitation.history.count() == 2
    newest = invitation.history.first()
    assert newest.history_change_reason == "accepted"
    assert newest.accepted_by_id == user.id
    assert newest.history_user_id == user.id
    membership = Membership.objects.get(user=user)
    assert membership.history.get().history_change_reason == "accepted invitation"
    assert user.history.get().history_change_reason == "signed up through an invitation"


def test_history_does_not_keep_the_token_hash(invite):
    invitation, _token = invite()

    assert not hasattr(invitation.history.first(), "token_hash")
