"""Writes of emergency aid (the Worker Equity Fund): a request, its approval, denial, payment and
withdrawal. Each step is in the request's history with its reason, and told (notices/aid.py).

The two hard limits, a participant's cap (WORKER_EQUITY_FUND_CAP, over every request of every
apprenticeship of theirs) and what a fund has left, are held under row locks taken in one order
by every approval: the aid request, then the participant's user row, then the fund's row
(docs/architecture.md, "Aid under concurrency")."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.models import User
from portal.tenancy import Scope
from sponsors.funds_selectors import fund_spent
from sponsors.models import Fund

from ..models import (
    AID_TRANSITIONS,
    OPEN_STATUSES,
    AidRequest,
    AidStatus,
    Apprenticeship,
    Document,
    DocumentStatus,
)
from ..notices import aid as aid_notices
from ..selectors.aid import participant_used


class AidLimitExceeded(Conflict):
    """An approval past a hard limit (HTTP 409): `limit` is "fund" or "participant_cap", and
    `remaining` what that limit has left."""

    def __init__(self, message: str, *, limit: str, remaining: Decimal):
        super().__init__(message)
        self.limit = limit
        self.remaining = remaining


def _cap() -> Decimal:
    return Decimal(settings.WORKER_EQUITY_FUND_CAP)


def _fund_of_sponsor(fund_id: UUID | str | None, sponsor_id: UUID) -> Fund | None:
    if fund_id is None:
        return None
    fund = Fund.objects.filter(pk=fund_id, sponsor_id=sponsor_id).first()
    if fund is None:
        raise ValidationError({"fund": [_("Not a fund of the apprenticeship's sponsor.")]})
    return fund


def _documents_of(apprenticeship: Apprenticeship, document_ids: Sequence[UUID]) -> list[Document]:
    wanted = set(document_ids)
    found = list(Document.objects.filter(pk__in=wanted, apprenticeship=apprenticeship))
    if len(found) != len(wanted):
        raise ValidationError({"documents": [_("A document named is not in this apprenticeship's vault.")]})
    if any(document.status == DocumentStatus.WITHDRAWN for document in found):
        raise ValidationError({"documents": [_("A document named was withdrawn.")]})
    return found


def aid_request_create(
    *,
    scope: Scope,
    apprenticeship: Apprenticeship,
    requested_by: User,
    amount_requested: Decimal,
    barrier_category: str,
    description: str,
    note: str = "",
    fund_id: UUID | None = None,
    document_ids: Sequence[UUID] = (),
) -> AidRequest:
    """A request of aid on `apprenticeship` (one the caller reads: the apprentice, employer
    staff of its employer, the sponsor's RAPS admins). The fund may wait for the approval."""
    if amount_requested > _cap():
        raise ValidationError(
            {"amount_requested": [_("A participant receives at most %(cap)s in all.") % {"cap": _cap()}]}
        )
    with transaction.atomic():
        apprenticeship = Apprenticeship.objects.select_related("program", "apprentice").get(pk=apprenticeship.pk)
        if apprenticeship.status not in OPEN_STATUSES:
            raise Conflict(_("A %(status)s apprenticeship takes no aid requests.") % {"status": apprenticeship.status})
        fund = _fund_of_sponsor(fund_id, apprenticeship.program.sponsor_id)
        documents = _documents_of(apprenticeship, document_ids)
        aid = AidRequest(
            apprenticeship=apprenticeship,
            fund=fund,
            amount_requested=amount_requested,
            barrier_category=barrier_category,
            description=description.strip(),
            note=note.strip(),
            requested_by=requested_by,
        )
        with_reason(aid, "aid requested", user=requested_by).save()
        if documents:
            aid.documents.set(documents)
        aid_notices.aid_request_moved(aid)
    return aid


def _locked(aid: AidRequest) -> AidRequest:
    return (
        AidRequest.objects.select_for_update(of=("self",))
        .select_related("apprenticeship__program", "apprenticeship__apprentice", "fund", "requested_by")
        .get(pk=aid.pk)
    )


def _check_moves(aid: AidRequest, to: str) -> None:
    """409 unless AID_TRANSITIONS lets the (locked) request move to `to`."""
    if to not in AID_TRANSITIONS[aid.status]:
        raise Conflict(_("A %(status)s aid request cannot be %(to)s.") % {"status": aid.status, "to": to})


def _locked_for_decision(scope: Scope, aid: AidRequest, to: str) -> AidRequest:
    """The request, locked; 403 to anyone but the sponsor's RAPS admins, then 409 if its state
    forbids the move."""
    aid = _locked(aid)
    if not scope.is_raps_admin(aid.apprenticeship.program.sponsor_id):
        raise Forbidden(_("Only the sponsor's RAPS administrators decide and pay aid."))
    _check_moves(aid, to)
    return aid


def aid_request_approve(
    *,
    scope: Scope,
    aid: AidRequest,
    decided_by: User,
    amount: Decimal,
    reason: str,
    fund_id: UUID | None = None,
) -> AidRequest:
    """Approve `amount` (at most what was requested) from a fund of the sponsor: the request's
    own fund, or `fund_id`. 409 (`AidLimitExceeded`) when the participant's cap or the fund has
    less left than `amount`."""
    with transaction.atomic():
        aid = _locked_for_decision(scope, aid, AidStatus.APPROVED)
        if amount <= 0:
            raise ValidationError({"amount": [_("Approve more than 0.")]})
        if amount > aid.amount_requested:
            raise ValidationError(
                {"amount": [_("At most the %(requested)s requested.") % {"requested": aid.amount_requested}]}
            )
        sponsor_id = aid.apprenticeship.program.sponsor_id
        fund = _fund_of_sponsor(fund_id, sponsor_id) if fund_id is not None else aid.fund
        if fund is None:
            raise ValidationError({"fund": [_("Name the fund the aid is paid from.")]})
        today = timezone.localdate()
        if not fund.period_start <= today <= fund.period_end:
            raise ValidationError({"fund": [_("The fund's period does not include today.")]})
        # The participant, then the fund: every approval locks in this order, so two never wait
        # for each other. FOR NO KEY UPDATE: rows that merely point at the user (notifications)
        # are not held up.
        get_user_model().objects.select_for_update(no_key=True).filter(pk=aid.apprenticeship.apprentice_id).values_list(
            "pk"
        ).get()
        fund = Fund.objects.select_for_update(no_key=True).get(pk=fund.pk)
        cap_left = _cap() - participant_used(user_id=aid.apprenticeship.apprentice_id)
        if amount > cap_left:
            raise AidLimitExceeded(
                _("The participant has %(remaining)s left of the %(cap)s cap.")
                % {"remaining": max(cap_left, Decimal("0.00")), "cap": _cap()},
                limit="participant_cap",
                remaining=max(cap_left, Decimal("0.00")),
            )
        fund_left = fund.amount - fund_spent(fund_id=fund.pk)
        if amount > fund_left:
            raise AidLimitExceeded(
                _("The fund %(fund)s has %(remaining)s left.")
                % {"fund": fund.name, "remaining": max(fund_left, Decimal("0.00"))},
                limit="fund",
                remaining=max(fund_left, Decimal("0.00")),
            )
        aid.status, aid.fund, aid.amount_approved = AidStatus.APPROVED, fund, amount
        aid.decided_by, aid.decided_at, aid.decision_reason = decided_by, timezone.now(), reason.strip()
        with_reason(aid, reason.strip() or "aid approved", user=decided_by).save()
        aid_notices.aid_request_moved(aid)
    return aid


def aid_request_deny(*, scope: Scope, aid: AidRequest, decided_by: User, reason: str) -> AidRequest:
    with transaction.atomic():
        aid = _locked_for_decision(scope, aid, AidStatus.DENIED)
        if not reason.strip():
            raise ValidationError({"reason": [_("Say why the aid is denied.")]})
        aid.status, aid.decided_by, aid.decided_at = AidStatus.DENIED, decided_by, timezone.now()
        aid.decision_reason = reason.strip()
        with_reason(aid, reason.strip(), user=decided_by).save()
        aid_notices.aid_request_moved(aid)
    return aid


def aid_request_pay(
    *, scope: Scope, aid: AidRequest, paid_by: User, paid_on: date, method: str, reference: str = ""
) -> AidRequest:
    """Record that the approved amount was paid (on `paid_on`, not in the future nor before the
    approval's day)."""
    with transaction.atomic():
        aid = _locked_for_decision(scope, aid, AidStatus.PAID)
        if paid_on > timezone.localdate():
            raise ValidationError({"paid_on": [_("A payment is not in the future.")]})
        assert aid.decided_at is not None  # an approved request was decided (aid_request_counting_has_amount_and_fund)
        if paid_on < timezone.localtime(aid.decided_at).date():
            raise ValidationError({"paid_on": [_("A payment is not before its approval.")]})
        aid.status, aid.paid_on, aid.payment_method = AidStatus.PAID, paid_on, method
        aid.payment_reference, aid.paid_by = reference.strip(), paid_by
        with_reason(aid, "aid paid", user=paid_by).save()
        aid_notices.aid_request_moved(aid)
    return aid


def aid_request_withdraw(*, scope: Scope, aid: AidRequest, withdrawn_by: User, reason: str = "") -> AidRequest:
    """The requester (or the apprentice) takes back a request not yet decided."""
    with transaction.atomic():
        aid = _locked(aid)
        if withdrawn_by.pk not in (aid.requested_by_id, aid.apprenticeship.apprentice_id):
            raise Forbidden(_("Only who asked, or the apprentice, withdraws an aid request."))
        _check_moves(aid, AidStatus.WITHDRAWN)
        aid.status, aid.withdrawn_reason = AidStatus.WITHDRAWN, reason.strip()
        with_reason(aid, reason.strip() or "aid request withdrawn", user=withdrawn_by).save()
        aid_notices.aid_request_moved(aid)
    return aid
