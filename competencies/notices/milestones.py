"""Who is told when a milestone is reached or decided, one at a time or in bulk (one notice per
apprenticeship)."""

from collections import defaultdict

from django.utils import timezone

from apprenticeships.notices import apprentice_name, link_to, message
from notifications.models import Event
from notifications.services import Notice, notify, notify_all
from sponsors.selectors import employer_staff_of, raps_admins_of

from ..models import Milestone, MilestoneStatus
from .recipients import _admins_by_sponsor, _employer_and_sponsor, _staff_by_employer


def _reached_message(milestone: Milestone, basis_text: str):
    apprenticeship = milestone.apprenticeship
    name = apprentice_name(apprenticeship)
    return message(
        title=f"{name} reached “{milestone.definition.name}”",
        lines=[
            f"{name} ({apprenticeship.program.title}, {apprenticeship.employer.name}) reached the milestone "
            f"“{milestone.definition.name}” on {timezone.localtime(milestone.reached_at):%B %d, %Y}: {basis_text}.",
            "A RAPS administrator of the sponsor approves or rejects it.",
        ],
        link=link_to(apprenticeship),
    )


def milestone_reached(milestone: Milestone, basis_text: str) -> None:
    apprenticeship = milestone.apprenticeship
    notify(
        recipients=[*raps_admins_of(sponsor_id=apprenticeship.program.sponsor_id), apprenticeship.apprentice],
        event=Event.MILESTONE_REACHED,
        subject=milestone,
        message=_reached_message(milestone, basis_text),
    )


def milestone_decided(milestone: Milestone) -> None:
    apprenticeship = milestone.apprenticeship
    name = apprentice_name(apprenticeship)
    decided = "approved" if milestone.status == "approved" else "rejected"
    lines = [
        f"The milestone “{milestone.definition.name}” of {name} ({apprenticeship.program.title}) was {decided} "
        f"on {timezone.localtime(milestone.decided_at):%B %d, %Y}."
    ]
    if milestone.note:
        lines.append(f"Note: {milestone.note}")
    notify(
        recipients=[
            apprenticeship.apprentice,
            *employer_staff_of(employer_id=apprenticeship.employer_id, sponsor_id=apprenticeship.program.sponsor_id),
        ],
        event=Event.MILESTONE_APPROVED if decided == "approved" else Event.MILESTONE_REJECTED,
        subject=milestone,
        message=message(
            title=f"Milestone {decided}: {milestone.definition.name}", lines=lines, link=link_to(apprenticeship)
        ),
    )


def milestones_decided(milestones: list[Milestone]) -> None:
    """Milestones of one bulk decision: the apprentice and the employer's staff of each
    apprenticeship are told once, of all its milestones of the request."""
    by_apprenticeship = defaultdict(list)
    for milestone in milestones:
        by_apprenticeship[milestone.apprenticeship_id].append(milestone)
    staff = _staff_by_employer({_employer_and_sponsor(group[0].apprenticeship) for group in by_apprenticeship.values()})
    found = []
    for group in by_apprenticeship.values():
        group.sort(key=lambda milestone: (milestone.reached_at, milestone.definition.name))
        first = group[0]
        apprenticeship = first.apprenticeship
        name = apprentice_name(apprenticeship)
        decided = "approved" if first.status == MilestoneStatus.APPROVED else "rejected"
        lines = [
            f"The milestone “{milestone.definition.name}” of {name} ({apprenticeship.program.title}) was {decided} "
            f"on {timezone.localtime(milestone.decided_at):%B %d, %Y}."
            for milestone in group
        ]
        if first.note:
            lines.append(f"Note: {first.note}")
        title = (
            f"Milestone {decided}: {first.definition.name}"
            if len(group) == 1
            else f"{len(group)} milestones {decided}: {', '.join(m.definition.name for m in group)}"
        )
        found.append(
            Notice(
                recipients=[apprenticeship.apprentice, *staff[_employer_and_sponsor(apprenticeship)]],
                event=Event.MILESTONE_APPROVED if decided == "approved" else Event.MILESTONE_REJECTED,
                subject=first if len(group) == 1 else apprenticeship,
                message=message(title=title, lines=lines, link=link_to(apprenticeship)),
            )
        )
    notify_all(found)


def milestones_reached(reached: list[tuple[Milestone, str]]) -> None:
    """`milestone_reached` of each (milestone, figures in words) that one change reached, told in
    one `notify_all`: the RAPS admins of the sponsors read in one query."""
    admins = _admins_by_sponsor({milestone.apprenticeship.program.sponsor_id for milestone, _ in reached})
    notify_all(
        [
            Notice(
                recipients=[*admins[milestone.apprenticeship.program.sponsor_id], milestone.apprenticeship.apprentice],
                event=Event.MILESTONE_REACHED,
                subject=milestone,
                message=_reached_message(milestone, basis_text),
            )
            for milestone, basis_text in reached
        ]
    )
