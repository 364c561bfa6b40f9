"""One world with every persona and one record of each kind per organization, so that each
scope test can say, for each persona, exactly which records it sees."""

import pytest

from tests import factories

PERSONAS = [
    "raps_admin",
    "employer_a_admin",
    "employer_a_supervisor",
    "employer_b_supervisor",
    "apprentice",
    "other_raps_admin",
    "outsider",
    "platform_staff",
]


@pytest.fixture
def world(
    request,
    sponsor,
    other_sponsor,
    employer_a,
    employer_b,
    employer_c,
    raps_admin,
    employer_a_admin,
    employer_a_supervisor,
    employer_b_supervisor,
    apprentice,
    other_raps_admin,
    outsider,
    platform_staff,
):
    """Records by name. Invitations, as the services create them:

    - sponsor_admin: a RAPS admin invited to the sponsor (by its RAPS admin);
    - employer_a_staff: a supervisor invited to employer A by A's admin (no sponsor);
    - employer_b_staff: a supervisor invited to employer B by the sponsor's RAPS admin;
    - apprentice_at_a: the apprentice persona invited by the sponsor to employer A;
    - other_sponsor_admin, employer_c_staff: the same within the other sponsor.
    """
    invitation = factories.InvitationFactory
    return {
        "sponsor": sponsor,
        "other_sponsor": other_sponsor,
        "employer_a": employer_a,
        "employer_b": employer_b,
        "employer_c": employer_c,
        "sponsor_admin": invitation(role="raps_admin", sponsor=sponsor, invited_by=raps_admin),
        "employer_a_staff": invitation(role="supervisor", employer=employer_a, invited_by=employer_a_admin),
        "employer_b_staff": invitation(role="supervisor", sponsor=sponsor, employer=employer_b, invited_by=raps_admin),
        "apprentice_at_a": invitation(
            role="apprentice", email=apprentice.email, sponsor=sponsor, employer=employer_a, invited_by=raps_admin
        ),
        "other_sponsor_admin": invitation(role="raps_admin", sponsor=other_sponsor, invited_by=other_raps_admin),
        "employer_c_staff": invitation(
            role="supervisor", sponsor=other_sponsor, employer=employer_c, invited_by=other_raps_admin
        ),
    }
