"""Reading and revoking invitations: GET /api/v1/invitations/, GET {id}/, POST {id}/revoke/."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.delivery import notification_send_email
from notifications.models import Notification
from sponsors.models import Invitation
from tests import factories
from tests.invitations.helpers import INVITATIONS


def revoke(client, invitation):
    return client.post(f"{INVITATIONS}{invitation.id}/revoke/")


def mark_accepted(invitation, user):
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now(), accepted_by=user)


def mark_expired(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


def listed_emails(response) -> set[str]:
    assert response.status_code == 200
    return {row["email"] for row in response.json()["results"]}


# --- revoke -----------------------------------------------------------------------------------


def test_raps_admin_revokes_a_pending_invitation(invite, client_for, raps_admin):
    invitation, _token = invite()

    response = revoke(client_for(raps_admin), invitation)

    assert response.status_code == 200
    assert response.json()["id"] == str(invitation.id)
    assert response.json()["status"] == "revoked"
    assert response.json()["revoked_at"] is not None
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.accepted_at is None
    newest = invitation.history.first()
    assert (newest.history_change_reason, newest.history_user_id) == ("revoked", raps_admin.id)


def test_revoking_twice_conflicts(invite, client_for, raps_admin):
    invitation, _token = invite()
    client = client_for(raps_admin)
    assert revoke(client, invitation).status_code == 200
    revoked_at = Invitation.objects.get(pk=invitation.pk).revoked_at

    response = revoke(client, invitation)

    assert response.status_code == 409
    assert response.json() == {"detail": "This invitation is already revoked."}
    assert Invitation.objects.get(pk=invitation.pk).revoked_at == revoked_at


def test_revoking_an_accepted_invitation_conflicts(invite, client_for, raps_admin, outsider):
    invitation, _token = invite()
    mark_accepted(invitation, outsider)

    response = revoke(client_for(raps_admin), invitation)

    assert response.status_code == 409
    assert response.json() == {"detail": "This invitation is already accepted."}
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_revoking_an_expired_invitation_closes_it(invite, client_for, raps_admin):
    # An expired invitation still blocks a new one for the same address: revoking clears the way.
    invitation, _token = invite()
    mark_expired(invitation)

    response = revoke(client_for(raps_admin), invitation)

    assert response.status_code == 200
    assert response.json()["status"] == "revoked"


def test_employer_admin_revokes_an_invitation_to_its_employer(invite, client_for, employer_a_admin):
    invitation, _token = invite(by=employer_a_admin, sponsor=None)

    response = revoke(client_for(employer_a_admin), invitation)

    assert response.status_code == 200
    assert response.json()["status"] == "revoked"


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "employer_a_supervisor", "outsider"])
def test_invitation_outside_the_callers_scope_is_not_found(invite, client_for, persona, request):
    invitation, _token = invite()
    client = client_for(request.getfixturevalue(persona))

    assert client.get(f"{INVITATIONS}{invitation.id}/").status_code == 404
    assert revoke(client, invitation).status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_anonymous_cannot_revoke(invite, anonymous_client):
    invitation, _token = invite()

    assert revoke(anonymous_client, invitation).status_code == 401
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_revoked_before_the_email_leaves_sends_nothing(invite, client_for, raps_admin):
    # The e-mail task runs after commit (or later, on a worker): it must not send a dead link.
    invitation, _token = invite()
    revoke(client_for(raps_admin), invitation)
    notification = Notification.objects.get(event="invitation", subject_id=str(invitation.pk))

    assert notification_send_email(notification_id=notification.pk) == "withdrawn"

    assert mail.outbox == []


# --- read one ---------------------------------------------------------------------------------


def test_raps_admin_reads_an_invitation(invite, client_for, raps_admin, sponsor, employer_a):
    invitation, _token = invite()

    response = client_for(raps_admin).get(f"{INVITATIONS}{invitation.id}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["email"], body["role"], body["status"]) == ("new@example.org", "supervisor", "pending")
    assert (body["sponsor"], body["employer"]) == (str(sponsor.id), str(employer_a.id))
    assert "token_hash" not in body


def test_employer_admin_reads_an_invitation_the_raps_admin_sent_to_its_employer(invite, client_for, employer_a_admin):
    invitation, _token = invite()

    response = client_for(employer_a_admin).get(f"{INVITATIONS}{invitation.id}/")

    assert response.status_code == 200
    assert response.json()["invited_by"]["name"] == "Rae Admin"


# --- list -------------------------------------------------------------------------------------


@pytest.fixture
def invitations_everywhere(
    invite, sponsor, employer_a, employer_b, employer_a_admin, other_raps_admin, other_sponsor, employer_c
):
    """One invitation per place: the sponsor's (to A, to B, to the sponsor itself), employer A
    admin's own, and the other sponsor's."""
    invite(email="supervisor-for-a@example.org")
    invite(email="apprentice-for-b@example.org", role="apprentice", employer=employer_b)
    invite(email="raps-admin@example.org", role="raps_admin")
    invite(email="sent-by-a-admin@example.org", by=employer_a_admin, sponsor=None, employer=employer_a)
    invite(email="other-sponsor@example.org", by=other_raps_admin, sponsor=other_sponsor, employer=employer_c)


def test_raps_admin_lists_its_sponsors_invitations(invitations_everywhere, client_for, raps_admin):
    response = client_for(raps_admin).get(INVITATIONS)

    # Not the one employer A's admin sent for the employer's own staff: that one is the employer's,
    # and an employer may take part in other sponsors' programs too.
    assert listed_emails(response) == {
        "supervisor-for-a@example.org",
        "apprentice-for-b@example.org",
        "raps-admin@example.org",
    }
    assert response.json()["count"] == 3


def test_employer_admin_lists_its_employers_invitations(invitations_everywhere, client_for, employer_a_admin):
    response = client_for(employer_a_admin).get(INVITATIONS)

    assert listed_emails(response) == {"supervisor-for-a@example.org", "sent-by-a-admin@example.org"}


def test_other_raps_admin_sees_none_of_the_sponsors_invitations(invitations_everywhere, client_for, other_raps_admin):
    response = client_for(other_raps_admin).get(INVITATIONS)

    assert listed_emails(response) == {"other-sponsor@example.org"}


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "employer_b_supervisor", "outsider"])
def test_callers_who_do_not_invite_list_nothing(invitations_everywhere, client_for, persona, request):
    response = client_for(request.getfixturevalue(persona)).get(INVITATIONS)

    assert listed_emails(response) == set()
    assert response.json()["count"] == 0


def test_anonymous_cannot_list(invitations_everywhere, anonymous_client):
    assert anonymous_client.get(INVITATIONS).status_code == 401


def test_list_is_newest_first(invite, client_for, raps_admin):
    first, _ = invite(email="first@example.org")
    second, _ = invite(email="second@example.org")
    Invitation.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=1))

    rows = client_for(raps_admin).get(INVITATIONS).json()["results"]

    assert [row["email"] for row in rows] == ["second@example.org", "first@example.org"]


@pytest.fixture
def one_of_each_status(invite, outsider):
    pending, _ = invite(email="pending@example.org")
    accepted, _ = invite(email="accepted@example.org")
    mark_accepted(accepted, outsider)
    revoked, _ = invite(email="revoked@example.org")
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    expired, _ = invite(email="expired@example.org")
    mark_expired(expired)
    return {"pending": pending, "accepted": accepted, "revoked": revoked, "expired": expired}


@pytest.mark.parametrize("status", ["pending", "accepted", "revoked", "expired"])
def test_status_filter_lists_only_that_status(one_of_each_status, client_for, raps_admin, status):
    response = client_for(raps_admin).get(INVITATIONS, {"status": status})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["email"], row["status"]) for row in rows] == [(f"{status}@example.org", status)]


def test_list_without_status_filter_shows_every_status(one_of_each_status, client_for, raps_admin):
    rows = client_for(raps_admin).get(INVITATIONS).json()["results"]

    assert {row["email"]: row["status"] for row in rows} == {
        f"{status}@example.org": status for status in ("pending", "accepted", "revoked", "expired")
    }


def test_bad_status_filter_is_refused(client_for, raps_admin):
    response = client_for(raps_admin).get(INVITATIONS, {"status": "open"})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_an_employers_own_invitation_neither_blocks_nor_shows_to_a_sponsor(
    invite, client_for, raps_admin, employer_a_admin, sponsor, employer_a
):
    employers_own, _token = invite(by=employer_a_admin, sponsor=None)
    client = client_for(raps_admin)
    body = {
        "email": "new@example.org",
        "role": "supervisor",
        "sponsor": str(sponsor.id),
        "employer": str(employer_a.id),
    }

    assert client.post(INVITATIONS, body, format="json").status_code == 201
    assert revoke(client, employers_own).status_code == 404
    employers_own.refresh_from_db()
    assert employers_own.revoked_at is None


# --- query count ------------------------------------------------------------------------------


def test_list_query_count_does_not_grow_with_the_rows(client_for, raps_admin, sponsor, employer_a):
    client = client_for(raps_admin)

    def list_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INVITATIONS)
        assert response.status_code == 200
        return response.json()["count"], [re.search(r'FROM "(\w+)"', query["sql"])[1] for query in queries]

    # Each invitation has its own inviter, so an unjoined invited_by would show as N queries.
    factories.InvitationFactory(sponsor=sponsor, employer=employer_a)
    count_one, tables_one = list_queries()
    factories.InvitationFactory.create_batch(49, sponsor=sponsor, employer=employer_a)
    count_fifty, tables_fifty = list_queries()

    assert (count_one, count_fifty) == (1, 50)
    assert tables_one == tables_fifty
    assert tables_fifty == [
        "django_session",  # the session of the cookie (SessionAuthentication)
        "portal_user",  # the user of that session
        "sponsors_membership",  # the caller's memberships, joined to sponsor and employer (scope)
        "apprenticeships_apprenticeship",  # the caller's own apprenticeships (scope)
        "sponsors_invitation",  # COUNT(*) of the scoped invitations (pagination)
        "sponsors_invitation",  # the page, joined to sponsor, employer and invited_by
    ]
