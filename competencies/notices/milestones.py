"""Who is told when a milestone is reached or decided, one at a time or in bulk (one notice per
apprenticeship)."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import partial

from django.utils import timezone
from django.utils.translation import gettext as _

from apprenticeships.notices import apprentice_name, link_to, message
from notifications.models import Event
from notifications.services import Message, Notice, notify, notify_all
from portal.i18n import long_date
from sponsors.selectors import employer_staff_of, raps_admins_of

from ..models import Milestone, MilestoneStatus
from .recipients import _admins_by_sponsor, _employer_and_sponsor, _staff_by_employer


def _reached_message(milestone: Milestone, basis_text: "Callable[[], str] | str") -> Message:
    """`basis_text`: the figures in words, a string or a function of no arguments that writes
    them in the active language."""
    apprenticeship = milestone.apprenticeship
    name = apprentice_name(apprenticeship)
    figures = {
        "name": name,
        "milestone": milestone.definition.name,
        "program": apprenticeship.program.title,
        "employer": apprenticeship.employer.name,
        "date": long_date(timezone.localtime(milestone.reached_at)),
        "basis": basis_text() if callable(basis_text) else basis_text,
    }
    return message(
        title=_("%(name)s reached “%(milestone)s”") % figures,
        lines=[
            _("%(name)s (%(program)s, %(employer)s) reached the milestone “%(milestone)s” on %(date)s: %(basis)s.")
            % figures,
            _("A RAPS administrator of the sponsor approves or rejects it."),
        ],
        link=link_to(apprenticeship),
    )


def _decided_message(group: list[Milestone]) -> Message:
    """The notice of one apprenticeship's milestones of one decision, in the active language."""
    first = group[0]
    apprenticeship = first.apprenticeship
    decided = _("approved") if first.status == MilestoneStatus.APPROVED else _("rejected")
    lines = [
        _("The milestone “%(milestone)s” of %(name)s (%(program)s) was %(decided)s on %(date)s.")
        % {
            "milestone": milestone.definition.name,
            "name": apprentice_name(apprenticeship),
            "program": apprenticeship.program.title,
            "decided": decided,
            "date": long_date(timezone.localtime(milestone.decided_at)),
        }
        for milestone in group
    ]
    if first.note:
        lines.append(_("Note: %(note)s") % {"note": first.note})
    if len(group) == 1:
        title = _("Milestone %(decided)s: %(milestone)s") % {"decided": decided, "milestone": first.definition.name}
    else:
        title = _("%(count)s milestones %(decided)s: %(milestones)s") % {
            "count": len(group),
            "decided": decided,
            "milestones": ", ".join(m.definition.name for m in group),
        }
    return message(title=title, lines=lines, link=link_to(apprenticeship))


def milestone_reached(milestone: Milestone, basis_text: "Callable[[], str] | str") -> None:
    apprenticeship = milestone.apprenticeship
    notify(
        recipients=[*raps_admins_of(sponsor_id=apprenticeship.program.sponsor_id), apprenticeship.apprentice],
        event=Event.MILESTONE_REACHED,
        subject=milestone,
        message=partial(_reached_message, milestone, basis_text),
    )


def milestone_decided(milestone: Milestone) -> None:
    apprenticeship = milestone.apprenticeship
    decided = "approved" if milestone.status == "approved" else "rejected"
    notify(
        recipients=[
            apprenticeship.apprentice,
            *employer_staff_of(employer_id=apprenticeship.employer_id, sponsor_id=apprenticeship.program.sponsor_id),
        ],
        event=Event.MILESTONE_APPROVED if decided == "approved" else Event.MILESTONE_REJECTED,
        subject=milestone,
        message=partial(_decided_message, [milestone]),
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
        decided = "approved" if first.status == MilestoneStatus.APPROVED else "rejected"
        found.append(
            Notice(
                recipients=[apprenticeship.apprentice, *staff[_employer_and_sponsor(apprenticeship)]],
                event=Event.MILESTONE_APPROVED if decided == "approved" else Event.MILESTONE_REJECTED,
                subject=first if len(group) == 1 else apprenticeship,
                message=partial(_decided_message, group),
            )
        )
    notify_all(found)


def milestones_reached(reached: "Sequence[tuple[Milestone, Callable[[], str] | str]]") -> None:
    """`milestone_reached` of each (milestone, figures in words) that one change reached, told in
    one `notify_all`: the RAPS admins of the sponsors read in one query."""
    admins = _admins_by_sponsor({milestone.apprenticeship.program.sponsor_id for milestone, _ in reached})
    notify_all(
        [
            Notice(
                recipients=[*admins[milestone.apprenticeship.program.sponsor_id], milestone.apprenticeship.apprentice],
                event=Event.MILESTONE_REACHED,
                subject=milestone,
                message=partial(_reached_message, milestone, basis_text),
            )
            for milestone, basis_text in reached
        ]
    )
