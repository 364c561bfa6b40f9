"""Writes of the apprenticeship agreement signed online: its versions, their signatures, and
the fully signed copy filed in the vault.

The current version is the PDF generated from the record. When what the PDF shows changes (the
digest of `agreement_pdf.agreement_content` differs from the current version's), a new version
replaces it: signatures already given are void (or, on a version signed by all three, the
signed copy stays the agreement in force until the amended version is signed), and the signers
are told. The write paths of the record call `agreement_refresh` / `agreements_refresh`; every
read and every signature compares again, so a change made elsewhere (the Django admin) is caught
at the latest when the agreement is next shown or signed.
"""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Event
from notifications.services import Message, notify
from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.i18n import long_date
from portal.models import User
from portal.tenancy import Scope

from .. import agreement_pdf, notices
from ..models import (
    OPEN_STATUSES,
    AgreementSignature,
    AgreementVersion,
    Apprenticeship,
    Document,
    DocumentKind,
    DocumentStatus,
    SignerRole,
    VersionStatus,
)
from .documents import document_file

SIGNER_ROLES = [SignerRole.APPRENTICE, SignerRole.EMPLOYER, SignerRole.SPONSOR]
CURRENT = [VersionStatus.OPEN, VersionStatus.SIGNED]
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def consent_text() -> str:
    """What a signer agrees to by signing, stored with the signature as it was shown."""
    return _(
        "I have read this apprenticeship agreement and I agree to its terms. I sign it electronically by typing "
        "my name, and I agree that my electronic signature has the same effect as my handwritten signature."
    )


def _lockable(apprenticeships: QuerySet[Apprenticeship]) -> QuerySet[Apprenticeship]:
    """The rows locked, with everything the agreement shows read in the same query (and one for
    the wage schedules)."""
    return (
        apprenticeships.select_for_update(of=("self",))
        .select_related("program__sponsor", "program__occupation", "employer", "apprentice", "registration")
        .prefetch_related("program__wage_steps")
    )


def _locked(apprenticeship: Apprenticeship) -> Apprenticeship:
    return _lockable(Apprenticeship.objects.all()).get(pk=apprenticeship.pk)


def current_version(apprenticeship: Apprenticeship) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(apprenticeship=apprenticeship, status__in=CURRENT).first()


def agreement_current(
    apprenticeship: Apprenticeship, *, by: User | None = None, locked: bool = False
) -> AgreementVersion:
    """The current version of the agreement, made (or remade) from the record, in the caller's
    transaction (the apprenticeship row locked; `locked`: read by `_lockable` already)."""
    with transaction.atomic():
        if not locked:
            apprenticeship = _locked(apprenticeship)
        content = agreement_pdf.agreement_content(apprenticeship)
        digest = agreement_pdf.content_digest(content)
        current = current_version(apprenticeship)
        if current is not None and current.content_digest == digest:
            current.apprenticeship = apprenticeship  # the locked row, read with what it shows
            return current
        return _new_version(apprenticeship, content, digest, current, by=by)


def _new_version(
    apprenticeship: Apprenticeship, content: dict, digest: str, current: AgreementVersion | None, *, by: User | None
) -> AgreementVersion:
    signers: list[User] = []
    if current is not None:
        signers = [signature.signer for signature in current.signatures.select_related("signer")]
        if current.status == VersionStatus.SIGNED:
            current.status = VersionStatus.SUPERSEDED
            current.status_reason = "the record changed after it was signed: an amended version replaces it"
        else:
            current.status = VersionStatus.VOID
            current.status_reason = (
                "the record changed before every signature was given: its signatures are void"
                if signers
                else "the record changed before anyone signed"
            )
        with_reason(current, current.status_reason, by).save(update_fields=["status", "status_reason", "updated_at"])
    content_bytes = agreement_pdf.agreement_pdf(content)
    version = AgreementVersion(
        apprenticeship=apprenticeship,
        number=(current.number + 1) if current is not None else _next_number(apprenticeship),
        size=len(content_bytes),
        sha256=_sha256(content_bytes),
        content_digest=digest,
    )
    version.file.save(f"agreement-v{version.number}.pdf", ContentFile(content_bytes), save=False)
    with_reason(version, "generated from the record", by).save()
    if signers:
        _tell_signers(
            apprenticeship, version, signers, was_signed=current is not None and current.status == "superseded"
        )
    return version


def _next_number(apprenticeship: Apprenticeship) -> int:
    last = AgreementVersion.objects.filter(apprenticeship=apprenticeship).order_by("-number").first()
    return last.number + 1 if last is not None else 1


def _sha256(content: bytes) -> str:
    import hashlib

    return hashlib.sha256(content).hexdigest()


def _tell_signers(apprenticeship: Apprenticeship, version: AgreementVersion, signers: list[User], *, was_signed: bool):
    today = timezone.localdate()
    link = notices.link_to(apprenticeship)

    def build() -> Message:
        name = notices.apprentice_name(apprenticeship)
        what = (
            _("The signed agreement stays in force until the amended version is signed by all three.")
            if was_signed
            else _("The signatures already given are void.")
        )
        return notices.message(
            title=_("%(name)s: the apprenticeship agreement changed") % {"name": name},
            lines=[
                _(
                    "The apprenticeship agreement of %(name)s (%(program)s, %(employer)s) changed on %(date)s: "
                    "version %(number)s replaces the one you signed."
                )
                % {
                    "name": name,
                    "program": apprenticeship.program.title,
                    "employer": apprenticeship.employer.name,
                    "date": long_date(today),
                    "number": version.number,
                },
                what,
                _("Please read version %(number)s and sign it.") % {"number": version.number},
            ],
            link=link,
        )

    notify(recipients=signers, event=Event.AGREEMENT_CHANGED, subject=apprenticeship, message=build)


def agreement_refresh(apprenticeship: Apprenticeship, *, changed_by: User | None) -> None:
    """After a write to what the agreement shows: a new version if the record changed it. Nothing
    to do where no version was made yet (it is made from the record when first shown)."""
    if AgreementVersion.objects.filter(apprenticeship=apprenticeship, status__in=CURRENT).exists():
        agreement_current(apprenticeship, by=changed_by)


def agreements_refresh(apprenticeships: QuerySet[Apprenticeship], *, changed_by: User | None) -> None:
    """`agreement_refresh` for every open apprenticeship of `apprenticeships` whose current
    version has a signature (a change to a program, an employer, a sponsor or an occupation).
    Versions nobody signed yet are remade when they are next shown."""
    signed = AgreementSignature.objects.filter(version__apprenticeship=OuterRef("pk"), version__status__in=CURRENT)
    with transaction.atomic():
        # Locked in one query, in the order of their ids (two changes at once never deadlock).
        rows = list(_lockable(apprenticeships.filter(Exists(signed), status__in=OPEN_STATUSES)).order_by("pk"))
        for apprenticeship in rows:
            agreement_current(apprenticeship, by=changed_by, locked=True)


def signer_roles(*, scope: Scope, apprenticeship: Apprenticeship) -> list[str]:
    """The roles the caller may sign `apprenticeship`'s agreement in."""
    sponsor_id = apprenticeship.program.sponsor_id
    roles = []
    if apprenticeship.apprentice_id == scope.user_id:
        roles.append(SignerRole.APPRENTICE)
    else:
        # The apprentice is a party of their own: never also the employer or the sponsor.
        if scope.is_employer_admin(apprenticeship.employer_id, sponsor_id):
            roles.append(SignerRole.EMPLOYER)
        if scope.is_raps_admin(sponsor_id):
            roles.append(SignerRole.SPONSOR)
    return [str(role) for role in roles]


def missing_roles(version: AgreementVersion) -> list[str]:
    signed = {signature.role for signature in version.signatures.all()}
    return [str(role) for role in SIGNER_ROLES if role not in signed]


def _role_names(roles: Iterable[str]) -> str:
    labels = {str(role): str(role.label) for role in SignerRole}
    return ", ".join(labels[role].lower() for role in roles)


def _names_match(typed: str, full_name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(full_name.split()).casefold()


def agreement_sign(
    *,
    scope: Scope,
    apprenticeship: Apprenticeship,
    signer: User,
    typed_name: str,
    consent: bool,
    sha256: str,
    role: str | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> AgreementSignature:
    """Sign the current version in one of the caller's roles. `sha256` is that of the PDF the
    signer was shown: a 409 when it is no longer the current version's."""
    errors: dict[str, list[str]] = {}
    typed_name = (typed_name or "").strip()
    if not typed_name:
        errors["typed_name"] = [_("Type your name to sign.")]
    elif signer.full_name and not _names_match(typed_name, signer.full_name):
        errors["typed_name"] = [_("The name typed is the name of your account: %(name)s.") % {"name": signer.full_name}]
    if consent is not True:
        errors["consent"] = [_("Signing needs your consent: send consent true.")]
    sha256 = (sha256 or "").strip().lower()
    if not SHA256.match(sha256):
        errors["sha256"] = [_("The SHA-256 of the agreement you read: 64 hexadecimal digits.")]
    if role is not None and role not in SignerRole.values:
        errors["role"] = [_("A role to sign in: %(roles)s.") % {"roles": ", ".join(SignerRole.values)}]
    held = signer_roles(scope=scope, apprenticeship=apprenticeship)
    if not held:
        raise Forbidden(
            _("Only the apprentice, an administrator of the employer and a RAPS administrator of the sponsor sign.")
        )
    if role is not None and role in SignerRole.values and role not in held:
        raise Forbidden(_("You do not sign as the %(role)s.") % {"role": _role_names([role])})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        version = agreement_current(apprenticeship, by=signer)
        apprenticeship = version.apprenticeship
        if apprenticeship.status not in OPEN_STATUSES:
            raise Conflict(
                _("A %(status)s apprenticeship's agreement is not signed any more.") % {"status": apprenticeship.status}
            )
        if version.sha256 != sha256:
            raise Conflict(
                _("The agreement changed since you read it: version %(number)s is current. Read it and sign that.")
                % {"number": version.number}
            )
        missing = missing_roles(version)
        if role is None:
            open_roles = [held_role for held_role in held if held_role in missing]
            if len(open_roles) > 1:
                raise ValidationError(
                    {
                        "role": [
                            _("You sign in one role at a time: say which (%(roles)s).")
                            % {"roles": ", ".join(open_roles)}
                        ]
                    }
                )
            role = open_roles[0] if open_roles else held[0]
        if role not in missing:
            raise Conflict(
                _("The %(role)s has signed version %(number)s already.")
                % {"role": _role_names([role]), "number": version.number}
            )
        signature = AgreementSignature(
            version=version,
            role=role,
            signer=signer,
            typed_name=typed_name,
            consent_text=consent_text(),
            signed_at=timezone.now(),
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:500],
            sha256=sha256,
        )
        with_reason(signature, f"signed as {role}", signer).save()
        if len(missing) == 1:
            _file_signed(version, by=signer)
    return signature


def _file_signed(version: AgreementVersion, *, by: User) -> None:
    """All three signed: the signed copy (the agreement and its signature page) goes in the vault,
    superseding the previous signed agreement."""
    apprenticeship = version.apprenticeship
    content = agreement_pdf.agreement_content(apprenticeship)
    signatures = list(version.signatures.select_related("signer").order_by("signed_at", "id"))
    order = [str(role) for role in SIGNER_ROLES]
    signatures.sort(key=lambda signature: order.index(signature.role))
    content_bytes = agreement_pdf.signed_agreement_pdf(content, unsigned_sha256=version.sha256, signatures=signatures)
    previous = (
        Document.objects.filter(
            apprenticeship=apprenticeship,
            kind=DocumentKind.AGREEMENT,
            status=DocumentStatus.CURRENT,
            agreement_version__isnull=False,
        )
        .order_by("-created_at")
        .first()
    )
    document = document_file(
        apprenticeship=apprenticeship,
        kind=DocumentKind.AGREEMENT,
        title=_("Apprenticeship agreement, version %(number)s, signed") % {"number": version.number},
        content=content_bytes,
        filename=f"agreement-v{version.number}-signed.pdf",
        content_type="application/pdf",
        by=None,
        reason=f"agreement version {version.number} signed by all three",
        verifiable=True,
        supersedes=previous,
    )
    version.status = VersionStatus.SIGNED
    version.signed_document = document
    with_reason(version, "signed by all three", by).save(update_fields=["status", "signed_document", "updated_at"])


def activation_errors(apprenticeship: Apprenticeship, *, by: User | None) -> dict[str, list[str]]:
    """Why the apprenticeship cannot become active yet: its agreement is not signed by all three."""
    version = agreement_current(apprenticeship, by=by)
    missing = missing_roles(version)
    if not missing:
        return {}
    return {
        "status": [
            _("The apprenticeship agreement is not signed by the %(roles)s yet (version %(number)s).")
            % {"roles": _role_names(missing), "number": version.number}
        ]
    }
