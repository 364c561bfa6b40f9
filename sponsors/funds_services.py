"""Writes of the sponsor's funds: recording a grant and correcting it. A fund is never deleted;
every change is in its history with the reason given."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.errors import Forbidden
from portal.history import with_reason
from portal.models import User
from portal.tenancy import Scope

from .funds_models import Fund
from .funds_selectors import fund_spent
from .selectors import sponsor_acted_for

FUND_FIELDS = ("name", "source", "amount", "period_start", "period_end")


def check_may_manage_funds(*, scope: Scope) -> None:
    if not scope.admin_sponsor_ids:
        raise Forbidden(_("Only RAPS administrators record funds."))


def _check_name_free(fund: Fund) -> None:
    if Fund.objects.filter(sponsor_id=fund.sponsor_id, name=fund.name).exclude(pk=fund.pk).exists():
        raise ValidationError({"name": [_("The sponsor has a fund of this name already.")]})


def _check_period(fund: Fund) -> None:
    if fund.period_end < fund.period_start:
        raise ValidationError({"period_end": [_("The period ends before it starts.")]})


def fund_create(*, scope: Scope, created_by: User, sponsor_id=None, reason: str | None = None, **fields) -> Fund:
    """A grant the sponsor (the one the RAPS admin writes for) spends on aid."""
    check_may_manage_funds(scope=scope)
    sponsor = sponsor_acted_for(scope=scope, sponsor_id=sponsor_id)
    fund = Fund(sponsor=sponsor, **fields)
    _check_period(fund)
    with transaction.atomic():
        _check_name_free(fund)
        with_reason(fund, reason or "fund recorded", user=created_by).save()
    return fund


def fund_update(*, scope: Scope, fund: Fund, changed_by: User, data: dict, reason: str | None = None) -> Fund:
    """Correct a fund. Its amount never drops below what it has committed and disbursed: the
    fund's row is locked, as approvals lock it, so that no approval slips in between."""
    if not scope.is_raps_admin(fund.sponsor_id):
        raise Forbidden(_("Only the sponsor's RAPS administrators correct its funds."))
    with transaction.atomic():
        fund = Fund.objects.select_for_update().get(pk=fund.pk)
        changed = {field: value for field, value in data.items() if getattr(fund, field) != value}
        if not changed:
            return fund
        for field, value in changed.items():
            setattr(fund, field, value)
        _check_period(fund)
        _check_name_free(fund)
        if "amount" in changed:
            spent = fund_spent(fund_id=fund.pk)
            if fund.amount < spent:
                raise ValidationError(
                    {"amount": [_("The fund has committed and disbursed %(spent)s already.") % {"spent": spent}]}
                )
        with_reason(fund, reason or "fund corrected", user=changed_by).save()
    return fund
