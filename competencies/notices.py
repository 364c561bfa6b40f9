"""Who is told about hours and sign-offs (docs/domain.md, "Events that notify")."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from apprenticeships.notices import apprentice_name, link_to, message
from notifications.models import Event
from notifications.services import Notice, notify, notify_all
from sponsors.models import Membership
from sponsors.selectors import employer_staff_of, raps_admins_of

from .models import HourKind, HourLog, HourLogStatus, Milestone, MilestoneStatus
from .selectors import pace_of_open_apprenticeships


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


# --- weekly notices (Celery beat); each at most once per recipient and week -------------------


def _week(today) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def _staff_by_employer(pairs) -> dict:
    """{(employer id, sponsor id): [staff of the employer whose grant covers the sponsor]}."""
    staff = defaultdict(list)
    pairs = set(pairs)
    memberships = Membership.objects.filter(employer_id__in={employer_id for employer_id, _ in pairs})
    for membership in memberships.select_related("user"):
        for employer_id, sponsor_id in pairs:
            if membership.employer_id == employer_id and membership.limited_to_sponsor_id in (None, sponsor_id):
                staff[(employer_id, sponsor_id)].append(membership.user)
    return staff


def _employer_and_sponsor(apprenticeship) -> tuple:
    return apprenticeship.employer_id, apprenticeship.program.sponsor_id


def _admins_by_sponsor(sponsor_ids) -> dict:
    admins = defaultdict(list)
    for membership in Membership.objects.filter(sponsor_id__in=sponsor_ids).select_related("user"):
        admins[membership.sponsor_id].append(membership.user)
    return admins


def _list_link(view: str) -> str:
    """The front end's list of apprenticeships `view` names: a notice about several has no one
    apprenticeship to link to."""
    return f"{settings.FRONTEND_URL}/apprenticeships?{view}=true"


def _by_recipient(pairs) -> dict:
    """{user id: (user, [rows])} from (users, row) pairs: each row once per user, in the order of
    the apprentices' names, so that a person told of several apprentices gets one list."""
    lists: dict = {}
    for users, row in pairs:
        for user in users:
            rows = lists.setdefault(user.pk, (user, {}))[1]
            rows.setdefault(row["apprenticeship"].pk, row)
    return {
        user_id: (
            user,
            sorted(
                rows.values(), key=lambda row: (apprentice_name(row["apprenticeship"]), str(row["apprenticeship"].pk))
            ),
        )
        for user_id, (user, rows) in lists.items()
    }


def _last_logged(row) -> str:
    """Since when nothing counts: the last day logged, or that nothing ever was."""
    return f"since {row['last_logged_on']:%B %d, %Y}" if row["last_logged_on"] else "ever"


def no_hours_reminders(*, today) -> int:
    """Active apprenticeships with no hours logged in the last 7 days: the apprentice is reminded
    of theirs, and each of the employer staff gets one list of their quiet apprentices."""
    week, since = _week(today), today - timedelta(days=7)
    quiet = [
        row
        for row in pace_of_open_apprenticeships(today=today)
        if row["apprenticeship"].start_date <= since
        and (row["last_logged_on"] is None or row["last_logged_on"] < since)
    ]
    staff = _staff_by_employer({_employer_and_sponsor(row["apprenticeship"]) for row in quiet})
    written = 0
    for row in quiet:
        apprenticeship = row["apprenticeship"]
        name = apprentice_name(apprenticeship)
        written += len(
            notify(
                recipients=[apprenticeship.apprentice],
                event=Event.NO_HOURS_REMINDER,
                subject=apprenticeship,
                dedupe_key_for=lambda user_id, a=apprenticeship: f"no_hours:{week}:{a.pk}:{user_id}",
                message=message(
                    title=f"No hours logged for {name} in 7 days",
                    lines=[
                        f"No hours were logged for {name} ({apprenticeship.program.title}) {_last_logged(row)}.",
                        f"{row['remaining']:.2f} OJT hours remain before {apprenticeship.expected_end_date:%B %d, %Y}.",
                    ],
                    link=link_to(apprenticeship),
                ),
            )
        )
    lists = _by_recipient((staff[_employer_and_sponsor(row["apprenticeship"])], row) for row in quiet)
    for user_id, (user, rows) in lists.items():
        about = apprentice_name(rows[0]["apprenticeship"]) if len(rows) == 1 else f"{len(rows)} apprentices"
        written += len(
            notify(
                recipients=[user],
                event=Event.NO_HOURS_REMINDER,
                # About several apprenticeships: the list is the subject, and it has no one row.
                subject=None,
                dedupe_key_for=lambda user_id: f"no_hours:{week}:{user_id}",
                message=message(
                    title=f"No hours logged for {about} in 7 days",
                    lines=[
                        f"Week {week}: no hours were logged in the last 7 days for:",
                        *(
                            f"{apprentice_name(row['apprenticeship'])} ({row['apprenticeship'].program.title}, "
                            f"{row['apprenticeship'].employer.name}): nothing logged {_last_logged(row)}; "
                            f"{row['remaining']:.2f} OJT hours remain before "
                            f"{row['apprenticeship'].expected_end_date:%B %d, %Y}."
                            for row in rows
                        ),
                    ],
                    link=_list_link("no_recent_hours"),
                ),
            )
        )
    return written


def behind_pace_alerts(*, today) -> int:
    """Active apprenticeships whose projected completion is after the expected end date (or that
    have no pace at all): each of the employer staff and the RAPS admins gets one list of theirs."""
    week = _week(today)
    behind = [
        row
        for row in pace_of_open_apprenticeships(today=today)
        if row["remaining"] > 0
        and (
            row["projected_completion_date"] is None
            or row["projected_completion_date"] > row["apprenticeship"].expected_end_date
        )
    ]
    staff = _staff_by_employer({_employer_and_sponsor(row["apprenticeship"]) for row in behind})
    admins = _admins_by_sponsor({row["apprenticeship"].program.sponsor_id for row in behind})
    lists = _by_recipient(
        (
            [*staff[_employer_and_sponsor(row["apprenticeship"])], *admins[row["apprenticeship"].program.sponsor_id]],
            row,
        )
        for row in behind
    )
    written = 0
    for user_id, (user, rows) in lists.items():
        about = f"{apprentice_name(rows[0]['apprenticeship'])} is" if len(rows) == 1 else f"{len(rows)} apprentices are"
        lines = [f"Week {week}: projected to finish after the expected end date:"]
        for row in rows:
            apprenticeship = row["apprenticeship"]
            projected = (
                f"{row['projected_completion_date']:%B %d, %Y}"
                if row["projected_completion_date"]
                else "not in sight (no recent hours)"
            )
            lines.append(
                f"{apprentice_name(apprenticeship)} ({apprenticeship.program.title}, {apprenticeship.employer.name}) "
                f"logs {row['hours_per_week']:.2f} OJT hours a week over the last 8 weeks; "
                f"{row['remaining']:.2f} remain. Projected completion: {projected}; "
                f"expected end: {apprenticeship.expected_end_date:%B %d, %Y}."
            )
        written += len(
            notify(
                recipients=[user],
                event=Event.BEHIND_PACE,
                # About several apprenticeships: the list is the subject, and it has no one row.
                subject=None,
                dedupe_key_for=lambda user_id: f"behind_pace:{week}:{user_id}",
                message=message(title=f"{about} behind pace", lines=lines, link=_list_link("behind_pace")),
            )
        )
    return written


def weekly_digests(*, today) -> int:
    """RAPS admins and employer staff who have pending approvals or milestones get one digest."""
    week = _week(today)
    submitted = HourLog.objects.filter(status=HourLogStatus.SUBMITTED)
    rti_by_sponsor = dict(
        submitted.filter(kind=HourKind.RTI).values_list("apprenticeship__program__sponsor_id").annotate(n=Count("id"))
    )
    by_employer_and_sponsor = ("apprenticeship__employer_id", "apprenticeship__program__sponsor_id")
    ojt_by_employer = {
        (employer_id, sponsor_id): n
        for employer_id, sponsor_id, n in submitted.filter(kind=HourKind.OJT)
        .values_list(*by_employer_and_sponsor)
        .annotate(n=Count("id"))
    }
    pending = Milestone.objects.filter(status=MilestoneStatus.PENDING)
    milestones_by_sponsor = dict(pending.values_list("apprenticeship__program__sponsor_id").annotate(n=Count("id")))
    milestones_by_employer = {
        (employer_id, sponsor_id): n
        for employer_id, sponsor_id, n in pending.values_list(*by_employer_and_sponsor).annotate(n=Count("id"))
    }
    counts: dict = defaultdict(lambda: [0, 0])  # user -> [hours to approve, pending milestones]
    people = {}
    for sponsor_id, users in _admins_by_sponsor(set(rti_by_sponsor) | set(milestones_by_sponsor)).items():
        for user in users:
            people[user.pk] = user
            counts[user.pk][0] += rti_by_sponsor.get(sponsor_id, 0)
            counts[user.pk][1] += milestones_by_sponsor.get(sponsor_id, 0)
    for pair, users in _staff_by_employer(set(ojt_by_employer) | set(milestones_by_employer)).items():
        for user in users:
            people[user.pk] = user
            counts[user.pk][0] += ojt_by_employer.get(pair, 0)
            counts[user.pk][1] += milestones_by_employer.get(pair, 0)
    written = 0
    for user_id, (logs, milestones) in counts.items():
        if not logs and not milestones:
            continue
        written += len(
            notify(
                recipients=[people[user_id]],
                event=Event.WEEKLY_DIGEST,
                dedupe_key_for=lambda user_id: f"digest:{week}:{user_id}",
                message=message(
                    title=f"This week: {logs} hour logs to approve, {milestones} milestones pending",
                    lines=[
                        f"Week {week}: {logs} submitted hour logs wait for your approval and {milestones} milestones are pending."
                    ],
                    link=f"{settings.FRONTEND_URL}/approvals",
                ),
            )
        )
    return written


# --- milestones ---------------------------------------------------------------------------------


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
