"""Who is told about hours and sign-offs as they are written and decided, one at a time or in bulk
(docs/domain.md, "Events that notify")."""

from collections import defaultdict

from django.utils import timezone

from apprenticeships.notices import apprentice_name, link_to, message
from notifications.models import Event
from notifications.services import Notice, notify, notify_all
from sponsors.selectors import employer_staff_of, raps_admins_of

from ..models import HourKind, HourLog, HourLogStatus


def _hours(total) -> str:
    return f"{total:.2f} h"


def hours_written(logs: list[HourLog]) -> None:
    """New logs, told once per apprenticeship and kind of the request: submitted ones to their
    reviewers (employer staff for OJT, RAPS admins for RTI), approved-on-entry ones to the apprentice."""
    groups = defaultdict(list)
    for log in logs:
        groups[(log.apprenticeship_id, log.kind, log.status)].append(log)
    for (_id, kind, status), group in groups.items():
        apprenticeship = group[0].apprenticeship
        name = apprentice_name(apprenticeship)
        total = sum(log.hours for log in group)
        days = sorted({log.date for log in group})
        span = f"{days[0]:%B %d, %Y}" if len(days) == 1 else f"{days[0]:%B %d} – {days[-1]:%B %d, %Y}"
        label = "on-the-job" if kind == HourKind.OJT else "related-instruction"
        if status == HourLogStatus.SUBMITTED:
            reviewers = (
                employer_staff_of(employer_id=apprenticeship.employer_id, sponsor_id=apprenticeship.program.sponsor_id)
                if kind == HourKind.OJT
                else raps_admins_of(sponsor_id=apprenticeship.program.sponsor_id)
            )
            notify(
                recipients=reviewers,
                event=Event.HOURS_SUBMITTED,
                subject=group[0] if len(group) == 1 else apprenticeship,
                message=message(
                    title=f"{name} submitted {_hours(total)} of {label} hours",
                    lines=[f"{name} submitted {_hours(total)} of {label} hours for {span}, waiting for your approval."],
                    link=link_to(apprenticeship),
                ),
            )
        else:
            notify(
                recipients=[apprenticeship.apprentice],
                event=Event.HOURS_APPROVED,
                subject=group[0] if len(group) == 1 else apprenticeship,
                message=message(
                    title=f"{_hours(total)} of {label} hours recorded",
                    lines=[
                        f"{_hours(total)} of {label} hours of {name} ({apprenticeship.program.title}) for {span} "
                        "were logged and approved."
                    ],
                    link=link_to(apprenticeship),
                ),
            )


def hours_reviewed(log: HourLog) -> None:
    """Approved, rejected or voided: the apprentice is told, with the reason where there is one."""
    # Keyed by the statuses' values: the log's status is the value its field holds.
    events: dict[str, Event] = {
        HourLogStatus.APPROVED: Event.HOURS_APPROVED,
        HourLogStatus.REJECTED: Event.HOURS_REJECTED,
        HourLogStatus.VOIDED: Event.HOURS_VOIDED,
    }
    event = events[log.status]
    apprenticeship = log.apprenticeship
    lines = [
        f"{_hours(log.hours)} of {log.get_kind_display().lower()} of {apprentice_name(apprenticeship)} "
        f"({apprenticeship.program.title}) on {log.date:%B %d, %Y} were {log.status}."
    ]
    if log.review_note:
        lines.append(f"Reason: {log.review_note}")
    notify(
        recipients=[apprenticeship.apprentice],
        event=event,
        subject=log,
        message=message(
            title=f"Hours {log.status}: {_hours(log.hours)} on {log.date:%b %d}",
            lines=lines,
            link=link_to(apprenticeship),
        ),
    )


def competency_signed_off(signoff) -> None:
    apprenticeship = signoff.apprenticeship
    signer = signoff.signed_off_by.display_name
    notify(
        recipients=[apprenticeship.apprentice],
        event=Event.COMPETENCY_SIGNED_OFF,
        subject=signoff,
        message=message(
            title=f"Competency signed off: {signoff.competency.title}",
            lines=[
                f"{signer} signed off “{signoff.competency.code} {signoff.competency.title}” of "
                f"{apprentice_name(apprenticeship)} ({apprenticeship.program.title}) as "
                f"{signoff.get_rating_display().lower()} on {timezone.localtime(signoff.signed_off_at):%B %d, %Y}."
            ],
            link=link_to(apprenticeship),
        ),
    )


# --- bulk decisions: one notice per apprentice (hours) or apprenticeship (milestones) -----------


def _one_subject(records, apprenticeships):
    """A notice's subject: its one record, else its one apprenticeship, else none (a list)."""
    if len(records) == 1:
        return records[0]
    return apprenticeships[0] if len({a.pk for a in apprenticeships}) == 1 else None


def hours_decided(logs: list[HourLog]) -> None:
    """Logs of one bulk decision (all approved, or all rejected with one reason): each apprentice
    is told once, of all their logs of the request, with the reason where there is one."""
    by_apprentice = defaultdict(list)
    for log in logs:
        by_apprentice[log.apprenticeship.apprentice_id].append(log)
    events: dict[str, Event] = {
        HourLogStatus.APPROVED: Event.HOURS_APPROVED,
        HourLogStatus.REJECTED: Event.HOURS_REJECTED,
    }
    found = []
    for group in by_apprentice.values():
        group.sort(key=lambda log: (log.date, log.kind, str(log.pk)))
        first = group[0]
        apprenticeship = first.apprenticeship
        lines = [
            f"{_hours(log.hours)} of {log.get_kind_display().lower()} of {apprentice_name(log.apprenticeship)} "
            f"({log.apprenticeship.program.title}) on {log.date:%B %d, %Y} were {log.status}."
            for log in group
        ]
        if first.review_note:
            lines.append(f"Reason: {first.review_note}")
        title = (
            f"Hours {first.status}: {_hours(first.hours)} on {first.date:%b %d}"
            if len(group) == 1
            else f"Hours {first.status}: {len(group)} logs, {_hours(sum(log.hours for log in group))}"
        )
        found.append(
            Notice(
                recipients=[apprenticeship.apprentice],
                event=events[first.status],
                subject=_one_subject(group, [log.apprenticeship for log in group]),
                message=message(title=title, lines=lines, link=link_to(apprenticeship)),
            )
        )
    notify_all(found)
