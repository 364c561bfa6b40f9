"""What the completion packet and the interim credentials print, read from the record.

Every figure comes from the records the rest of the portal keeps: approved hours from the hour
logs (by work process for OJT, by course and provider for RTI), the running totals, the current
sign-off of each competency, the apprenticeship's history for the wage steps, the milestones and
their decisions. The tests read these same functions to check the PDFs against the record.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, Q, Sum
from django.utils import timezone

from apprenticeships.models import Apprenticeship, Competency, WorkProcess

from ..models import CompetencySignOff, HourKind, HourLog, HourLogStatus, HourTotals, Milestone, MilestoneStatus

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class WorkProcessLine:
    id: UUID
    title: str
    target_hours: Decimal
    approved_hours: Decimal
    competencies: int
    signed_off: int

    @property
    def complete(self) -> bool:
        """Its target hours approved and every competency of it signed off."""
        return self.approved_hours >= self.target_hours and self.signed_off >= self.competencies


@dataclass(frozen=True)
class CourseLine:
    course: str
    provider: str
    hours: Decimal


@dataclass(frozen=True)
class CompetencyLine:
    work_process: str
    code: str
    title: str
    rating: str
    signed_off_by: str
    signed_off_on: date | None


@dataclass(frozen=True)
class WageLine:
    effective_on: date
    step: str
    wage: Decimal
    why: str


@dataclass(frozen=True)
class MilestoneLine:
    name: str
    reached_on: date
    decision: str
    decided_by: str
    decided_on: date | None
    note: str


@dataclass
class Record:
    apprenticeship: Apprenticeship
    apprentice_name: str
    work_processes: list[WorkProcessLine] = field(default_factory=list)
    courses: list[CourseLine] = field(default_factory=list)
    competencies: list[CompetencyLine] = field(default_factory=list)
    wages: list[WageLine] = field(default_factory=list)
    milestones: list[MilestoneLine] = field(default_factory=list)
    ojt_approved: Decimal = ZERO
    rti_approved: Decimal = ZERO
    approved_by: str = ""
    approved_on: date | None = None

    @property
    def ojt_total(self) -> Decimal:
        return self.ojt_approved + self.apprenticeship.ojt_credit_hours

    @property
    def rti_total(self) -> Decimal:
        return self.rti_approved + self.apprenticeship.rti_credit_hours

    @property
    def final_wage(self) -> Decimal:
        step = self.apprenticeship.current_wage_step
        return step.wage if step is not None else self.apprenticeship.entry_wage


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def loaded(apprenticeship_id) -> Apprenticeship:
    """The apprenticeship with what every document names of it."""
    return Apprenticeship.objects.select_related(
        "apprentice", "registration", "program__sponsor", "program__occupation", "employer", "current_wage_step"
    ).get(pk=apprenticeship_id)


def apprentice_name(apprenticeship: Apprenticeship) -> str:
    """The legal name registered with the agency, else the account's name."""
    registration = getattr(apprenticeship, "registration", None)
    if registration is not None:
        parts = [registration.first_name, registration.middle_name, registration.last_name, registration.suffix]
        return " ".join(part for part in parts if part)
    return apprenticeship.apprentice.display_name


def work_process_lines(apprenticeship: Apprenticeship) -> list[WorkProcessLine]:
    """Each work process of the program: its target, the approved OJT hours (from the logs) and
    its competencies signed off (those with a current sign-off)."""
    approved = dict(
        HourLog.objects.filter(apprenticeship=apprenticeship, kind=HourKind.OJT, status=HourLogStatus.APPROVED)
        .values_list("work_process_id")
        .annotate(total=Sum("hours"))
        .values_list("work_process_id", "total")
    )
    processes = WorkProcess.objects.filter(program_id=apprenticeship.program_id).annotate(
        n_competencies=Count("competencies", distinct=True),
        n_signed_off=Count(
            "competencies__signoffs",
            filter=Q(competencies__signoffs__apprenticeship=apprenticeship, competencies__signoffs__is_current=True),
            distinct=True,
        ),
    )
    return [
        WorkProcessLine(
            id=process.pk,
            title=process.title,
            target_hours=process.target_hours,
            approved_hours=approved.get(process.pk) or ZERO,
            competencies=process.n_competencies,
            signed_off=process.n_signed_off,
        )
        for process in processes
    ]


def course_lines(apprenticeship: Apprenticeship) -> list[CourseLine]:
    """Approved RTI hours by course and instruction provider, as the logs name them (a log that
    names no provider is the program's RTI provider's)."""
    rows = (
        HourLog.objects.filter(apprenticeship=apprenticeship, kind=HourKind.RTI, status=HourLogStatus.APPROVED)
        .values("course", "instruction_provider")
        .annotate(total=Sum("hours"))
        .order_by("course", "instruction_provider")
    )
    default_provider = apprenticeship.program.rti_provider
    return [
        CourseLine(
            course=row["course"] or "—",
            provider=row["instruction_provider"] or default_provider or "—",
            hours=row["total"],
        )
        for row in rows
    ]


def competency_lines(apprenticeship: Apprenticeship) -> list[CompetencyLine]:
    """Every competency of the program with its current rating (the latest sign-off)."""
    current = {
        signoff.competency_id: signoff
        for signoff in CompetencySignOff.objects.filter(apprenticeship=apprenticeship, is_current=True).select_related(
            "signed_off_by"
        )
    }
    lines = []
    for competency in (
        Competency.objects.filter(work_process__program_id=apprenticeship.program_id)
        .select_related("work_process")
        .order_by("work_process__position", "work_process__title", "code")
    ):
        signoff = current.get(competency.pk)
        lines.append(
            CompetencyLine(
                work_process=competency.work_process.title,
                code=competency.code,
                title=competency.title,
                rating=signoff.get_rating_display() if signoff else "",
                signed_off_by=signoff.signed_off_by.display_name if signoff else "",
                signed_off_on=_day(signoff.signed_off_at) if signoff else None,
            )
        )
    return lines


def wage_lines(apprenticeship: Apprenticeship) -> list[WageLine]:
    """The entry wage from the start date, then each wage step the apprentice reached, on the
    day the apprenticeship's history shows it moved there."""
    from apprenticeships.models import WageStep

    steps = {step.pk: step for step in WageStep.objects.filter(program_id=apprenticeship.program_id)}
    lines = [WageLine(apprenticeship.start_date, "Entry", apprenticeship.entry_wage, "entry wage")]
    previous = None
    for row in apprenticeship.history.order_by("history_date", "history_id"):
        step_id = row.current_wage_step_id
        if step_id != previous and step_id is not None and step_id in steps:
            step = steps[step_id]
            first = previous is None and row.history_type == "+"
            lines.append(
                WageLine(
                    apprenticeship.start_date if first else timezone.localdate(row.history_date),
                    step.name,
                    step.wage,
                    "at registration" if first else (row.history_change_reason or ""),
                )
            )
        previous = step_id
    return lines


def milestone_lines(apprenticeship: Apprenticeship) -> list[MilestoneLine]:
    """The milestones reached, with their decisions; those withdrawn (no longer reached) are left
    out, those closed at completion show as superseded."""
    milestones = (
        Milestone.objects.filter(apprenticeship=apprenticeship)
        .exclude(status=MilestoneStatus.WITHDRAWN)
        .select_related("definition", "decided_by")
        .order_by("reached_at")
    )
    return [
        MilestoneLine(
            name=milestone.definition.name,
            reached_on=timezone.localdate(milestone.reached_at),
            decision=milestone.get_status_display(),
            decided_by=milestone.decided_by.display_name if milestone.decided_by else "",
            decided_on=_day(milestone.decided_at),
            note=milestone.note,
        )
        for milestone in milestones
    ]


def completion_approval(apprenticeship: Apprenticeship) -> Milestone | None:
    """The approved completion milestone (who approved, when), if any."""
    return (
        Milestone.objects.filter(
            apprenticeship=apprenticeship, definition__kind="completion", status=MilestoneStatus.APPROVED
        )
        .select_related("decided_by")
        .first()
    )


def record_of(apprenticeship_id) -> Record:
    """Everything the transcript and the completion application print."""
    apprenticeship = loaded(apprenticeship_id)
    totals = HourTotals.objects.filter(apprenticeship=apprenticeship).first() or HourTotals()
    approval = completion_approval(apprenticeship)
    return Record(
        apprenticeship=apprenticeship,
        apprentice_name=apprentice_name(apprenticeship),
        work_processes=work_process_lines(apprenticeship),
        courses=course_lines(apprenticeship),
        competencies=competency_lines(apprenticeship),
        wages=wage_lines(apprenticeship),
        milestones=milestone_lines(apprenticeship),
        ojt_approved=totals.ojt_approved,
        rti_approved=totals.rti_approved,
        approved_by=approval.decided_by.display_name if approval and approval.decided_by else "",
        approved_on=_day(approval.decided_at) if approval else None,
    )
