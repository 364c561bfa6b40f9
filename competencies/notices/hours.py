"""Who is told about hours and sign-offs as they are written and decided, one at a time or in bulk
(docs/domain.md, "Events that notify")."""

from collections import defaultdict
from functools import partial

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apprenticeships.notices import apprentice_name, link_to, message
from notifications.models import Event
from notifications.services import Message, Notice, notify, notify_all
from portal.i18n import in_words, long_date, short_date
from sponsors.selectors import employer_staff_of, raps_admins_of

from ..models import HourKind, HourLog, HourLogStatus


def _hours(total) -> str:
    return f"{total:.2f} h"


def _span(days) -> str:
    if len(days) == 1:
        return long_date(days[0])
    return _("%(first)s – %(last)s") % {"first": short_date(days[0]), "last": long_date(days[-1])}


def _kind_label(kind: str) -> str:
    return _("on-the-job") if kind == HourKind.OJT else _("related-instruction")


def _status_word(status: str) -> str:
    """A log's decision in a sentence: "approved", "rejected", "voided"."""
    # Only the one word is translated: a bulk decision's notices ask for it hundreds of times.
    if status == HourLogStatus.APPROVED:
        return _("approved")
    if status == HourLogStatus.REJECTED:
        return _("rejected")
    if status == HourLogStatus.VOIDED:
        return _("voided")
    return str(status)


class _Words(dict):
    """The words the notices of one request repeat (a decision, a kind of hours, a day), each
    written once per language: the notices of a bulk decision of 200 logs ask for them hundreds
    of times, and each translation and date format costs as much as the rest of a line."""

    def of(self, write, value) -> str:
        key = (translation.get_language(), write, value)
        if key not in self:
            self[key] = write(value)
        return self[key]


def _kind_word(kind: str) -> str:
    """A log's kind in a sentence: "on-the-job training" (its label, lowercased)."""
    return in_words(HourKind, kind)


def _log_line(log: HourLog, words: _Words) -> str:
    apprenticeship = log.apprenticeship
    return _("%(hours)s of %(kind)s of %(name)s (%(program)s) on %(date)s were %(status)s.") % {
        "hours": _hours(log.hours),
        "kind": words.of(_kind_word, log.kind),
        "name": apprentice_name(apprenticeship),
        "program": apprenticeship.program.title,
        "date": words.of(long_date, log.date),
        "status": words.of(_status_word, log.status),
    }


def _written_message(group: list[HourLog], *, submitted: bool) -> Message:
    """The notice of new logs of one apprenticeship and kind: submitted (to the reviewers) or
    approved on entry (to the apprentice), in the active language."""
    apprenticeship = group[0].apprenticeship
    figures = {
        "name": apprentice_name(apprenticeship),
        "hours": _hours(sum(log.hours for log in group)),
        "kind": _kind_label(group[0].kind),
        "span": _span(sorted({log.date for log in group})),
        "program": apprenticeship.program.title,
    }
    if submitted:
        title = _("%(name)s submitted %(hours)s of %(kind)s hours") % figures
        line = _("%(name)s submitted %(hours)s of %(kind)s hours for %(span)s, waiting for your approval.") % figures
    else:
        title = _("%(hours)s of %(kind)s hours recorded") % figures
        line = (
            _("%(hours)s of %(kind)s hours of %(name)s (%(program)s) for %(span)s were logged and approved.") % figures
        )
    return message(title=title, lines=[line], link=link_to(apprenticeship))


def _decided_message(group: list[HourLog], words: _Words | None = None) -> Message:
    """The notice of one apprentice's logs of one decision (one log or several), in the active
    language; `words`: those already written for the other notices of the request."""
    words = _Words() if words is None else words
    first = group[0]
    lines = [_log_line(log, words) for log in group]
    if first.review_note:
        lines.append(_("Reason: %(reason)s") % {"reason": first.review_note})
    if len(group) == 1:
        title = _("Hours %(status)s: %(hours)s on %(date)s") % {
            "status": words.of(_status_word, first.status),
            "hours": _hours(first.hours),
            "date": short_date(first.date),
        }
    else:
        title = _("Hours %(status)s: %(count)s logs, %(hours)s") % {
            "status": words.of(_status_word, first.status),
            "count": len(group),
            "hours": _hours(sum(log.hours for log in group)),
        }
    return message(title=title, lines=lines, link=link_to(first.apprenticeship))


def hours_written(logs: list[HourLog]) -> None:
    """New logs, told once per apprenticeship and kind of the request: submitted ones to their
    reviewers (employer staff for OJT, RAPS admins for RTI), approved-on-entry ones to the apprentice."""
    groups = defaultdict(list)
    for log in logs:
        groups[(log.apprenticeship_id, log.kind, log.status)].append(log)
    for (_id, kind, status), group in groups.items():
        apprenticeship = group[0].apprenticeship
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
                message=partial(_written_message, group, submitted=True),
            )
        else:
            notify(
                recipients=[apprenticeship.apprentice],
                event=Event.HOURS_APPROVED,
                subject=group[0] if len(group) == 1 else apprenticeship,
                message=partial(_written_message, group, submitted=False),
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
    notify(
        recipients=[apprenticeship.apprentice],
        event=event,
        subject=log,
        message=partial(_decided_message, [log]),
    )


def competency_signed_off(signoff) -> None:
    apprenticeship = signoff.apprenticeship
    signer = signoff.signed_off_by.display_name
    notify(
        recipients=[apprenticeship.apprentice],
        event=Event.COMPETENCY_SIGNED_OFF,
        subject=signoff,
        message=lambda: message(
            title=_("Competency signed off: %(competency)s") % {"competency": signoff.competency.title},
            lines=[
                _(
                    "%(signer)s signed off “%(code)s %(competency)s” of %(name)s (%(program)s) as %(rating)s on %(date)s."
                )
                % {
                    "signer": signer,
                    "code": signoff.competency.code,
                    "competency": signoff.competency.title,
                    "name": apprentice_name(apprenticeship),
                    "program": apprenticeship.program.title,
                    "rating": signoff.get_rating_display().lower(),
                    "date": long_date(timezone.localtime(signoff.signed_off_at)),
                }
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
    words = _Words()
    for group in by_apprentice.values():
        group.sort(key=lambda log: (log.date, log.kind, str(log.pk)))
        first = group[0]
        apprenticeship = first.apprenticeship
        found.append(
            Notice(
                recipients=[apprenticeship.apprentice],
                event=events[first.status],
                subject=_one_subject(group, [log.apprenticeship for log in group]),
                message=partial(_decided_message, group, words),
            )
        )
    notify_all(found)
