"""Reads of the sponsor's funds: each with what it has committed, disbursed and has left, added
up in the database from its aid requests."""

from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from portal.tenancy import Scope

from .funds_models import COMMITTED, DISBURSED, Fund

MONEY = DecimalField(max_digits=12, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _spent(status: str):
    return Coalesce(
        Sum("aid_requests__amount_approved", filter=Q(aid_requests__status=status)), ZERO, output_field=MONEY
    )


def with_figures(funds: QuerySet[Fund]) -> QuerySet[Fund]:
    """Each fund with `committed`, `disbursed` and `remaining` (amount - committed - disbursed)."""
    return funds.annotate(committed=_spent(COMMITTED), disbursed=_spent(DISBURSED)).annotate(
        remaining=Coalesce("amount", ZERO) - Coalesce("committed", ZERO) - Coalesce("disbursed", ZERO)
    )


def fund_list(*, scope: Scope) -> QuerySet[Fund]:
    """The funds of the sponsors the caller administers (RAPS admins only), with their figures."""
    return with_figures(Fund.objects.filter(sponsor_id__in=scope.admin_sponsor_ids))


def fund_spent(*, fund_id) -> Decimal:
    """What a fund has committed and disbursed, read now (under the caller's lock of the fund)."""
    total = Fund.objects.filter(pk=fund_id).aggregate(
        spent=Coalesce(
            Sum("aid_requests__amount_approved", filter=Q(aid_requests__status__in=[COMMITTED, DISBURSED])),
            ZERO,
            output_field=MONEY,
        )
    )["spent"]
    return Decimal(total)


def investment_of(*, sponsor_id) -> dict:
    """The funds recorded for a sponsor: the total granted, and by source (one grouped query)."""
    rows = (
        Fund.objects.filter(sponsor_id=sponsor_id)
        .values("source")
        .annotate(amount=Sum("amount"))
        .order_by("source")
        .values_list("source", "amount")
    )
    return investment_from(rows)


def investment_from(rows) -> dict:
    """The investment of `rows`: (source, amount granted), in the order of their sources."""
    rows = list(rows)
    by_source = [{"source": source, "amount": Decimal(amount)} for source, amount in rows]
    total = sum((Decimal(amount) for _source, amount in rows), Decimal("0.00"))
    return {"total": total, "by_source": by_source}
