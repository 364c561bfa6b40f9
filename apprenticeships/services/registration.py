"""Registration of apprentice agreements, and changes to them: the apprentice's account, the
agreement and its registration record, written once every rule of 29 CFR 29.5 the portal enforces
at registration (age, dates, term, ratio, entry wage, credit for prior experience, one open
apprenticeship per person per sponsor) has passed; the rules themselves: registration_rules.py."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.constraints import constraint_name, refused_as
from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.i18n import in_words
from portal.models import User
from portal.tenancy import Role, Scope, scoped_or_400
from sponsors.models import Employer, Sponsor
from sponsors.selectors import employer_list
from sponsors.services import invitation_create

from .. import record
from ..models import (
    OPEN_STATUSES,
    ApprenticeRegistration,
    Apprenticeship,
    ApprenticeshipStatus,
)
from ..models.agreements import ssn_lookup_for
from ..selectors import program_list

# The checks are looked up here when they run (tests/races replaces _check_one_open_per_sponsor
# on this module to leave only the database's constraint); SSN_ALREADY_OPEN is said here too.
from .registration_rules import (
    APPRENTICE_ALREADY_OPEN,
    RAPIDS_ID_TAKEN,
    _check_one_open_per_sponsor,
    _check_rapids_id_free,
    _check_ratio,
    _check_registration,
    _ssn_digits,
    _terms_errors,
)
from .registration_rules import SSN_ALREADY_OPEN as SSN_ALREADY_OPEN
from .signatures import agreement_refresh

# The constraints of one account per address (the field's own, and the one ignoring case).
_ONE_ACCOUNT_PER_ADDRESS = {"portal_user_email_key", "user_email_ci_unique"}


def _apprentice_account(
    *, email: str, full_name: str, scope: Scope, registered_by: User, sponsor: Sponsor, employer: Employer
) -> User:
    """The apprentice's account: the existing one for the address, or a new one that the person
    claims through the invitation e-mailed to them."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    user = User(email=email.strip().lower(), full_name=full_name)
    user.set_unusable_password()
    try:
        with transaction.atomic():
            with_reason(user, "registered as an apprentice", user=registered_by).save()
    except IntegrityError as error:
        # Registered at the same moment by another sponsor (whose lock is not this one's): the
        # account it created is the person's, as if it had come first.
        if constraint_name(error) not in _ONE_ACCOUNT_PER_ADDRESS:
            raise
        return User.objects.get(email__iexact=email)
    invitation_create(
        scope=scope,
        invited_by=registered_by,
        email=user.email,
        role=Role.APPRENTICE,
        sponsor_id=sponsor.pk,
        employer_id=employer.pk,
    )
    return user


def check_may_register_apprentice(*, scope: Scope) -> None:
    """Forbidden to anyone but RAPS administrators: the API asks before it reads the body, so
    that such a caller is refused, not coached."""
    if not scope.admin_sponsor_ids:
        raise Forbidden(_("Only RAPS administrators register apprentices."))


def apprenticeship_register(
    *,
    scope: Scope,
    registered_by: User,
    program_id,
    employer_id,
    apprentice_email: str,
    start_date: date,
    expected_end_date: date,
    entry_wage: Decimal,
    registration: dict,
    mentor_id: UUID | None = None,
    ojt_credit_hours: Decimal = Decimal("0"),
    rti_credit_hours: Decimal = Decimal("0"),
    credit_basis: str = "",
    rapids_apprentice_id: str = "",
) -> Apprenticeship:
    """Register an apprentice agreement (29 CFR 29.5) in a program of a sponsor the caller is
    RAPS admin of, refused with the field and the reason when a rule is broken. The program and
    the employer are named by id and looked up within the caller's scope; the mentor, by id, is
    staff of the employer for the sponsor."""
    check_may_register_apprentice(scope=scope)
    program = scoped_or_400(
        program_list(scope=scope).filter(sponsor_id__in=scope.admin_sponsor_ids).select_related("sponsor"),
        program_id,
        "program",
    )
    employer = scoped_or_400(employer_list(scope=scope), employer_id, "employer")
    _check_registration(
        program=program,
        employer=employer,
        mentor_id=mentor_id,
        start_date=start_date,
        expected_end_date=expected_end_date,
        date_of_birth=registration["date_of_birth"],
        errors=_terms_errors(
            program=program, entry_wage=entry_wage, credit=(ojt_credit_hours, rti_credit_hours, credit_basis)
        ),
    )
    ssn_lookup = ssn_lookup_for(_ssn_digits(registration.get("ssn", "")))
    with transaction.atomic():
        # Two registrations of one person with the sponsor at once must not both pass.
        Sponsor.objects.select_for_update().only("pk").get(pk=program.sponsor_id)
        # Two registrations at one employer at once must not both pass the ratio.
        employer = Employer.objects.select_for_update().get(pk=employer.pk)
        _check_ratio(program=program, employer=employer)
        full_name = " ".join(filter(None, [registration.get("first_name"), registration.get("last_name")]))
        apprentice = _apprentice_account(
            email=apprentice_email,
            full_name=full_name,
            scope=scope,
            registered_by=registered_by,
            sponsor=program.sponsor,
            employer=employer,
        )
        _check_rapids_id_free(rapids_apprentice_id)
        _check_one_open_per_sponsor(sponsor_id=program.sponsor_id, apprentice=apprentice, ssn_lookup=ssn_lookup)
        first_step = program.wage_steps.order_by("starts_at_ojt_hours").first()
        apprenticeship = Apprenticeship(
            apprentice=apprentice,
            program=program,
            employer=employer,
            mentor_id=mentor_id,
            start_date=start_date,
            expected_end_date=expected_end_date,
            entry_wage=entry_wage,
            ojt_credit_hours=ojt_credit_hours,
            rti_credit_hours=rti_credit_hours,
            credit_basis=credit_basis,
            rapids_apprentice_id=rapids_apprentice_id,
            current_wage_step=first_step,
            status=ApprenticeshipStatus.REGISTERED,
            status_changed_on=timezone.localdate(),
        )
        # The one open apprenticeship per apprentice is the check's above, and the constraint's
        # refusal below (not full_clean's, which names no field). The lock of the sponsor makes the
        # check hold; the constraint holds it too, and a registration that raced past the check
        # is refused as the check refuses it.
        apprenticeship.full_clean(exclude=["apprentice"])
        with refused_as(_REGISTRATION_REFUSALS):
            with_reason(apprenticeship, "registered", user=registered_by).save()
        record.apprenticeship_registered(apprenticeship)
        registration_record = ApprenticeRegistration(apprenticeship=apprenticeship, **registration)
        _set_ssn(registration_record, registration.get("ssn", ""))
        registration_record.full_clean()
        with_reason(registration_record, "registered", user=registered_by).save()
    return apprenticeship


# What the database answers for a registration that raced past the service's checks.
_REGISTRATION_REFUSALS = {
    "apprenticeship_one_open_per_apprentice_program": lambda: ValidationError(
        {"apprentice_email": [APPRENTICE_ALREADY_OPEN]}
    ),
    "apprenticeship_rapids_id_unique": lambda: ValidationError({"rapids_apprentice_id": [RAPIDS_ID_TAKEN]}),
}


def _set_ssn(record: ApprenticeRegistration, ssn: str) -> None:
    """The SSN (encrypted), its last four digits and its keyed hash, always together."""
    digits = _ssn_digits(ssn)
    record.ssn = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if digits else None
    record.ssn_last4 = digits[-4:] if digits else ""
    record.ssn_lookup = ssn_lookup_for(digits)


def apprenticeship_update(
    *, scope: Scope, apprenticeship: Apprenticeship, changed_by: User, fields: dict, registration: dict | None = None
) -> Apprenticeship:
    """Change an open agreement (the sponsor's RAPS admins). `fields["mentor"]` is the mentor's
    id (or None), staff of the employer for the sponsor."""
    if not scope.is_raps_admin(apprenticeship.program.sponsor_id):
        raise Forbidden(_("Only the sponsor's RAPS administrators change apprenticeships."))
    fields = dict(fields)
    if "mentor" in fields:
        fields["mentor_id"] = fields.pop("mentor")
    with transaction.atomic():
        apprenticeship = (
            Apprenticeship.objects.select_for_update(of=("self",))
            .select_related("program__sponsor", "registration")
            .get(pk=apprenticeship.pk)
        )
        if apprenticeship.status not in OPEN_STATUSES:
            raise Conflict(
                _("A %(status)s apprenticeship is final and cannot be changed.")
                % {"status": in_words(ApprenticeshipStatus, apprenticeship.status)}
            )
        if "rapids_apprentice_id" in fields:
            _check_rapids_id_free(fields["rapids_apprentice_id"], exclude_pk=apprenticeship.pk)
        for name, value in fields.items():
            setattr(apprenticeship, name, value)
        registration_record = apprenticeship.registration
        for name, value in (registration or {}).items():
            if name == "ssn":
                _set_ssn(registration_record, value)
            else:
                setattr(registration_record, name, value)
        credit_changed = bool({"ojt_credit_hours", "rti_credit_hours", "credit_basis"} & set(fields))
        _check_registration(
            program=apprenticeship.program,
            employer=apprenticeship.employer,
            mentor_id=apprenticeship.mentor_id,
            start_date=apprenticeship.start_date,
            expected_end_date=apprenticeship.expected_end_date,
            date_of_birth=registration_record.date_of_birth,
            errors=_terms_errors(
                program=apprenticeship.program,
                entry_wage=apprenticeship.entry_wage if "entry_wage" in fields else None,
                credit=(
                    (apprenticeship.ojt_credit_hours, apprenticeship.rti_credit_hours, apprenticeship.credit_basis)
                    if credit_changed
                    else None
                ),
            ),
        )
        if "ssn" in (registration or {}):
            Sponsor.objects.select_for_update().only("pk").get(pk=apprenticeship.program.sponsor_id)
            _check_one_open_per_sponsor(
                sponsor_id=apprenticeship.program.sponsor_id,
                apprentice=None,
                ssn_lookup=registration_record.ssn_lookup,
                exclude_pk=apprenticeship.pk,
            )
        apprenticeship.full_clean()
        registration_record.full_clean()
        with_reason(apprenticeship, "updated", user=changed_by).save()
        if registration:
            with_reason(registration_record, "updated", user=changed_by).save()
        if {"ojt_credit_hours", "rti_credit_hours"} & set(fields):
            record.apprenticeship_credit_changed(apprenticeship, changed_by=changed_by)
        # What the agreement shows may have changed: a new version, its signatures void.
        agreement_refresh(apprenticeship, changed_by=changed_by)
    return apprenticeship
