"""Registration of apprentice agreements, and changes to them: every rule of 29 CFR 29.5 the
portal enforces at registration (age, dates, term, ratio, one open apprenticeship)."""

import calendar
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.errors import Conflict, Forbidden
from portal.history import with_reason
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
from ..selectors import program_list

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
) -> None:
    errors: dict[str, list[str]] = {}
    if _age_on(date_of_birth, start_date) < MINIMUM_AGE:
        errors["date_of_birth"] = [f"An apprentice is at least {MINIMUM_AGE} on the start date."]
    if start_date < program.sponsor.registration_date:
        errors["start_date"] = [
            f"The start date is before the sponsor's registration date ({program.sponsor.registration_date:%Y-%m-%d})."
        ]
    term_ends = _months_after(start_date, program.term_months)
    if expected_end_date <= start_date:
        errors["expected_end_date"] = ["The expected end date is after the start date."]
    elif expected_end_date > term_ends:
        errors["expected_end_date"] = [
            f"The expected end date is at most the program's term ({program.term_months} months) after the start "
            f"date: {term_ends:%Y-%m-%d} at the latest."
        ]
    if not Participation.objects.filter(sponsor_id=program.sponsor_id, employer=employer).exists():
        errors["employer"] = ["This employer does not take part in the sponsor's programs."]
    if (
        mentor_id is not None
        and not Membership.objects.filter(
            staff_membership_filter(employer_id=employer.pk, sponsor_id=program.sponsor_id, prefix=""),
            user_id=mentor_id,
        ).exists()
    ):
        errors["mentor"] = ["The mentor is a member of the apprentice's employer, for this sponsor."]
    if errors:
        raise ValidationError(errors)


def _check_ratio(*, program: Program, employer: Employer) -> None:
    """The program's apprentice : journeyworker ratio bounds the employer's open apprenticeships."""
    allowed = employer.journeyworkers * program.ratio_apprentices // program.ratio_journeyworkers
    current = Apprenticeship.objects.filter(program=program, employer=employer, status__in=OPEN_STATUSES).count()
    if current + 1 > allowed:
        raise ValidationError(
            {
                "employer": [
                    f"{employer.name} has {employer.journeyworkers} journeyworker(s) and {current} apprentice(s) in this "
                    f"program: the ratio {program.ratio_apprentices}:{program.ratio_journeyworkers} allows {allowed}."
                ]
            }
        )


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
    with_reason(user, "registered as an apprentice", user=registered_by).save()
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
        raise Forbidden("Only RAPS administrators register apprentices.")


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
    )
    with transaction.atomic():
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
        if Apprenticeship.objects.filter(apprentice=apprentice, program=program, status__in=OPEN_STATUSES).exists():
            raise ValidationError(
                {"apprentice_email": ["This apprentice already has an open apprenticeship in this program."]}
            )
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
            rapids_apprentice_id=rapids_apprentice_id,
            current_wage_step=first_step,
            status=ApprenticeshipStatus.REGISTERED,
            status_changed_on=timezone.localdate(),
        )
        apprenticeship.full_clean()
        with_reason(apprenticeship, "registered", user=registered_by).save()
        record.apprenticeship_registered(apprenticeship)
        registration_record = ApprenticeRegistration(apprenticeship=apprenticeship, **registration)
        _set_ssn(registration_record, registration.get("ssn", ""))
        registration_record.full_clean()
        with_reason(registration_record, "registered", user=registered_by).save()
    return apprenticeship


def _check_rapids_id_free(rapids_apprentice_id: str, exclude_pk=None) -> None:
    if (
        rapids_apprentice_id
        and Apprenticeship.objects.filter(rapids_apprentice_id=rapids_apprentice_id).exclude(pk=exclude_pk).exists()
    ):
        raise ValidationError({"rapids_apprentice_id": ["Another apprenticeship has this RAPIDS apprentice id."]})


def _set_ssn(record: ApprenticeRegistration, ssn: str) -> None:
    digits = "".join(character for character in (ssn or "") if character.isdigit())
    if ssn and len(digits) != 9:
        raise ValidationError({"ssn": ["An SSN has nine digits."]})
    record.ssn = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if digits else None
    record.ssn_last4 = digits[-4:] if digits else ""


def apprenticeship_update(
    *, scope: Scope, apprenticeship: Apprenticeship, changed_by: User, fields: dict, registration: dict | None = None
) -> Apprenticeship:
    """Change an open agreement (the sponsor's RAPS admins). `fields["mentor"]` is the mentor's
    id (or None), staff of the employer for the sponsor."""
    if not scope.is_raps_admin(apprenticeship.program.sponsor_id):
        raise Forbidden("Only the sponsor's RAPS administrators change apprenticeships.")
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
            raise Conflict(f"A {apprenticeship.status} apprenticeship is final and cannot be changed.")
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
        _check_registration(
            program=apprenticeship.program,
            employer=apprenticeship.employer,
            mentor_id=apprenticeship.mentor_id,
            start_date=apprenticeship.start_date,
            expected_end_date=apprenticeship.expected_end_date,
            date_of_birth=registration_record.date_of_birth,
        )
        apprenticeship.full_clean()
        registration_record.full_clean()
        with_reason(apprenticeship, "updated", user=changed_by).save()
        if registration:
            with_reason(registration_record, "updated", user=changed_by).save()
        if {"ojt_credit_hours", "rti_credit_hours"} & set(fields):
            record.apprenticeship_credit_changed(apprenticeship, changed_by=changed_by)
    return apprenticeship
