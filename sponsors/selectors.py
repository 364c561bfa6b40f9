"""Reads of sponsors, employers, memberships and invitations, always within a caller's scope."""

from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.tenancy import OrganizationRole, Scope, StaffGrant, any_of, scoped_or_400, staff_grants_filter

from .models import Employer, Invitation, InvitationStatus, Membership, MembershipRole, Participation, Sponsor


def caller_scope(*, user: User) -> Scope:
    """The caller's memberships as a Scope, in one query: a row per membership and, for an
    employer's, per sponsor the employer takes part in.

    A grant limited to a sponsor at an employer that takes part in that sponsor's programs only
    is held as employer-wide: it opens the same records, and the scope filters stay the simple
    ones (docs/security.md)."""
    rows = (
        Membership.objects.filter(user=user)
        .values_list(
            "id", "sponsor_id", "sponsor__name", "employer_id", "employer__name", "role", "limited_to_sponsor_id"
        )
        .annotate(partner=F("employer__participations__sponsor_id"))
        .order_by("created_at", "id")
    )
    roles: dict[tuple[UUID, str], OrganizationRole] = {}
    admin_sponsors: set[UUID] = set()
    employer_memberships: dict[UUID, tuple[UUID, str, UUID | None, set[UUID]]] = {}
    for membership_id, sponsor_id, sponsor_name, employer_id, employer_name, role, limited_to, partner in rows:
        if sponsor_id:
            admin_sponsors.add(sponsor_id)
            roles.setdefault((sponsor_id, role), OrganizationRole(sponsor_id, sponsor_name, "sponsor", role))
            continue
        roles.setdefault((employer_id, role), OrganizationRole(employer_id, employer_name, "employer", role))
        _, _, _, partners = employer_memberships.setdefault(membership_id, (employer_id, role, limited_to, set()))
        if partner:
            partners.add(partner)

    staff_grants: set[StaffGrant] = set()
    admin_grants: set[StaffGrant] = set()
    partner_sponsors: set[UUID] = set()
    for employer_id, role, limited_to, partners in employer_memberships.values():
        if limited_to is None or partners <= {limited_to}:
            grant: StaffGrant = (employer_id, None)
            partner_sponsors |= partners if limited_to is None else partners & {limited_to}
        else:
            grant = (employer_id, limited_to)
            partner_sponsors |= partners & {limited_to}
        staff_grants.add(grant)
        if role == MembershipRole.EMPLOYER_ADMIN:
            admin_grants.add(grant)
    return Scope(
        user_id=user.pk,
        memberships=tuple(roles.values()),
        admin_sponsor_ids=frozenset(admin_sponsors),
        staff_grants=frozenset(staff_grants),
        admin_grants=frozenset(admin_grants),
        partner_sponsor_ids=frozenset(partner_sponsors),
        is_platform_staff=bool(getattr(user, "is_staff", False)),
    )


def sponsor_list(*, scope: Scope) -> QuerySet[Sponsor]:
    """Sponsors the caller is a member of: as RAPS admin, or through an employer taking part."""
    return Sponsor.objects.filter(id__in=scope.member_sponsor_ids)


def employer_list(*, scope: Scope) -> QuerySet[Employer]:
    """Employers in the caller's sponsors' programs (RAPS admins), or the caller's own employers."""
    partners = Participation.objects.filter(sponsor_id__in=scope.admin_sponsor_ids).values("employer_id")
    return Employer.objects.filter(Q(id__in=scope.staff_employer_ids) | Q(id__in=partners))


def invitation_list(*, scope: Scope) -> QuerySet[Invitation]:
    """RAPS admins: the invitations made for their sponsor (into it, or into one of its
    employers for its programs); employer admins: invitations into their employer, within their
    grant. An employer shared by several sponsors shows each sponsor only its own invitations."""
    return Invitation.objects.filter(
        any_of(
            scope.admin_sponsor_ids and Q(sponsor_id__in=scope.admin_sponsor_ids),
            scope.admin_grants
            and staff_grants_filter(scope.admin_grants, employer_field="employer_id", sponsor_field="sponsor_id"),
        )
    ).select_related("sponsor", "employer", "invited_by")


def invitation_filter_by_status(queryset: QuerySet[Invitation], status: str) -> QuerySet[Invitation]:
    now = timezone.now()
    open_ = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    # Keyed by the statuses' values: `status` is the value a filter read.
    by_status: dict[str, Q] = {
        InvitationStatus.ACCEPTED: Q(accepted_at__isnull=False),
        InvitationStatus.REVOKED: Q(revoked_at__isnull=False),
        InvitationStatus.EXPIRED: open_ & Q(expires_at__lte=now),
        InvitationStatus.PENDING: open_ & Q(expires_at__gt=now),
    }
    return queryset.filter(by_status[status])


def raps_admins_of(*, sponsor_id) -> QuerySet:
    """Users who are RAPS administrators of the sponsor (recipients of its notifications), as a
    query: `notify` reads them with their preferences in one."""
    return get_user_model().objects.filter(memberships__sponsor_id=sponsor_id)


def employer_staff_of(*, employer_id, sponsor_id) -> QuerySet:
    """Users who are staff (admins and supervisors) of the employer for the sponsor's programs,
    as a query (as above)."""
    return (
        get_user_model()
        .objects.filter(staff_membership_filter(employer_id=employer_id, sponsor_id=sponsor_id))
        .distinct()
    )


def staff_membership_filter(*, employer_id, sponsor_id, prefix: str = "memberships__") -> Q:
    """Memberships of the employer's staff whose grant covers the sponsor's programs."""
    return Q(**{f"{prefix}employer_id": employer_id}) & (
        Q(**{f"{prefix}limited_to_sponsor__isnull": True}) | Q(**{f"{prefix}limited_to_sponsor_id": sponsor_id})
    )


def sponsor_acted_for(*, scope: Scope, sponsor_id: UUID | None = None) -> Sponsor:
    """The sponsor a RAPS admin writes for: the one named, or their only one. 400 on `sponsor`
    when it is not one of theirs or an admin of several names none."""
    if sponsor_id is None and len(scope.admin_sponsor_ids) == 1:
        sponsor_id = next(iter(scope.admin_sponsor_ids))
    if sponsor_id is None:
        raise ValidationError({"sponsor": [_("Name the sponsor: you administer several.")]})
    return scoped_or_400(Sponsor.objects.filter(id__in=scope.admin_sponsor_ids), sponsor_id, "sponsor")
