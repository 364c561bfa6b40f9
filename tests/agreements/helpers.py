"""Signing an apprenticeship's agreement in a test's set-up: an apprenticeship becomes active only
under an agreement signed by the apprentice, an employer administrator and a RAPS administrator."""

from apprenticeships.models import Apprenticeship
from apprenticeships.selectors import caller_scope
from apprenticeships.services import agreement_current, agreement_sign
from portal.models import User
from sponsors.models import Membership
from tests import factories


def _admin_of(apprenticeship: Apprenticeship, role: str) -> User:
    if role == "raps_admin":
        where = {"sponsor_id": apprenticeship.program.sponsor_id}
    else:
        where = {"employer_id": apprenticeship.employer_id, "limited_to_sponsor__isnull": True}
    membership = Membership.objects.filter(role=role, **where).select_related("user").order_by("created_at").first()
    if membership is not None:
        return membership.user
    user = factories.UserFactory(full_name=f"Signing {role.replace('_', ' ')}")
    factories.MembershipFactory(user=user, role=role, **{key: value for key, value in where.items() if "__" not in key})
    return user


def sign_as(apprenticeship: Apprenticeship, user: User, role: str | None = None):
    """`user` signs the current version, as a client would (the SHA-256 of what they read)."""
    version = agreement_current(apprenticeship)
    return agreement_sign(
        scope=caller_scope(user=user),
        apprenticeship=apprenticeship,
        signer=user,
        typed_name=user.full_name or "Signer",
        consent=True,
        sha256=version.sha256,
        role=role,
        ip_address="192.0.2.10",
        user_agent="pytest",
    )


def sign_agreement(
    apprenticeship: Apprenticeship, *, employer_admin: User | None = None, raps_admin: User | None = None
):
    """The three sign the agreement (the sponsor's and the employer's first administrators, made
    if there is none), so that the apprenticeship may be activated."""
    apprenticeship = Apprenticeship.objects.select_related("program", "apprentice").get(pk=apprenticeship.pk)
    sign_as(apprenticeship, apprenticeship.apprentice, "apprentice")
    sign_as(apprenticeship, employer_admin or _admin_of(apprenticeship, "employer_admin"), "employer")
    return sign_as(apprenticeship, raps_admin or _admin_of(apprenticeship, "raps_admin"), "sponsor")
