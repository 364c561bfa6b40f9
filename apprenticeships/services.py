"""Writes of the apprenticeships app: the catalog, programs, registration and status."""

import calendar
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.tenancy import Role, Scope
from sponsors.models import Employer, Membership, Participation, Sponsor
from sponsors.selectors import staff_membership_filter
from sponsors.services import invitation_create

from . import notices
from .models import (
    HOURS_IN_A_WORK_YEAR,
    OPEN_STATUSES,
    REQUESTABLE_TRANSITIONS,
    STATUS_TRANSITIONS,
    ApprenticeRegistration,
    Apprenticeship,
    ApprenticeshipStatus,
    Competency,
    HourTotals,
    Milestone,
    MilestoneDefinition,
    MilestoneKind,
    MilestoneStatus,
    Occupation,
    Program,
    TrainingApproach,
    WageStep,
    WorkProcess,
    WorkProcessTotal,
)

User = get_user_model()

MINIMUM_AGE = 16


def occupation_create(*, created_by, **fields) -> Occupation:
    occupation = Occupation(**fields)
    occupation.full_clean()
    with transaction.atomic():
        with_reason(occupation, "added to the catalog", user=created_by).save()
    return occupation


def occupation_update(*, occupation: Occupation, changed_by, data: dict) -> Occupation:
    for field, value in data.items():
        setattr(occupation, field, value)
    occupation.full_clean()
    with transaction.atomic():
        with_reason(occupation, "updated", user=changed_by).save()
    return occupation


# --- programs ---------------------------------------------------------------------------------


def _check_program_rules(program: Program) -> None:
    errors = {}
    if program.training_approach == TrainingApproach.TIME_BASED and program.ojt_hours_required < 2000:
        errors["ojt_hours_required"] = ["A time-based program requires at least 2,000 OJT hours."]
    longest_probation = min(program.ojt_hours_required * Decimal("0.25"), Decimal(HOURS_IN_A_WORK_YEAR))
    if program.probation_hours > longest_probation:
        errors["probation_hours"] = [
            f"Probation is at most 25% of the term or one year ({HOURS_IN_A_WORK_YEAR} h), whichever is "
            f"shorter: at most {longest_probation:.2f} hours here."
        ]
    if errors:
        raise ValidationError(errors)


def _save_nested(program: Program, *, work_processes, wage_steps, milestone_definitions, user) -> None:
    """Add or change the schedule's lines. Lines the client leaves out are kept: hours, sign-offs
    and milestones point at them, and nothing is deleted through the API."""
    next_position = (program.work_processes.aggregate(last=Max("position"))["last"] or -1) + 1
    for item in work_processes or []:
        item = dict(item)
        competencies = item.pop("competencies", None) or []
        parent = {"program": program}
        if not item.get("id"):  # a new line goes after the existing ones
            parent["position"], next_position = next_position, next_position + 1
        work_process = _upsert(WorkProcess, program.work_processes, item, parent, user, "work_processes")
        for competency_item in competencies:
            _upsert(
                Competency,
                work_process.competencies,
                dict(competency_item),
                {"work_process": work_process},
                user,
                "competencies",
            )
    for item in wage_steps or []:
        _upsert(WageStep, program.wage_steps, dict(item), {"program": program}, user, "wage_steps")
    for item in milestone_definitions or []:
        item = dict(item)
        kind = item.get("kind")
        if kind in (MilestoneKind.OJT_HOURS, MilestoneKind.RTI_HOURS) and not item.get("threshold_hours"):
            raise ValidationError(
                {"milestone_definitions": [f"{item.get('name')}: an hours milestone names its threshold_hours."]}
            )
        if kind == MilestoneKind.PROBATION and item.get("threshold_hours") is None:
            item["threshold_hours"] = program.probation_hours
        if kind == MilestoneKind.WAGE_STEP:
            step = program.wage_steps.filter(starts_at_ojt_hours=item.get("threshold_hours")).first()
            if step is None:
                raise ValidationError(
                    {
                        "milestone_definitions": [
                            f"{item.get('name')}: no wage step starts at {item.get('threshold_hours')} OJT hours."
                        ]
                    }
                )
            item["wage_step"] = step
        title = item.pop("work_process_title", None)
        if kind == MilestoneKind.WORK_PROCESS_COMPETENCIES:
            work_process = program.work_processes.filter(title=title).first()
            if work_process is None:
                raise ValidationError(
                    {"milestone_definitions": [f"{item.get('name')}: no work process titled {title!r}."]}
                )
            item["work_process"] = work_process
        _upsert(
            MilestoneDefinition,
            program.milestone_definitions,
            item,
            {"program": program},
            user,
            "milestone_definitions",
        )


def _upsert(model, related, item: dict, parent: dict, user, field: str):
    identifier = item.pop("id", None)
    if identifier is not None:
        instance = related.filter(pk=identifier).first()
        if instance is None:
            raise ValidationError({field: [f"{identifier} is not one of this program's {field.replace('_', ' ')}."]})
        reason = "updated"
    else:
        instance, reason = model(**parent), "added"
    for name, value in item.items():
        setattr(instance, name, value)
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ValidationError(
            {field: [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]}
        ) from error
    with_reason(instance, reason, user=user).save()
    return instance


def program_create(
    *, sponsor: Sponsor, created_by, work_processes=None, wage_steps=None, milestone_definitions=None, **fields
) -> Program:
    fields.setdefault("title", fields["occupation"].title)
    fields.setdefault("training_approach", fields["occupation"].training_approach)
    program = Program(sponsor=sponsor, **fields)
    _check_program_rules(program)
    if Program.objects.filter(sponsor=sponsor, occupation=program.occupation).exists():
        raise ValidationError({"occupation": ["The sponsor already has a program for this occupation."]})
    program.full_clean()
    with transaction.atomic():
        with_reason(program, "registered standards", user=created_by).save()
        _save_nested(
            program,
            work_processes=work_processes,
            wage_steps=wage_steps,
            milestone_definitions=milestone_definitions,
            user=created_by,
        )
    return program


def program_update(
    *, program: Program, changed_by, work_processes=None, wage_steps=None, milestone_definitions=None, **fields
) -> Program:
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        for name, value in fields.items():
            setattr(program, name, value)
        _check_program_rules(program)
        if (
            Program.objects.filter(sponsor_id=program.sponsor_id, occupation_id=program.occupation_id)
            .exclude(pk=program.pk)
            .exists()
        ):
            raise ValidationError({"occupation": ["The sponsor already has a program for this occupation."]})
        program.full_clean()
        with_reason(program, "changed standards", user=changed_by).save()
        _save_nested(
            program,
            work_processes=work_processes,
            wage_steps=wage_steps,
            milestone_definitions=milestone_definitions,
            user=changed_by,
        )
    return program


# --- apprenticeships --------------------------------------------------------------------------


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
    *, program: Program, employer: Employer, mentor, start_date: date, expected_end_date: date, date_of_birth: date
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
        mentor is not None
        and not Membership.objects.filter(
            staff_membership_filter(employer_id=employer.pk, sponsor_id=program.sponsor_id, prefix=""), user=mentor
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


def _apprentice_account(*, email: str, full_name: str, scope: Scope, registered_by, sponsor, employer):
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
        sponsor=sponsor,
        employer=employer,
    )
    return user


def apprenticeship_register(
    *,
    scope: Scope,
    registered_by,
    program: Program,
    employer: Employer,
    apprentice_email: str,
    start_date: date,
    expected_end_date: date,
    entry_wage: Decimal,
    registration: dict,
    mentor=None,
    ojt_credit_hours: Decimal = Decimal("0"),
    rti_credit_hours: Decimal = Decimal("0"),
    rapids_apprentice_id: str = "",
) -> Apprenticeship:
    """Register an apprentice agreement (29 CFR 29.5; DOMAIN.md rules), refused with the field
    and the reason when a rule is broken."""
    if not scope.is_raps_admin(program.sponsor_id):
        raise ValidationError({"program": ["Not found."]})
    _check_registration(
        program=program,
        employer=employer,
        mentor=mentor,
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
            mentor=mentor,
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
        HourTotals.objects.create(**HourTotals.copied_from(apprenticeship))
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
    *, apprenticeship: Apprenticeship, changed_by, fields: dict, registration: dict | None = None
) -> Apprenticeship:
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
            mentor=apprenticeship.mentor,
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
            milestones_reconcile(apprenticeship=apprenticeship, changed_by=changed_by)
    return apprenticeship


def apprenticeship_transition(
    *, apprenticeship: Apprenticeship, to: str, reason: str, changed_by, effective_on: date | None = None
) -> Apprenticeship:
    """Move the status along the table of `models.STATUS_TRANSITIONS`; completion is only reached
    by approving the completion milestone (`apprenticeship_complete`)."""
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic():
        apprenticeship = (
            Apprenticeship.objects.select_for_update(of=("self",))
            .select_related("program", "employer", "apprentice")
            .get(pk=apprenticeship.pk)
        )
        if to == ApprenticeshipStatus.COMPLETED:
            raise Conflict("An apprenticeship is completed only by approving its completion milestone.")
        if to not in REQUESTABLE_TRANSITIONS.get(apprenticeship.status, set()):
            raise Conflict(f"A {apprenticeship.status} apprenticeship cannot become {to}.")
        if effective_on < apprenticeship.start_date:
            raise ValidationError(
                {
                    "effective_on": [
                        f"The change cannot take effect before the start date ({apprenticeship.start_date:%Y-%m-%d})."
                    ]
                }
            )
        if to == ApprenticeshipStatus.CANCELLED:
            if not reason.strip():
                raise ValidationError({"reason": ["Cancelling an apprenticeship requires a reason."]})
            apprenticeship.cancellation_reason = reason.strip()
            apprenticeship.ended_on = effective_on
            apprenticeship.cancelled_during_probation = _in_probation(apprenticeship)
        previous = apprenticeship.status
        apprenticeship.status = to
        apprenticeship.status_changed_on = effective_on
        with_reason(apprenticeship, f"{to}: {reason}".strip(": ") if reason else to, user=changed_by).save()
        _totals_follow_status(apprenticeship)
        if to == ApprenticeshipStatus.CANCELLED:
            # Nothing is left to decide on a cancelled apprenticeship.
            for milestone in Milestone.objects.filter(apprenticeship=apprenticeship, status=MilestoneStatus.PENDING):
                milestone.status, milestone.note = (
                    MilestoneStatus.WITHDRAWN,
                    "Withdrawn: the apprenticeship was cancelled.",
                )
                with_reason(milestone, "withdrawn: apprenticeship cancelled", user=changed_by).save()
        notices.status_changed(apprenticeship, previous, reason.strip())
    return apprenticeship


def _totals_follow_status(apprenticeship: Apprenticeship) -> None:
    """The running totals' copy of the status moves with it, in the same transaction (the
    sponsor's numbers count apprenticeships by status from the totals)."""
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(status=apprenticeship.status)


def _in_probation(apprenticeship: Apprenticeship) -> bool:
    totals = HourTotals.objects.filter(apprenticeship=apprenticeship).first()
    approved = (totals.ojt_approved if totals else Decimal("0")) + apprenticeship.ojt_credit_hours
    return approved < apprenticeship.program.probation_hours


# --- milestones ---------------------------------------------------------------------------------


def _milestone_state(
    apprenticeship: Apprenticeship, definition: MilestoneDefinition, figures: dict
) -> tuple[bool, str, str]:
    """(reached, basis, the figures in words) of one definition for the apprenticeship."""
    ojt, rti = figures["ojt"], figures["rti"]
    kind = definition.kind
    if kind in (MilestoneKind.OJT_HOURS, MilestoneKind.PROBATION, MilestoneKind.WAGE_STEP):
        return (
            ojt >= definition.threshold_hours,
            f"ojt={ojt}",
            f"{ojt} OJT hours (threshold {definition.threshold_hours})",
        )
    if kind == MilestoneKind.RTI_HOURS:
        return (
            rti >= definition.threshold_hours,
            f"rti={rti}",
            f"{rti} RTI hours (threshold {definition.threshold_hours})",
        )
    if kind == MilestoneKind.WORK_PROCESS_COMPETENCIES:
        done, required = (
            figures["signed_off"].get(definition.work_process_id, 0),
            figures["required"].get(definition.work_process_id, 0),
        )
        return required > 0 and done >= required, f"signed_off={done}", f"{done} of {required} competencies signed off"
    program = apprenticeship.program
    signed, required = sum(figures["signed_off"].values()), sum(figures["required"].values())
    reached = ojt >= program.ojt_hours_required and rti >= program.rti_hours_required and signed >= required
    return (
        reached,
        f"ojt={ojt};rti={rti};signed_off={signed}",
        (
            f"{ojt} of {program.ojt_hours_required} OJT hours, {rti} of {program.rti_hours_required} RTI hours, "
            f"{signed} of {required} competencies"
        ),
    )


def _figures(apprenticeship: Apprenticeship) -> dict:
    totals = HourTotals.objects.filter(apprenticeship=apprenticeship).first() or HourTotals()
    return {
        "ojt": totals.ojt_approved + apprenticeship.ojt_credit_hours,
        "rti": totals.rti_approved + apprenticeship.rti_credit_hours,
        "signed_off": dict(
            WorkProcessTotal.objects.filter(apprenticeship=apprenticeship).values_list(
                "work_process_id", "competencies_signed_off"
            )
        ),
        "required": dict(
            Competency.objects.filter(work_process__program_id=apprenticeship.program_id)
            .values("work_process_id")
            .annotate(n=Count("id"))
            .values_list("work_process_id", "n")
        ),
    }


def milestones_reconcile(*, apprenticeship: Apprenticeship, changed_by=None) -> list[Milestone]:
    """Create a pending milestone for every definition the apprenticeship's data now reaches, and
    withdraw pending ones it no longer reaches. Called in the transaction of the change that
    moved the data (hours approved or voided, sign-offs, credit), with the apprenticeship locked.

    A rejected milestone is reached again only when the figures that reached it changed; an
    approved one is a decision and stays.
    """
    if apprenticeship.status not in OPEN_STATUSES:
        return []
    figures = _figures(apprenticeship)
    latest: dict = {}
    for milestone in Milestone.objects.filter(apprenticeship=apprenticeship).order_by("reached_at"):
        latest[milestone.definition_id] = milestone
    reached_now = []
    for definition in MilestoneDefinition.objects.filter(program_id=apprenticeship.program_id):
        reached, basis, words = _milestone_state(apprenticeship, definition, figures)
        previous = latest.get(definition.pk)
        if reached and (
            previous is None
            or previous.status == MilestoneStatus.WITHDRAWN
            or (previous.status == MilestoneStatus.REJECTED and previous.basis != basis)
        ):
            milestone = with_reason(
                Milestone(apprenticeship=apprenticeship, definition=definition, reached_at=timezone.now(), basis=basis),
                f"reached: {words}",
                user=changed_by,
            )
            milestone.save()
            notices.milestone_reached(milestone, words)
            reached_now.append(milestone)
        elif not reached and previous is not None and previous.status == MilestoneStatus.PENDING:
            previous.status = MilestoneStatus.WITHDRAWN
            previous.note = f"Withdrawn: the data that reached it changed ({words})."
            with_reason(previous, "withdrawn: no longer reached", user=changed_by).save()
    return reached_now


def _locked_milestone(milestone: Milestone) -> tuple[Milestone, Apprenticeship]:
    apprenticeship = (
        Apprenticeship.objects.select_for_update(of=("self",))
        .select_related("program", "employer", "apprentice")
        .get(pk=milestone.apprenticeship_id)
    )
    return Milestone.objects.select_for_update(of=("self",)).select_related("definition__wage_step").get(
        pk=milestone.pk
    ), apprenticeship


def _check_decider(scope: Scope, apprenticeship: Apprenticeship) -> None:
    if not scope.is_raps_admin(apprenticeship.program.sponsor_id):
        raise Forbidden("Only the sponsor's RAPS administrators approve or reject milestones.")


def milestone_approve(*, scope: Scope, milestone: Milestone, decided_by, note: str = "") -> Milestone:
    """Approve a pending milestone. A wage step moves the apprentice's current wage step; the
    completion milestone completes the apprenticeship (the only way to complete it)."""
    with transaction.atomic():
        milestone, apprenticeship = _locked_milestone(milestone)
        _check_decider(scope, apprenticeship)
        if milestone.status != MilestoneStatus.PENDING:
            raise Conflict(f"This milestone is {milestone.status}: only a pending milestone is decided.")
        if apprenticeship.status not in OPEN_STATUSES:
            raise Conflict(f"A {apprenticeship.status} apprenticeship is final: its milestones are not decided.")
        milestone.status, milestone.decided_by, milestone.decided_at, milestone.note = (
            MilestoneStatus.APPROVED,
            decided_by,
            timezone.now(),
            note.strip(),
        )
        with_reason(milestone, "approved", user=decided_by).save()
        definition = milestone.definition
        if definition.kind == MilestoneKind.WAGE_STEP:
            current = apprenticeship.current_wage_step
            if current is None or current.starts_at_ojt_hours < definition.wage_step.starts_at_ojt_hours:
                apprenticeship.current_wage_step = definition.wage_step
                with_reason(apprenticeship, f"wage step: {definition.wage_step.name}", user=decided_by).save()
        elif definition.kind == MilestoneKind.COMPLETION:
            if ApprenticeshipStatus.COMPLETED not in STATUS_TRANSITIONS[apprenticeship.status]:
                raise Conflict(f"A {apprenticeship.status} apprenticeship cannot be completed.")
            previous = apprenticeship.status
            apprenticeship.status = ApprenticeshipStatus.COMPLETED
            apprenticeship.status_changed_on = apprenticeship.ended_on = timezone.localdate()
            with_reason(apprenticeship, "completed: completion milestone approved", user=decided_by).save()
            _totals_follow_status(apprenticeship)
            notices.status_changed(apprenticeship, previous, "completion milestone approved")
        notices.milestone_decided(milestone)
    return milestone


def milestone_reject(*, scope: Scope, milestone: Milestone, decided_by, reason: str) -> Milestone:
    if not reason.strip():
        raise ValidationError({"reason": ["A rejection says why."]})
    with transaction.atomic():
        milestone, apprenticeship = _locked_milestone(milestone)
        _check_decider(scope, apprenticeship)
        if milestone.status != MilestoneStatus.PENDING:
            raise Conflict(f"This milestone is {milestone.status}: only a pending milestone is decided.")
        milestone.status, milestone.decided_by, milestone.decided_at, milestone.note = (
            MilestoneStatus.REJECTED,
            decided_by,
            timezone.now(),
            reason.strip(),
        )
        with_reason(milestone, f"rejected: {reason.strip()}", user=decided_by).save()
        notices.milestone_decided(milestone)
    return milestone
