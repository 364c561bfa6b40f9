"""Invitations raced: one link accepted ten times at once makes one account and one membership;
one address invited five times at once to one employer leaves one open invitation. The others
get the 400 the sequential check gives (`invitation_one_open_per_email_employer`,
`membership_user_employer_unique` and `user_email_ci_unique` hold the rules)."""

import pytest
from rest_framework.test import APIClient

from apprenticeships.selectors import caller_scope
from portal.models import User
from sponsors import services
from sponsors.models import Invitation, Membership
from sponsors.services import INVITATION_OPEN
from tests.invitations.helpers import ACCEPT, INVITATIONS, NEW_PASSWORD
from tests.races.helpers import at_once, statuses

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "raced@example.org"


def test_one_invitation_accepted_ten_times_at_once_makes_one_account_and_one_membership(
    raps_admin, sponsor, employer_a
):
    invitation, token = services.invitation_create(
        scope=caller_scope(user=raps_admin),
        invited_by=raps_admin,
        email=EMAIL,
        role="supervisor",
        sponsor_id=sponsor.pk,
        employer_id=employer_a.pk,
    )
    clients = [APIClient() for _ in range(10)]

    responses = at_once(
        *(
            lambda client=client: client.post(ACCEPT, {"token": token, "password": NEW_PASSWORD}, format="json")
            for client in clients
        )
    )

    assert statuses(responses) == [200] + [400] * 9, [r.content for r in responses]
    for refused in (response for response in responses if response.status_code == 400):
        assert refused.json() == {"token": ["This invitation has already been used."]}
    assert User.objects.filter(email=EMAIL).count() == 1
    assert Membership.objects.filter(user__email=EMAIL, employer=employer_a).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == User.objects.get(email=EMAIL)


def test_one_address_invited_five_times_at_once_to_one_employer_leaves_one_open_invitation(
    client_for, raps_admin, sponsor, employer_a
):
    clients = [client_for(raps_admin) for _ in range(5)]
    body = {"email": EMAIL, "role": "supervisor", "sponsor": str(sponsor.id), "employer": str(employer_a.id)}

    responses = at_once(*(lambda client=client: client.post(INVITATIONS, body, format="json") for client in clients))

    assert statuses(responses) == [201] + [400] * 4, [r.content for r in responses]
    for refused in (response for response in responses if response.status_code == 400):
        assert refused.json() == {"email": [INVITATION_OPEN]}
    assert Invitation.objects.filter(email=EMAIL, accepted_at__isnull=True, revoked_at__isnull=True).count() == 1
