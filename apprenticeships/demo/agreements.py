"""Demo data of the agreement, signed online (services/signatures.py): how the demo's parties
sign, and an agreement waiting for the employer administrator's signature."""

from portal.demo import demo_loader
from sponsors.demo import demo_sponsor

from ..selectors import caller_scope

# A documentation address (RFC 5737) and a user agent that says what signed.
DEMO_SIGNER_ADDRESS = "198.51.100.7"
DEMO_USER_AGENT = "demo data"


def demo_employer_admin(employer):
    """The employer's administrator, who signs its agreements: employer A's demo account, or for
    the other demo employers one made here (`admin.<EIN digits>@demo.example`)."""
    from portal.demo import demo_user, get_or_create
    from sponsors.models import Membership

    membership = (
        Membership.objects.filter(employer=employer, role="employer_admin")
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    if membership is not None:
        return membership.user
    digits = "".join(character for character in employer.ein if character.isdigit()) or str(employer.pk)[:8]
    user = demo_user(f"admin.{digits}@demo.example", f"{employer.name.split()[0]} Administrator")
    get_or_create(Membership, {"user": user, "employer": employer}, {"role": "employer_admin"})
    return user


def demo_sign(apprenticeship, *, roles=("apprentice", "employer", "sponsor"), raps_admin=None) -> None:
    """The parties named by `roles` sign the apprenticeship's agreement as its current version
    is, as each would in the portal (the demo's RAPS admin for the sponsor)."""
    from sponsors.models import Membership

    from ..services import agreement_current, agreement_sign

    if raps_admin is None:
        membership = Membership.objects.filter(sponsor=demo_sponsor(), role="raps_admin").select_related("user").first()
        assert membership is not None, "the sponsors' demo data has its RAPS admin"
        raps_admin = membership.user
    signers = {
        "apprentice": apprenticeship.apprentice,
        "employer": demo_employer_admin(apprenticeship.employer),
        "sponsor": raps_admin,
    }
    for role in roles:
        user = signers[role]
        agreement_sign(
            scope=caller_scope(user=user),
            apprenticeship=apprenticeship,
            signer=user,
            typed_name=user.full_name,
            consent=True,
            sha256=agreement_current(apprenticeship, by=user).sha256,
            role=role,
            ip_address=DEMO_SIGNER_ADDRESS,
            user_agent=DEMO_USER_AGENT,
        )


# 37: after Rosa Delgado's credit evidence (36), before the priority populations (38), as when
# the three shared order 36 in one module; distinct numbers keep that order now that they are in three.
@demo_loader(order=37)
def load_agreement_awaiting_the_employer():
    """A registered apprentice at employer A whose agreement the apprentice and the RAPS admin
    signed: it waits for the employer administrator's signature (the demo's employer admin can
    sign it). Every apprenticeship the demo activated has its agreement signed by all three."""
    from sponsors.demo import demo_employers

    from ..models import AgreementSignature, Apprenticeship, ApprenticeshipStatus

    registered = Apprenticeship.objects.filter(
        program__sponsor=demo_sponsor(), status=ApprenticeshipStatus.REGISTERED
    ).select_related("employer", "apprentice", "program")
    # At employer A if one is there: its administrator is a demo account that signs in.
    waiting = (
        registered.filter(employer=demo_employers()[0]).order_by("apprentice__email").first()
        or registered.order_by("apprentice__email").first()
    )
    if waiting is None:
        return []
    if not AgreementSignature.objects.filter(version__apprenticeship=waiting).exists():  # not loaded before
        demo_sign(waiting, roles=("apprentice", "sponsor"))
    from portal.demo import DemoAccount

    admin = demo_employer_admin(waiting.employer)
    return [DemoAccount(admin.email, f"employer administrator at {waiting.employer.name}: an agreement awaits you")]
