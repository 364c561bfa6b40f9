"""Who is told about an aid request, and what: the apprentice, the sponsor's RAPS administrators
and whoever asked on the apprentice's behalf. Employer staff who did not ask are not told: a
barrier (housing, childcare) is the apprentice's own business. Every message is a builder, made
in the recipient's language when `notify` calls it."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Event
from notifications.services import Message, notify
from portal.i18n import long_date
from sponsors.selectors import raps_admins_of

from ..models import AidRequest, AidStatus
from . import apprentice_name, link_to, message

EVENTS = {
    AidStatus.REQUESTED: Event.AID_REQUESTED,
    AidStatus.APPROVED: Event.AID_APPROVED,
    AidStatus.DENIED: Event.AID_DENIED,
    AidStatus.PAID: Event.AID_PAID,
    AidStatus.WITHDRAWN: Event.AID_WITHDRAWN,
}


def money(amount: Decimal | None) -> str:
    return f"${amount or 0:,.2f}"


def _lines(aid: AidRequest) -> list[str]:
    figures = {
        "name": apprentice_name(aid.apprenticeship),
        "requested": money(aid.amount_requested),
        "approved": money(aid.amount_approved),
        "category": aid.get_barrier_category_display(),
        "fund": aid.fund.name if aid.fund else "",
        "day": long_date(timezone.localdate()),
        "paid_on": long_date(aid.paid_on) if aid.paid_on else "",
        "method": aid.get_payment_method_display(),
    }
    said = {
        AidStatus.REQUESTED: _("%(name)s asked for %(requested)s of emergency aid (%(category)s) on %(day)s."),
        AidStatus.APPROVED: _(
            "Emergency aid for %(name)s (%(category)s) was approved on %(day)s: %(approved)s of the "
            "%(requested)s requested, from %(fund)s."
        ),
        AidStatus.DENIED: _("The request of %(name)s for %(requested)s of emergency aid was denied on %(day)s."),
        AidStatus.PAID: _("%(approved)s of emergency aid was paid to %(name)s on %(paid_on)s (%(method)s)."),
        AidStatus.WITHDRAWN: _("The request of %(name)s for %(requested)s of emergency aid was withdrawn on %(day)s."),
    }[AidStatus(aid.status)] % figures
    lines = [said]
    reason = aid.withdrawn_reason if aid.status == AidStatus.WITHDRAWN else aid.decision_reason
    if reason and aid.status != AidStatus.PAID:
        lines.append(_("Reason: %(reason)s") % {"reason": reason})
    return lines


def _titles(aid: AidRequest) -> str:
    name = apprentice_name(aid.apprenticeship)
    return {
        AidStatus.REQUESTED: _("%(name)s: emergency aid requested"),
        AidStatus.APPROVED: _("%(name)s: emergency aid approved"),
        AidStatus.DENIED: _("%(name)s: emergency aid denied"),
        AidStatus.PAID: _("%(name)s: emergency aid paid"),
        AidStatus.WITHDRAWN: _("%(name)s: emergency aid request withdrawn"),
    }[AidStatus(aid.status)] % {"name": name}


def aid_request_moved(aid: AidRequest) -> None:
    """Tell the apprentice, the sponsor's RAPS admins and the requester that `aid` reached its status."""
    apprenticeship = aid.apprenticeship

    def build() -> Message:
        return message(title=_titles(aid), lines=_lines(aid), link=link_to(apprenticeship))

    notify(
        recipients=[
            apprenticeship.apprentice,
            aid.requested_by,
            *raps_admins_of(sponsor_id=apprenticeship.program.sponsor_id),
        ],
        event=EVENTS[AidStatus(aid.status)],
        subject=aid,
        message=build,
    )
