"""Who is told what about an apprenticeship (docs/domain.md, "Events that notify"), as messages with
the apprentice's name, the figures, the dates and a link to the front end. Never an SSN or a
date of birth. The helpers here (the link, the name, the message) serve every app's notices;
emergency aid's are in aid.py."""

from django.conf import settings
from django.utils.translation import gettext as _

from notifications.models import Event
from notifications.services import Message, notify
from portal.i18n import long_date
from sponsors.selectors import employer_staff_of

from ..models import Apprenticeship


def link_to(apprenticeship: Apprenticeship) -> str:
    return f"{settings.FRONTEND_URL}/apprenticeships/{apprenticeship.pk}"


def apprentice_name(apprenticeship: Apprenticeship) -> str:
    user = apprenticeship.apprentice
    return user.display_name


def message(*, title: str, lines: list[str], link: str) -> Message:
    """A plain-text and an HTML body from the same lines, in the active language (a builder that
    `notify` calls once per language of the recipients calls this)."""
    from django.utils.html import escape

    body = "\n".join([*lines, "", _("Open in the portal: %(link)s") % {"link": link}])
    label = _("Open in the portal")
    html = "".join(f"<p>{escape(line)}</p>" for line in lines) + f'<p><a href="{escape(link)}">{escape(label)}</a></p>'

    return Message(title=title, body=body, body_html=html, link=link)


def status_word(status: str) -> str:
    """An apprenticeship's status in a sentence, in the active language."""
    from ..models import ApprenticeshipStatus

    return str(ApprenticeshipStatus(status).label).lower() if status in ApprenticeshipStatus.values else status


def status_changed(apprenticeship: Apprenticeship, previous: str, reason: str) -> None:
    name = apprentice_name(apprenticeship)

    def says() -> Message:
        lines = [
            _(
                "The apprenticeship of %(name)s (%(program)s, %(employer)s) changed from %(previous)s to "
                "%(status)s on %(date)s."
            )
            % {
                "name": name,
                "program": apprenticeship.program.title,
                "employer": apprenticeship.employer.name,
                "previous": status_word(previous),
                "status": status_word(apprenticeship.status),
                "date": long_date(apprenticeship.status_changed_on) if apprenticeship.status_changed_on else "",
            }
        ]
        if reason:
            lines.append(_("Reason: %(reason)s") % {"reason": reason})
        return message(
            title=_("%(name)s: apprenticeship %(status)s")
            % {"name": name, "status": status_word(apprenticeship.status)},
            lines=lines,
            link=link_to(apprenticeship),
        )

    notify(
        recipients=[
            apprenticeship.apprentice,
            *employer_staff_of(employer_id=apprenticeship.employer_id, sponsor_id=apprenticeship.program.sponsor_id),
        ],
        event=Event.STATUS_CHANGED,
        subject=apprenticeship,
        message=says,
    )
