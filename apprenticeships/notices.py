"""Who is told what about an apprenticeship (docs/domain.md, "Events that notify"), as messages with
the apprentice's name, the figures, the dates and a link to the front end. Never an SSN or a
date of birth."""

from django.conf import settings

from notifications.models import Event
from notifications.services import Message, notify
from sponsors.selectors import employer_staff_of

from .models import Apprenticeship


def link_to(apprenticeship: Apprenticeship) -> str:
    return f"{settings.FRONTEND_URL}/apprenticeships/{apprenticeship.pk}"


def apprentice_name(apprenticeship: Apprenticeship) -> str:
    user = apprenticeship.apprentice
    return user.display_name


def message(*, title: str, lines: list[str], link: str) -> Message:
    """A plain-text and an HTML body from the same lines."""
    from django.utils.html import escape

    body = "\n".join([*lines, "", f"Open in the portal: {link}"])
    html = (
        "".join(f"<p>{escape(line)}</p>" for line in lines) + f'<p><a href="{escape(link)}">Open in the portal</a></p>'
    )
    return Message(title=title, body=body, body_html=html, link=link)


def status_changed(apprenticeship: Apprenticeship, previous: str, reason: str) -> None:
    name = apprentice_name(apprenticeship)
    lines = [
        f"The apprenticeship of {name} ({apprenticeship.program.title}, {apprenticeship.employer.name}) changed "
        f"from {previous} to {apprenticeship.status} on {apprenticeship.status_changed_on:%B %d, %Y}."
    ]
    if reason:
        lines.append(f"Reason: {reason}")
    notify(
        recipients=[
            apprenticeship.apprentice,
            *employer_staff_of(employer_id=apprenticeship.employer_id, sponsor_id=apprenticeship.program.sponsor_id),
        ],
        event=Event.STATUS_CHANGED,
        subject=apprenticeship,
        message=message(
            title=f"{name}: apprenticeship {apprenticeship.status}", lines=lines, link=link_to(apprenticeship)
        ),
    )
