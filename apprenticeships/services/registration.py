"""Registration of apprentice agreements, and changes to them: every rule of 29 CFR 29.5 the
portal enforces at registration (age, dates, term, ratio, entry wage, credit for prior experience,
one open apprenticeship per person per sponsor)."""

import calendar
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.constraints import constraint_name, refused_as
from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.i18n import in_words
from portal.models import User
from portal.tenancy import Role, Scope, scoped_or_400
from sponsors.models import Employer, Membership, Participation, Sponsor
from sponsors.selectors import employer_list, staff_membership_filter
from sponsors.services import invitation_create

from .. import record
from ..models import (
    OPEN_STATUSES,
    ApprenticeRegistration,
    Apprenticeship,
    ApprenticeshipStatus,
    Program,
)
from ..models.agreements import ssn_lookup_for
from ..selectors import program_list
from .signatures import agreement_refresh

MINIMUM_AGE = 16


def _age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _months_after(start: date, months: int) -> date:
    """The same day `months` later, or the last day of that month if it is shorter."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _check_registration(
    *,
    program: Program,
    employer: Employer,
    mentor_id: UUID | None,
    start_date: date,
    expected_end_date: date,
    date_of_birth: date,
    errors: dict[str, list[str]] | None = None,
) -> None:
    """Raises the rules broken, with `errors` already found (`_terms_errors`) reported alongside."""
    errors = dict(errors or {})
    if _age_on(date_of_birth, start_date) < MINIMUM_AGE:
        errors["date_of_birth"] = [_("An apprentice is at least %(age)s on the start date.") % {"age": MINIMUM_AGE}]
    if start_date < program.sponsor.registration_date:
        errors["start_date"] = [
            _("The start date is before the sponsor's registration date (%(date)s).")
            % {"date": f"{program.sponsor.registration_date:%Y-%m-%d}"}
        ]
    term_ends = _months_after(start_date, program.term_months)
    if expected_end_date <= start_date:
        errors["expected_end_date"] = [_("The expected end date is after the start date.")]
    elif expected_end_date > term_ends:
        errors["expected_end_date"] = [
            _(
                "The expected end date is at most the program's term (%(months)s months) after the start date: "
                "%(date)s at the latest."
            )
            % {"months": program.term_months, "date": f"{term_ends:%Y-%m-%d}"}
        ]
    if not Participation.objects.filter(sponsor_id=program.sponsor_id, employer=employer).exists():
        errors["employer"] = [_("This employer does not take part in the sponsor's programs.")]
    if (
        mentor_id is not None
        and not Membership.objects.filter(
            staff_membership_filter(employer_id=employer.pk, sponsor_id=program.sponsor_id, prefix=""),
            user_id=mentor_id,
        ).exists()
    ):
        errors["mentor"] = [_("The mentor is a member of the apprentice's employer, for this sponsor.")]
    if errors:
        raise ValidationError(errors)


def _terms_errors(
    *,
    program: Program,
    entry_wage: Decimal | None = None,
    credit: tuple[Decimal, Decimal, str] | None = None,
) -> dict[str, list[str]]:
    """The agreement's terms against the program's standards; None leaves a rule unchecked (an
    update checks what it changes). `credit` is (OJT credit, RTI credit, its basis).

    - The entry wage is at least the wage of the program's entry step (the first of its schedule:
      `WageStep.wage` is the hourly wage in dollars; its percentage of the journeyworker wage only
      describes it), as RAPIDS refuses an entry wage below the schedule's.
    - Credit for prior experience or training (29 CFR 29.5(b)(12)) says what it rests on, and stays
      below the hours the program requires of its kind: credit never completes the hours."""
    errors: dict[str, list[str]] = {}
    if entry_wage is not None:
        entry_step = program.wage_steps.order_by("starts_at_ojt_hours").first()
        if entry_step is not None and entry_wage < entry_step.wage:
            errors["entry_wage"] = [
                _("The entry wage is at least the program's entry wage step (%(step)s: $%(wage)s/h).")
                % {"step": entry_step.name, "wage": entry_step.wage}
            ]
    if credit is not None:
        ojt_credit, rti_credit, basis = credit
        for field, hours, required, kind in (
            ("ojt_credit_hours", ojt_credit, program.ojt_hours_required, "OJT"),
            ("rti_credit_hours", rti_credit, program.rti_hours_required, "RTI"),
        ):
            if hours > 0 and hours >= required:
                errors[field] = [
                    _("Credit stays below the %(required)s %(kind)s hours the program requires.")
                    % {"required": required, "kind": kind}
                ]
        if (ojt_credit > 0 or rti_credit > 0) and not basis.strip():
            errors["credit_basis"] = [
                _("Credit for prior experience or training needs its basis: what it was granted for.")
            ]
    return errors


# Said the same whichever apprenticeship matched: the error tells no one whose SSN it is, or where.
SSN_ALREADY_OPEN = gettext_lazy("An open apprenticeship with this sponsor already exists for this person.")
RAPIDS_ID_TAKEN = gettext_lazy("Another apprenticeship has this RAPIDS apprentice id.")
APPRENTICE_ALREADY_OPEN = gettext_lazy("This apprentice already has an open apprenticeship with this sponsor.")


def _check_one_open_per_sponsor(
    *, sponsor_id: UUID, apprentice: User | None, ssn_lookup: str, exclude_pk: UUID | None = None
) -> None:
    """One open apprenticeship per person per sponsor, in any of its programs: the person is the
    account, and the SSN's keyed hash (`ApprenticeRegistration.ssn_lookup`), so that another
    e-mail address does not make another person. Nothing is decrypted to compare."""
    open_here = Apprenticeship.objects.filter(program__sponsor_id=sponsor_id, status__in=OPEN_STATUSES)
    if exclude_pk is not None:
        open_here = open_here.exclude(pk=exclude_pk)
    if apprentice is not None and open_here.filter(apprentice=apprentice).exists():
        raise ValidationError({"apprentice_email": [APPRENTICE_ALREADY_OPEN]})
    if ssn_lookup and open_here.filter(registration__ssn_lookup=ssn_lookup).exists():
        raise ValidationError({"ssn": [SSN_ALREADY_OPEN]})


def _check_ratio(*, program: Program, employer: Employer) -> None:
    """The program's apprentice : journeyworker ratio bounds the employer's open apprenticeships."""
    allowed = employer.journeyworkers * program.ratio_apprentices // program.ratio_journeyworkers
    current = Apprenticeship.objects.filter(program=program, employer=employer, status__in=OPEN_STATUSES).count()
    if current + 1 > allowed:
        raise ValidationError(
            {
                "employer": [
                    _(
                        "%(employer)s has %(journeyworkers)s journeyworker(s) and %(current)s apprentice(s) in this "
                        "program: the ratio %(apprentices)s:%(per)s allows %(allowed)s."
                    )
                    % {
                        "employer": employer.name,
                        "journeyworkers": employer.journeyworkers,
                        "current": current,
                        "apprentices": program.ratio_apprentices,
                        "per": program.ratio_journeyworkers,
                        "allowed": allowed,
                    }
                ]
            }
        )


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


def _check_rapids_id_free(rapids_apprentice_id: str, exclude_pk=None) -> None:
    if (
        rapids_apprentice_id
        and Apprenticeship.objects.filter(rapids_apprentice_id=rapids_apprentice_id).exclude(pk=exclude_pk).exists()
    ):
        raise ValidationError({"rapids_apprentice_id": [RAPIDS_ID_TAKEN]})


def _ssn_digits(ssn: str | None) -> str:
    """The nine digits of an SSN, "" for none; refused with the field otherwise."""
    digits = "".join(character for character in (ssn or "") if character.isdigit())
    if ssn and len(digits) != 9:
        raise ValidationError({"ssn": [_("An SSN has nine digits.")]})
    return digits


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
