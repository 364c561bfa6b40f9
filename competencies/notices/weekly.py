"""The weekly notices (Celery beat): no hours lately, behind pace, the digest; each at most once per
recipient and week."""

from collections import defaultdict
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from apprenticeships.notices import apprentice_name, link_to, message
from notifications.models import Event
from notifications.services import Message, notify
from portal.i18n import long_date

from ..models import HourKind, HourLog, HourLogStatus, Milestone, MilestoneStatus
from ..selectors import pace_of_open_apprenticeships

# --- weekly notices (Celery beat); each at most once per recipient and week -------------------
from .recipients import _admins_by_sponsor, _employer_and_sponsor, _staff_by_employer


def _week(today) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


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
    if row["last_logged_on"]:
        return _("since %(date)s") % {"date": long_date(row["last_logged_on"])}
    return _("ever")


def _quiet_message(row, week: str) -> Message:
    apprenticeship = row["apprenticeship"]
    figures = {
        "name": apprentice_name(apprenticeship),
        "program": apprenticeship.program.title,
        "since": _last_logged(row),
        "remaining": f"{row['remaining']:.2f}",
        "end": long_date(apprenticeship.expected_end_date),
    }
    return message(
        title=_("No hours logged for %(name)s in 7 days") % figures,
        lines=[
            _("No hours were logged for %(name)s (%(program)s) %(since)s.") % figures,
            _("%(remaining)s OJT hours remain before %(end)s.") % figures,
        ],
        link=link_to(apprenticeship),
    )


def _quiet_list_message(rows, week: str) -> Message:
    if len(rows) == 1:
        about = apprentice_name(rows[0]["apprenticeship"])
    else:
        about = _("%(count)s apprentices") % {"count": len(rows)}
    return message(
        title=_("No hours logged for %(about)s in 7 days") % {"about": about},
        lines=[
            _("Week %(week)s: no hours were logged in the last 7 days for:") % {"week": week},
            *(
                _(
                    "%(name)s (%(program)s, %(employer)s): nothing logged %(since)s; "
                    "%(remaining)s OJT hours remain before %(end)s."
                )
                % {
                    "name": apprentice_name(row["apprenticeship"]),
                    "program": row["apprenticeship"].program.title,
                    "employer": row["apprenticeship"].employer.name,
                    "since": _last_logged(row),
                    "remaining": f"{row['remaining']:.2f}",
                    "end": long_date(row["apprenticeship"].expected_end_date),
                }
                for row in rows
            ),
        ],
        link=_list_link("no_recent_hours"),
    )


def _behind_message(rows, week: str) -> Message:
    if len(rows) == 1:
        title = _("%(name)s is behind pace") % {"name": apprentice_name(rows[0]["apprenticeship"])}
    else:
        title = _("%(count)s apprentices are behind pace") % {"count": len(rows)}
    lines = [_("Week %(week)s: projected to finish after the expected end date:") % {"week": week}]
    for row in rows:
        apprenticeship = row["apprenticeship"]
        projected = (
            long_date(row["projected_completion_date"])
            if row["projected_completion_date"]
            else _("not in sight (no recent hours)")
        )
        lines.append(
            _(
                "%(name)s (%(program)s, %(employer)s) logs %(pace)s OJT hours a week over the last 8 weeks; "
                "%(remaining)s remain. Projected completion: %(projected)s; expected end: %(end)s."
            )
            % {
                "name": apprentice_name(apprenticeship),
                "program": apprenticeship.program.title,
                "employer": apprenticeship.employer.name,
                "pace": f"{row['hours_per_week']:.2f}",
                "remaining": f"{row['remaining']:.2f}",
                "projected": projected,
                "end": long_date(apprenticeship.expected_end_date),
            }
        )
    return message(title=title, lines=lines, link=_list_link("behind_pace"))


def _digest_message(logs: int, milestones: int, week: str) -> Message:
    figures = {"logs": logs, "milestones": milestones, "week": week}
    return message(
        title=_("This week: %(logs)s hour logs to approve, %(milestones)s milestones pending") % figures,
        lines=[
            _(
                "Week %(week)s: %(logs)s submitted hour logs wait for your approval and %(milestones)s milestones "
                "are pending."
            )
            % figures
        ],
        link=f"{settings.FRONTEND_URL}/approvals",
    )


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
        written += len(
            notify(
                recipients=[apprenticeship.apprentice],
                event=Event.NO_HOURS_REMINDER,
                subject=apprenticeship,
                dedupe_key_for=lambda user_id, a=apprenticeship: f"no_hours:{week}:{a.pk}:{user_id}",
                message=partial(_quiet_message, row, week),
            )
        )
    lists = _by_recipient((staff[_employer_and_sponsor(row["apprenticeship"])], row) for row in quiet)
    for user_id, (user, rows) in lists.items():
        written += len(
            notify(
                recipients=[user],
                event=Event.NO_HOURS_REMINDER,
                # About several apprenticeships: the list is the subject, and it has no one row.
                subject=None,
                dedupe_key_for=lambda user_id: f"no_hours:{week}:{user_id}",
                message=partial(_quiet_list_message, rows, week),
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
        written += len(
            notify(
                recipients=[user],
                event=Event.BEHIND_PACE,
                # About several apprenticeships: the list is the subject, and it has no one row.
                subject=None,
                dedupe_key_for=lambda user_id: f"behind_pace:{week}:{user_id}",
                message=partial(_behind_message, rows, week),
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
                message=partial(_digest_message, logs, milestones, week),
            )
        )
    return written
