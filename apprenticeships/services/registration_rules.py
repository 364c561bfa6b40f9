"""The rules of 29 CFR 29.5 the portal checks when an apprentice agreement is registered or
changed (registration.py writes them): age, dates, term, employer and mentor, entry wage, credit
for prior experience, the journeyworker ratio, one open apprenticeship per person per sponsor,
one apprenticeship per RAPIDS apprentice id, and the shape of an SSN. Each refuses with the field
and the reason (ValidationError); nothing here writes."""

import calendar
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import User
from sponsors.models import Employer, Membership, Participation
from sponsors.selectors import staff_membership_filter

from ..models import OPEN_STATUSES, Apprenticeship, Program

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
