"""Writes of the sponsors app: sponsors, employers, and invitations into them."""

import hashlib
from datetime import date
from functools import partial
from uuid import UUID

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from notifications.delivery import SIGNED_LINK
from notifications.models import Event
from notifications.services import Message, notify_address
from portal.constraints import refused_as
from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.i18n import current_language, in_words
from portal.models import User
from portal.tenancy import Role, Scope, scoped_or_400

from .models import (
    EMPLOYER_ROLES,
    Employer,
    Invitation,
    InvitationStatus,
    Membership,
    Participation,
    Sponsor,
)
from .selectors import employer_list, sponsor_acted_for, sponsor_list, staff_membership_filter


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token(invitation_id: UUID) -> str:
    """The invitation link's token: derived from the invitation's id and SECRET_KEY, so the
    e-mail can be written whenever it leaves without the token being stored anywhere (only its
    hash, to find the invitation by). Unforgeable without SECRET_KEY; single use, expiry and
    revocation are the invitation's own state."""
    return salted_hmac("portal.invitation", str(invitation_id), algorithm="sha256").hexdigest()


def invitation_link(invitation_id: UUID | str) -> str | None:
    """The link of an open invitation's e-mail, as it leaves (NOTIFICATION_LINK_SIGNERS); None
    once it is accepted, revoked or expired: the e-mail is not sent. After SECRET_KEY was rotated
    the token is derived anew and its hash follows, so the link sent always works."""
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None or invitation.status_at(timezone.now()) != InvitationStatus.PENDING:
        return None
    token = _token(invitation.pk)
    if invitation.token_hash != _token_hash(token):
        invitation.token_hash = _token_hash(token)
        with_reason(invitation, "link re-derived after a key rotation").save(update_fields=["token_hash", "updated_at"])
    return f"{settings.FRONTEND_URL}/invitations/accept?token={token}"


def _invitation_message(invitation: Invitation) -> Message:
    """The invitation e-mail, in the active language (notify_address: the inviting request's)."""
    organization = invitation.organization
    inviter = invitation.invited_by.display_name
    local = timezone.localtime(invitation.expires_at)
    # Translators: a Django date format, a day and a time of day with its time zone.
    expires = formats.date_format(local, pgettext("expiry format", r"F d, Y \a\t H:i T"))
    figures = {"inviter": inviter, "organization": organization, "role": invitation.get_role_display()}
    lines = [
        _("%(inviter)s invites you to join %(organization)s on the apprenticeship portal as %(role)s.") % figures,
        _("Accept the invitation here:"),
    ]
    expiry = _("The link works once and expires on %(expires)s.") % {"expires": expires}
    return Message(
        title=_("%(inviter)s invites you to join %(organization)s") % figures,
        body=_("Hello,") + "\n\n" + "\n\n".join(lines) + f"\n{SIGNED_LINK}\n\n{expiry}\n",
        body_html="".join(f"<p>{escape(line)}</p>" for line in lines)
        + f'<p><a href="{SIGNED_LINK}">{SIGNED_LINK}</a></p><p>{escape(expiry)}</p>',
        link=f"{settings.FRONTEND_URL}/invitations/accept",
    )


def _check_may_invite(*, scope: Scope, role: str, sponsor: Sponsor | None, employer: Employer | None) -> None:
    """RAPS admins invite anyone into their sponsor and, for its programs, into its employers;
    employer admins invite their own staff, within their own grant; nobody else invites."""
    if sponsor is not None and scope.is_raps_admin(sponsor.id):
        if employer is not None and not Participation.objects.filter(sponsor=sponsor, employer=employer).exists():
            raise ValidationError({"employer": [_("This employer does not take part in your sponsor's programs.")]})
        return
    if employer is not None and scope.is_employer_admin(employer.id, sponsor.id if sponsor else None):
        if role not in (Role.EMPLOYER_ADMIN, Role.SUPERVISOR):
            raise ValidationError({"role": [_("An employer administrator invites only its own staff.")]})
        return
    raise ValidationError({"role": [_("You may not invite anyone with this role into this organization.")]})


def _grant_of_employer_admin(*, scope: Scope, employer: Employer) -> Sponsor | None:
    """The sponsor an employer admin limited to one sponsor's programs invites for: their own
    limit (staff they invite can see no more than they do)."""
    if scope.is_employer_admin(employer.id, None):
        return None
    limits = [
        sponsor_id
        for employer_id, sponsor_id in scope.admin_grants
        if employer_id == employer.id and sponsor_id is not None  # None: not limited, returned above
    ]
    return Sponsor.objects.get(pk=limits[0]) if len(limits) == 1 else None


def check_may_invite(*, scope: Scope) -> None:
    """Forbidden to anyone who may invite nobody: the API asks before it reads the body, so that
    such a caller is refused, not coached."""
    if not (scope.admin_sponsor_ids or scope.admin_employer_ids):
        raise Forbidden(_("Only RAPS administrators and employer administrators invite."))


INVITATION_OPEN = gettext_lazy("An open invitation for this address exists: revoke it first.")
_INVITATION_REFUSALS = {
    name: lambda: ValidationError({"email": [INVITATION_OPEN]})
    for name in ("invitation_one_open_per_email_employer", "invitation_one_open_per_email_sponsor")
}


def invitation_create(
    *, scope: Scope, invited_by: User, email: str, role: str, sponsor_id=None, employer_id=None
) -> tuple[Invitation, str]:
    """Invite `email` with `role` into the sponsor and/or the employer named by id (looked up
    within the caller's scope); the e-mail with the single-use link leaves once committed.

    Employer staff invited for a sponsor (by its RAPS admin, or by an employer admin limited to
    it) work on that sponsor's apprenticeships only (docs/security.md).

    Returns the invitation and its token (the only copy: only its hash is stored).
    """
    # Before the ids are looked up: someone who may invite nobody learns nothing of them.
    check_may_invite(scope=scope)
    if sponsor_id is None and employer_id is None:
        raise ValidationError({NON_FIELD_ERRORS: [_("Name the sponsor or the employer the person is invited to.")]})
    if role == Role.RAPS_ADMIN and employer_id is not None:
        raise ValidationError({"employer": [_("A RAPS administrator is invited to a sponsor only.")]})
    sponsor = scoped_or_400(sponsor_list(scope=scope), sponsor_id, "sponsor")
    employer = scoped_or_400(employer_list(scope=scope), employer_id, "employer")
    # allauth looks addresses up lower-cased: store them so, or the invitee could never sign in.
    email = email.strip().lower()
    if role in EMPLOYER_ROLES and employer is None:
        raise ValidationError({"employer": [_("Employer staff are invited to an employer.")]})
    if role == Role.APPRENTICE and (sponsor is None or employer is None):
        raise ValidationError({"employer": [_("An apprentice is invited by a sponsor to one of its employers.")]})
    if role in EMPLOYER_ROLES and sponsor is None and employer is not None:
        sponsor = _grant_of_employer_admin(scope=scope, employer=employer)
    _check_may_invite(scope=scope, role=role, sponsor=sponsor, employer=employer)

    member = Membership.objects.filter(user__email__iexact=email)
    if role == Role.RAPS_ADMIN and member.filter(sponsor=sponsor).exists():
        raise ValidationError({"email": [_("This person is already a member of this sponsor.")]})
    if (
        role in EMPLOYER_ROLES
        and employer is not None
        and member.filter(
            staff_membership_filter(employer_id=employer.pk, sponsor_id=sponsor.pk if sponsor else None, prefix="")
        ).exists()
    ):
        raise ValidationError({"email": [_("This person is already a member of this employer.")]})
    open_invitations = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
    duplicate = (
        open_invitations.filter(employer=employer, sponsor=sponsor)
        if employer
        else open_invitations.filter(sponsor=sponsor, employer=None)
    )
    if duplicate.exists():
        raise ValidationError({"email": [INVITATION_OPEN]})

    with transaction.atomic():
        invitation = Invitation(
            email=email,
            role=role,
            sponsor=sponsor,
            employer=employer,
            invited_by=invited_by,
            expires_at=timezone.now() + settings.INVITATION_TTL,
        )
        token = _token(invitation.pk)
        invitation.token_hash = _token_hash(token)
        # Two invitations of one address racing past the check: the constraint refuses the second.
        with refused_as(_INVITATION_REFUSALS):
            with_reason(invitation, "invited").save()
        # Through the notifications outbox: committed with the invitation, sent once, and sent
        # by the sweep if the broker was down.
        notify_address(
            email=email, event=Event.INVITATION, message=partial(_invitation_message, invitation), subject=invitation
        )
    return invitation, token


def invitation_revoke(*, scope: Scope, invitation: Invitation, revoked_by: User) -> Invitation:
    """RAPS admins revoke the invitations made for their sponsor; employer admins those of their
    staff, within their grant."""
    may_revoke = (invitation.sponsor_id is not None and scope.is_raps_admin(invitation.sponsor_id)) or (
        invitation.role in EMPLOYER_ROLES
        and invitation.employer_id is not None
        and scope.is_employer_admin(invitation.employer_id, invitation.sponsor_id)
    )
    if not may_revoke:
        raise Forbidden(_("Only the sponsor's RAPS administrators revoke this invitation."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status_at(timezone.now()) in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
            raise Conflict(
                _("This invitation is already %(status)s.")
                % {"status": in_words(InvitationStatus, invitation.status_at(timezone.now()))}
            )
        invitation.revoked_at = timezone.now()
        with_reason(invitation, "revoked", user=revoked_by).save(update_fields=["revoked_at", "updated_at"])
    return invitation


def invitation_accept(
    *, token: str, user: User | AnonymousUser | None = None, password: str = "", full_name: str = ""
) -> Invitation:
    """Accept an invitation: sign the person up (or attach the signed-in account) and create
    the membership. The token works once, before it expires, and for the invited address only."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("sponsor", "employer")
            .filter(token_hash=_token_hash(token))
            .first()
        )
        if invitation is None:
            raise ValidationError({"token": [_("This invitation link is not valid.")]})
        status = invitation.status_at(timezone.now())
        if status != InvitationStatus.PENDING:
            raise ValidationError(
                {
                    "token": [
                        {
                            InvitationStatus.ACCEPTED: _("This invitation has already been used."),
                            InvitationStatus.REVOKED: _("This invitation was revoked."),
                            InvitationStatus.EXPIRED: _("This invitation has expired: ask for a new one."),
                        }[status]
                    ]
                }
            )

        existing = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None and user.is_authenticated:
            if user.email.lower() != invitation.email.lower():
                raise ValidationError({"token": [_("This invitation is for another e-mail address.")]})
            account = user
        elif existing is not None and existing.has_usable_password():
            raise ValidationError(
                {
                    "token": [
                        _("An account with this e-mail address exists: sign in with it, then accept the invitation.")
                    ]
                }
            )
        else:
            # A new person, or an apprentice whose account the registration created without a
            # password: the invitation is how they set one.
            if not password:
                raise ValidationError({"password": [_("Choose a password to create your account.")]})
            account = existing or User(email=invitation.email)
            account.language = current_language()  # the accepting request's Accept-Language
            if full_name.strip():
                account.full_name = full_name.strip()
            try:
                validate_password(password, user=account)
            except ValidationError as error:
                raise ValidationError({"password": error.messages}) from error
            account.set_password(password)
            with_reason(account, "signed up through an invitation").save()
            # The link reached this address, which verifies it.
            EmailAddress.objects.update_or_create(
                user=account, email=account.email, defaults={"verified": True, "primary": True}
            )

        if invitation.role == Role.RAPS_ADMIN:
            if not Membership.objects.filter(user=account, sponsor=invitation.sponsor).exists():
                with_reason(
                    Membership(user=account, role=invitation.role, sponsor=invitation.sponsor),
                    "accepted invitation",
                    user=account,
                ).save()
        elif invitation.role in EMPLOYER_ROLES:
            covered = Membership.objects.filter(
                staff_membership_filter(
                    employer_id=invitation.employer_id, sponsor_id=invitation.sponsor_id, prefix=""
                ),
                user=account,
            )
            if not covered.exists():
                with_reason(
                    Membership(
                        user=account,
                        role=invitation.role,
                        employer=invitation.employer,
                        limited_to_sponsor=invitation.sponsor,
                    ),
                    "accepted invitation",
                    user=account,
                ).save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = account
        with_reason(invitation, "accepted", user=account).save(
            update_fields=["accepted_at", "accepted_by", "updated_at"]
        )
    return invitation


def sponsor_update(*, scope: Scope, sponsor: Sponsor, changed_by: User, data: dict) -> Sponsor:
    if not scope.is_raps_admin(sponsor.id):
        raise Forbidden(_("Only the sponsor's RAPS administrators change it."))
    with transaction.atomic():
        for field, value in data.items():
            setattr(sponsor, field, value)
        sponsor.full_clean()
        with_reason(sponsor, "updated", user=changed_by).save()
        _refresh_agreements(changed_by=changed_by, program__sponsor=sponsor)
    return sponsor


def check_may_add_employer(*, scope: Scope) -> None:
    """Forbidden to anyone but RAPS administrators: the API asks before it reads the body, so
    that such a caller is refused, not coached."""
    if not scope.admin_sponsor_ids:
        raise Forbidden(_("Only RAPS administrators add employers."))


def employer_create(
    *, scope: Scope, created_by: User, sponsor_id=None, joined_on: date | None = None, **fields
) -> Employer:
    """A new employer, taking part in the programs of the sponsor the RAPS admin writes for
    (`sponsor_id`: needed only by admins of several)."""
    check_may_add_employer(scope=scope)
    sponsor = sponsor_acted_for(scope=scope, sponsor_id=sponsor_id)
    with transaction.atomic():
        employer = Employer(**fields)
        employer.full_clean()
        with_reason(employer, "added to a sponsor's programs", user=created_by).save()
        with_reason(
            Participation(sponsor=sponsor, employer=employer, joined_on=joined_on or timezone.localdate()),
            "joined",
            user=created_by,
        ).save()
    return employer


def employer_update(*, scope: Scope, employer: Employer, changed_by: User, data: dict) -> Employer:
    if not employer.participations.filter(sponsor_id__in=scope.admin_sponsor_ids).exists():
        raise Forbidden(_("Only the RAPS administrators of its sponsor change an employer."))
    changed = {field: value for field, value in data.items() if getattr(employer, field) != value}
    if not changed:
        # A change that changes nothing is not a change: no save, so no empty history entry.
        return employer
    with transaction.atomic():
        for field, value in changed.items():
            setattr(employer, field, value)
        employer.full_clean()
        with_reason(employer, "updated", user=changed_by).save()
        _refresh_agreements(changed_by=changed_by, employer=employer)
    return employer


def _refresh_agreements(*, changed_by: User, **apprenticeships) -> None:
    """The name (and, of a sponsor, its registration and pledge; of an employer, its address) is
    in the agreements of these apprenticeships: a new version where one was signed."""
    # Imported here: the apprenticeships app builds on this one (its registration invites).
    from apprenticeships.models import Apprenticeship
    from apprenticeships.services.signatures import agreements_refresh

    agreements_refresh(Apprenticeship.objects.filter(**apprenticeships), changed_by=changed_by)
