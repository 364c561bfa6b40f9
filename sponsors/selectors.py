"""Reads of sponsors, employers, memberships and invitations, always within a caller's scope."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from portal.tenancy import OrganizationRole, Scope, scoped_or_400

from .models import Employer, Invitation, InvitationStatus, Membership, MembershipRole, Participation, Sponsor


def caller_scope(*, user) -> Scope:
    """The caller's memberships as a Scope, in one query: a row per membership and, for an
    employer's, per sponsor the employer takes part in."""
    rows = (
        Membership.objects.filter(user=user)
        .values_list("sponsor_id", "sponsor__name", "employer_id", "employer__name", "role")
        .annotate(partner=F("employer__participations__sponsor_id"))
        .order_by("created_at")
    )
    roles, admin_sponsors, staff_employers, admin_employers, partner_sponsors = {}, set(), set(), set(), set()
    for sponsor_id, sponsor_name, employer_id, employer_name, role, partner in rows:
        if sponsor_id:
            admin_sponsors.add(sponsor_id)
            roles.setdefault((sponsor_id, role), OrganizationRole(sponsor_id, sponsor_name, "sponsor", role))
            continue
        staff_employers.add(employer_id)
        if role == MembershipRole.EMPLOYER_ADMIN:
            admin_employers.add(employer_id)
        roles.setdefault((employer_id, role), OrganizationRole(employer_id, employer_name, "employer", role))
        if partner:
            partner_sponsors.add(partner)
    return Scope(
        user_id=user.pk,
        memberships=tuple(roles.values()),
        admin_sponsor_ids=frozenset(admin_sponsors),
        staff_employer_ids=frozenset(staff_employers),
        admin_employer_ids=frozenset(admin_employers),
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
    """RAPS admins: invitations into their sponsor and its employers (also those an employer
    admin sent); employer admins: invitations into their employer."""
    partners = Participation.objects.filter(sponsor_id__in=scope.admin_sponsor_ids).values("employer_id")
    return Invitation.objects.filter(
        Q(sponsor_id__in=scope.admin_sponsor_ids)
        | Q(employer_id__in=partners)
        | Q(employer_id__in=scope.admin_employer_ids)
    ).select_related("sponsor", "employer", "invited_by")


def invitation_filter_by_status(queryset: QuerySet[Invitation], status: str) -> QuerySet[Invitation]:
    now = timezone.now()
    open_ = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    return queryset.filter(
        {
            InvitationStatus.ACCEPTED: Q(accepted_at__isnull=False),
            InvitationStatus.REVOKED: Q(revoked_at__isnull=False),
            InvitationStatus.EXPIRED: open_ & Q(expires_at__lte=now),
            InvitationStatus.PENDING: open_ & Q(expires_at__gt=now),
        }[status]
    )


def raps_admins_of(*, sponsor_id) -> QuerySet:
    """Users who are RAPS administrators of the sponsor (recipients of its notifications), as a
    query: `notify` reads them with their preferences in one."""
    return get_user_model().objects.filter(memberships__sponsor_id=sponsor_id)


def employer_staff_of(*, employer_id) -> QuerySet:
    """Users who are staff (admins and supervisors) of the employer, as a query (as above)."""
    return get_user_model().objects.filter(memberships__employer_id=employer_id)


def sponsor_acted_for(*, scope: Scope, sponsor_id=None) -> Sponsor:
    """The sponsor a RAPS admin writes for: the one named, or their only one. 400 on `sponsor`
    when it is not one of theirs or an admin of several names none."""
    if sponsor_id is None and len(scope.admin_sponsor_ids) == 1:
        sponsor_id = next(iter(scope.admin_sponsor_ids))
    if sponsor_id is None:
        raise ValidationError({"sponsor": ["Name the sponsor: you administer several."]})
    return scoped_or_400(Sponsor.objects.filter(id__in=scope.admin_sponsor_ids), sponsor_id, "sponsor")
