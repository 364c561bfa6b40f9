"""Writes of programs: a sponsor's registered standards, with their work processes, competencies,
wage steps and milestone definitions nested."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.constraints import refused_as
from portal.errors import Forbidden
from portal.history import with_reason
from portal.models import User
from portal.tenancy import Scope
from sponsors.selectors import sponsor_acted_for

from ..models import (
    HOURS_IN_A_WORK_YEAR,
    Apprenticeship,
    Competency,
    MilestoneDefinition,
    MilestoneKind,
    Program,
    TrainingApproach,
    WageStep,
    WorkProcess,
)
from .signatures import agreements_refresh


def _check_program_rules(program: Program) -> None:
    errors = {}
    if program.training_approach == TrainingApproach.TIME_BASED and program.ojt_hours_required < 2000:
        errors["ojt_hours_required"] = [_("A time-based program requires at least 2,000 OJT hours.")]
    longest_probation = min(program.ojt_hours_required * Decimal("0.25"), Decimal(HOURS_IN_A_WORK_YEAR))
    if program.probation_hours > longest_probation:
        errors["probation_hours"] = [
            _(
                "Probation is at most 25%% of the term or one year (%(year)s h), whichever is shorter: "
                "at most %(longest)s hours here."
            )
            % {"year": HOURS_IN_A_WORK_YEAR, "longest": f"{longest_probation:.2f}"}
        ]
    if errors:
        raise ValidationError(errors)


def _save_nested(program: Program, *, work_processes, wage_steps, milestone_definitions, user: User) -> None:
    """Add or change the schedule's lines. Lines the client leaves out are kept: hours, sign-offs
    and milestones point at them, and nothing is deleted through the API."""
    next_position = (program.work_processes.aggregate(last=Max("position"))["last"] or -1) + 1
    for item in work_processes or []:
        item = dict(item)
        competencies = item.pop("competencies", None) or []
        parent: dict[str, Any] = {"program": program}
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
                {
                    "milestone_definitions": [
                        _("%(name)s: an hours milestone names its threshold_hours.") % {"name": item.get("name")}
                    ]
                }
            )
        if kind == MilestoneKind.PROBATION and item.get("threshold_hours") is None:
            item["threshold_hours"] = program.probation_hours
        if kind == MilestoneKind.WAGE_STEP:
            threshold = item.get("threshold_hours")
            # No threshold: no wage step starts there (the lookup would match none either).
            step = program.wage_steps.filter(starts_at_ojt_hours=threshold).first() if threshold is not None else None
            if step is None:
                raise ValidationError(
                    {
                        "milestone_definitions": [
                            _("%(name)s: no wage step starts at %(hours)s OJT hours.")
                            % {"name": item.get("name"), "hours": item.get("threshold_hours")}
                        ]
                    }
                )
            item["wage_step"] = step
        title = item.pop("work_process_title", None)
        if kind == MilestoneKind.WORK_PROCESS_COMPETENCIES:
            work_process = program.work_processes.filter(title=title).first()
            if work_process is None:
                raise ValidationError(
                    {
                        "milestone_definitions": [
                            _("%(name)s: no work process titled %(title)r.")
                            % {"name": item.get("name"), "title": title}
                        ]
                    }
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


def _upsert(model, related, item: dict, parent: dict, user: User, field: str):
    identifier = item.pop("id", None)
    if identifier is not None:
        instance = related.filter(pk=identifier).first()
        if instance is None:
            raise ValidationError(
                {
                    field: [
                        _("%(id)s is not one of this program's %(field)s.")
                        % {"id": identifier, "field": field.replace("_", " ")}
                    ]
                }
            )
        reason = "updated"
    else:
        instance, reason = model(**parent), "added"
    for name, value in item.items():
        setattr(instance, name, value)
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ValidationError(
            {
                field: [
                    _("%(field)s: %(message)s") % {"field": name, "message": message}
                    for name, messages in error.message_dict.items()
                    for message in messages
                ]
            }
        ) from error
    with_reason(instance, reason, user=user).save()
    return instance


def check_may_register_program(*, scope: Scope) -> None:
    """Forbidden to anyone but RAPS administrators: the API asks before it reads the body, so
    that such a caller is refused, not coached."""
    if not scope.admin_sponsor_ids:
        raise Forbidden(_("Only RAPS administrators register programs."))


PROGRAM_EXISTS = gettext_lazy("The sponsor already has a program for this occupation.")
_PROGRAM_REFUSALS = {"program_one_per_sponsor_occupation": lambda: ValidationError({"occupation": [PROGRAM_EXISTS]})}


def program_create(
    *,
    scope: Scope,
    created_by: User,
    sponsor_id=None,
    work_processes=None,
    wage_steps=None,
    milestone_definitions=None,
    **fields,
) -> Program:
    """Register the standards of the sponsor the RAPS admin writes for (`sponsor_id`: needed
    only by admins of several)."""
    check_may_register_program(scope=scope)
    sponsor = sponsor_acted_for(scope=scope, sponsor_id=sponsor_id)
    fields.setdefault("title", fields["occupation"].title)
    fields.setdefault("training_approach", fields["occupation"].training_approach)
    program = Program(sponsor=sponsor, **fields)
    _check_program_rules(program)
    if Program.objects.filter(sponsor=sponsor, occupation=program.occupation).exists():
        raise ValidationError({"occupation": [PROGRAM_EXISTS]})
    # One program per occupation is the check's above and the constraint's refusal below, both
    # naming the field (full_clean's would not).
    program.full_clean(exclude=["occupation"])
    with transaction.atomic():
        # Two registrations racing past the check: the constraint refuses the second, as the check would.
        with refused_as(_PROGRAM_REFUSALS):
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
    *,
    scope: Scope,
    program: Program,
    changed_by: User,
    work_processes=None,
    wage_steps=None,
    milestone_definitions=None,
    **fields,
) -> Program:
    if not scope.is_raps_admin(program.sponsor_id):
        raise Forbidden(_("Only the sponsor's RAPS administrators change its programs."))
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
            raise ValidationError({"occupation": [PROGRAM_EXISTS]})
        program.full_clean(exclude=["occupation"])
        with refused_as(_PROGRAM_REFUSALS):
            with_reason(program, "changed standards", user=changed_by).save()
        _save_nested(
            program,
            work_processes=work_processes,
            wage_steps=wage_steps,
            milestone_definitions=milestone_definitions,
            user=changed_by,
        )
        # Its terms and wage schedule are in its apprenticeships' agreements.
        agreements_refresh(Apprenticeship.objects.filter(program=program), changed_by=changed_by)
    return program
