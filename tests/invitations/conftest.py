import pytest

from sponsors import services
from sponsors.selectors import caller_scope

_UNSET = object()


@pytest.fixture
def invite(raps_admin, sponsor, employer_a):
    """Invite through the service, as the RAPS admin by default: returns (invitation, token).

    The service is the only place besides the e-mail that ever holds the token.
    """

    def make(email="new@example.org", role="supervisor", *, by=None, sponsor=_UNSET, employer=_UNSET):
        by = by or raps_admin
        if sponsor is _UNSET:
            sponsor = default_sponsor
        if employer is _UNSET:
            employer = None if role == "raps_admin" else employer_a
        return services.invitation_create(
            scope=caller_scope(user=by),
            invited_by=by,
            email=email,
            role=role,
            sponsor_id=sponsor.pk if sponsor else None,
            employer_id=employer.pk if employer else None,
        )

    default_sponsor = sponsor
    return make
