"""Who may invite whom, where: POST /api/v1/invitations/."""

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from sponsors.models import Invitation
from tests.invitations.helpers import INVITATIONS, token_from_mail


@pytest.fixture
def post_invitation(client_for, django_capture_on_commit_callbacks):
    """POST an invitation as `user`, running the on-commit e-mail task like a real commit would."""

    def post(user, **body):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(user).post(INVITATIONS, body, format="json")

    return post


def supervisor_body(sponsor=None, employer=None, email="new@example.org", role="supervisor"):
    body = {"email": email, "role": role}
    if sponsor is not None:
        body["sponsor"] = str(sponsor.id)
    if employer is not None:
        body["employer"] = str(employer.id)
    return body


def assert_nothing_written():
    assert not Invitation.objects.exists()
    assert mail.outbox == []


# --- who may invite ---------------------------------------------------------------------------


def test_raps_admin_invites_a_supervisor_for_employer_a(post_invitation, raps_admin, sponsor, employer_a):
    before = timezone.now()

    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_a))

    assert response.status_code == 201
    body = response.json()
    invitation = Invitation.objects.get()
    assert body["id"] == str(invitation.id)
    assert {key: body[key] for key in ("email", "role", "sponsor", "employer", "status", "invited_by")} == {
        "email": "new@example.org",
        "role": "supervisor",
        "sponsor": str(sponsor.id),
        "employer": str(employer_a.id),
        "status": "pending",
        "invited_by": {"id": str(raps_admin.id), "name": "Rae Admin"},
    }
    assert body["accepted_at"] is None
    assert body["revoked_at"] is None
    assert "token" not in body
    assert "token_hash" not in body
    assert before + settings.INVITATION_TTL <= invitation.expires_at <= timezone.now() + settings.INVITATION_TTL


def test_invitation_email_carries_the_single_use_link(post_invitation, raps_admin, sponsor, employer_a):
    post_invitation(raps_admin, **supervisor_body(sponsor, employer_a))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert message.subject == "[Apprenticeship Portal] Rae Admin invites you to join Employer A"
    assert "Supervisor / mentor" in message.body
    token = token_from_mail("new@example.org")
    # Only the hash is stored; the link holds the one copy of the token.
    assert Invitation.objects.get().token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())


def test_no_email_leaves_before_the_invitation_is_committed(client_for, raps_admin, sponsor, employer_a):
    # Without the on-commit callbacks run (the test transaction never commits), nothing is sent.
    response = client_for(raps_admin).post(INVITATIONS, supervisor_body(sponsor, employer_a), format="json")

    assert response.status_code == 201
    assert mail.outbox == []


def test_employer_admin_invites_a_supervisor_for_own_employer(post_invitation, employer_a_admin, employer_a):
    response = post_invitation(employer_a_admin, **supervisor_body(employer=employer_a))

    assert response.status_code == 201
    assert response.json()["sponsor"] is None
    assert response.json()["employer"] == str(employer_a.id)
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.employer, invitation.invited_by) == ("supervisor", employer_a, employer_a_admin)
    assert [message.to for message in mail.outbox] == [["new@example.org"]]
    assert mail.outbox[0].subject == "[Apprenticeship Portal] Ada Admin invites you to join Employer A"


def test_employer_admin_invites_another_employer_admin(post_invitation, employer_a_admin, employer_a):
    response = post_invitation(employer_a_admin, **supervisor_body(employer=employer_a, role="employer_admin"))

    assert response.status_code == 201
    assert Invitation.objects.get().role == "employer_admin"


def test_raps_admin_invites_a_raps_admin_to_its_sponsor(post_invitation, raps_admin, sponsor):
    response = post_invitation(raps_admin, **supervisor_body(sponsor, role="raps_admin"))

    assert response.status_code == 201
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.sponsor, invitation.employer) == ("raps_admin", sponsor, None)
    assert mail.outbox[0].subject == "[Apprenticeship Portal] Rae Admin invites you to join Technology HRTP"


def test_raps_admin_invites_an_apprentice_to_an_employer(post_invitation, raps_admin, sponsor, employer_b):
    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_b, role="apprentice"))

    assert response.status_code == 201
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.sponsor, invitation.employer) == ("apprentice", sponsor, employer_b)


# --- who may not ------------------------------------------------------------------------------


def test_employer_admin_cannot_invite_a_raps_admin(post_invitation, employer_a_admin, sponsor):
    response = post_invitation(employer_a_admin, **supervisor_body(sponsor, role="raps_admin"))

    assert response.status_code == 400
    assert response.json() == {"role": ["You may not invite anyone with this role into this organization."]}
    assert_nothing_written()


def test_employer_admin_cannot_invite_a_raps_admin_to_its_employer(post_invitation, employer_a_admin, employer_a):
    response = post_invitation(employer_a_admin, **supervisor_body(employer=employer_a, role="raps_admin"))

    assert response.status_code == 400
    assert "employer" in response.json()
    assert_nothing_written()


def test_employer_admin_cannot_invite_an_apprentice(post_invitation, employer_a_admin, employer_a):
    response = post_invitation(employer_a_admin, **supervisor_body(employer=employer_a, role="apprentice"))

    assert response.status_code == 400
    assert response.json() == {"employer": ["An apprentice is invited by a sponsor to one of its employers."]}
    assert_nothing_written()


def test_employer_admin_cannot_invite_an_apprentice_naming_the_sponsor(
    post_invitation, employer_a_admin, sponsor, employer_a
):
    response = post_invitation(employer_a_admin, **supervisor_body(sponsor, employer_a, role="apprentice"))

    assert response.status_code == 400
    assert response.json() == {"role": ["An employer administrator invites only its own staff."]}
    assert_nothing_written()


def test_employer_admin_cannot_invite_into_another_employer(post_invitation, employer_a_admin, employer_b):
    response = post_invitation(employer_a_admin, **supervisor_body(employer=employer_b))

    assert response.status_code == 400
    assert response.json() == {"employer": ["Not found."]}
    assert_nothing_written()


def test_supervisor_cannot_invite(post_invitation, employer_a_supervisor, employer_a):
    response = post_invitation(employer_a_supervisor, **supervisor_body(employer=employer_a))

    assert response.status_code == 403
    assert_nothing_written()


def test_outsider_cannot_invite(post_invitation, outsider, sponsor, employer_a):
    response = post_invitation(outsider, **supervisor_body(sponsor, employer_a))

    assert response.status_code == 403
    assert_nothing_written()


def test_anonymous_cannot_invite(anonymous_client, sponsor, employer_a):
    response = anonymous_client.post(INVITATIONS, supervisor_body(sponsor, employer_a), format="json")

    assert response.status_code == 401
    assert_nothing_written()


def test_raps_admin_cannot_invite_into_another_sponsors_employer(post_invitation, raps_admin, sponsor, employer_c):
    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_c))

    assert response.status_code == 400
    assert response.json() == {"employer": ["Not found."]}
    assert_nothing_written()


def test_raps_admin_cannot_invite_to_another_sponsor(post_invitation, raps_admin, other_sponsor):
    response = post_invitation(raps_admin, **supervisor_body(other_sponsor, role="raps_admin"))

    assert response.status_code == 400
    assert response.json() == {"sponsor": ["Not found."]}
    assert_nothing_written()


def test_other_raps_admin_cannot_invite_into_the_sponsors_employer(
    post_invitation, other_raps_admin, other_sponsor, employer_a
):
    response = post_invitation(other_raps_admin, **supervisor_body(other_sponsor, employer_a))

    assert response.status_code == 400
    assert response.json() == {"employer": ["Not found."]}
    assert_nothing_written()


# --- what the body must say -------------------------------------------------------------------


def test_invitation_names_an_organization(post_invitation, raps_admin):
    response = post_invitation(raps_admin, email="new@example.org", role="supervisor")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Name the sponsor or the employer the person is invited to."]}
    assert_nothing_written()


def test_raps_admin_role_is_not_invited_to_an_employer(post_invitation, raps_admin, sponsor, employer_a):
    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_a, role="raps_admin"))

    assert response.status_code == 400
    assert list(response.json()) == ["employer"]
    assert_nothing_written()


def test_employer_staff_are_invited_to_an_employer(post_invitation, raps_admin, sponsor):
    response = post_invitation(raps_admin, **supervisor_body(sponsor))

    assert response.status_code == 400
    assert response.json() == {"employer": ["Employer staff are invited to an employer."]}
    assert_nothing_written()


def test_unknown_role_is_refused(post_invitation, raps_admin, sponsor, employer_a):
    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_a, role="owner"))

    assert response.status_code == 400
    assert list(response.json()) == ["role"]
    assert_nothing_written()


def test_bad_email_is_refused(post_invitation, raps_admin, sponsor, employer_a):
    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_a, email="not-an-address"))

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert_nothing_written()


# --- one open invitation, nobody twice --------------------------------------------------------


def test_duplicate_open_invitation_is_refused(post_invitation, raps_admin, sponsor, employer_a):
    assert post_invitation(raps_admin, **supervisor_body(sponsor, employer_a)).status_code == 201

    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_a, email="NEW@Example.org"))

    assert response.status_code == 400
    assert response.json() == {"email": ["An open invitation for this address exists: revoke it first."]}
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_duplicate_for_the_same_sponsor_is_refused_whoever_sent_the_first(
    post_invitation, raps_admin, employer_a_admin, sponsor, employer_a
):
    first = post_invitation(employer_a_admin, **supervisor_body(sponsor, employer_a, role="employer_admin"))
    assert first.status_code == 201

    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_a))

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert Invitation.objects.count() == 1


def test_same_address_may_be_invited_to_another_employer(post_invitation, raps_admin, sponsor, employer_a, employer_b):
    assert post_invitation(raps_admin, **supervisor_body(sponsor, employer_a)).status_code == 201

    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_b))

    assert response.status_code == 201
    assert Invitation.objects.count() == 2


def test_reinviting_after_revoke_is_allowed(post_invitation, invite, raps_admin, sponsor, employer_a):
    invitation, _token = invite()
    invitation.revoked_at = timezone.now()
    invitation.save()

    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_a))

    assert response.status_code == 201
    assert Invitation.objects.count() == 2


def test_an_expired_invitation_still_blocks_a_new_one_until_revoked(
    post_invitation, invite, raps_admin, sponsor, employer_a
):
    invitation, _token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))

    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_a))

    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_inviting_an_existing_member_is_refused(
    post_invitation, raps_admin, sponsor, employer_a, employer_a_supervisor
):
    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_a, email="Supervisor.A@example.org"))

    assert response.status_code == 400
    assert response.json() == {"email": ["This person is already a member of this employer."]}
    assert_nothing_written()


def test_inviting_an_existing_raps_admin_again_is_refused(post_invitation, raps_admin, sponsor):
    response = post_invitation(
        raps_admin, **supervisor_body(sponsor, email="raps.admin@example.org", role="raps_admin")
    )

    assert response.status_code == 400
    assert response.json() == {"email": ["This person is already a member of this sponsor."]}
    assert_nothing_written()


def test_member_of_one_employer_may_be_invited_to_another(
    post_invitation, raps_admin, sponsor, employer_b, employer_a_supervisor
):
    response = post_invitation(raps_admin, **supervisor_body(sponsor, employer_b, email="supervisor.a@example.org"))

    assert response.status_code == 201
