"""Reads of emergency aid: the requests a caller sees, what a participant has used of the cap,
and the aid report, added up in the database (a fixed handful of queries whatever the rows)."""

from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from portal.tenancy import Scope
from sponsors.funds_selectors import investment_of, with_figures
from sponsors.models import Fund

from ..models import COUNTING_STATUSES, AidRequest, AidStatus, Document
from . import apprenticeship_scope_filter

MONEY = DecimalField(max_digits=12, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _sum(status_filter: Q):
    return Coalesce(Sum("amount_approved", filter=status_filter), ZERO, output_field=MONEY)


COMMITTED = _sum(Q(status=AidStatus.APPROVED))
DISBURSED = _sum(Q(status=AidStatus.PAID))


def aid_request_list(*, scope: Scope) -> QuerySet[AidRequest]:
    """The requests on the apprenticeships the caller reads, with the apprentice, the fund and
    the documents' ids (one more query for the page's documents)."""
    return (
        AidRequest.objects.filter(apprenticeship_scope_filter(scope, prefix="apprenticeship__"))
        .select_related("apprenticeship__apprentice", "fund")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.only("id")))
    )


def participant_used(*, user_id: UUID) -> Decimal:
    """What the participant has of the cap approved or paid, over all their apprenticeships."""
    used = AidRequest.objects.filter(apprenticeship__apprentice_id=user_id, status__in=COUNTING_STATUSES).aggregate(
        used=Coalesce(Sum("amount_approved"), ZERO, output_field=MONEY)
    )["used"]
    return Decimal(used)


def participant_cap(*, user_id: UUID) -> dict:
    cap = Decimal(settings.WORKER_EQUITY_FUND_CAP)
    used = participant_used(user_id=user_id)
    return {"cap": cap, "used": used, "remaining": max(cap - used, Decimal("0.00"))}


def _median(paid: QuerySet[AidRequest], count: int) -> Decimal | None:
    """The median of the paid amounts: the middle one or two, read in order by the database."""
    if not count:
        return None
    rows = paid.order_by("amount_approved").values_list("amount_approved", flat=True)
    middle = [Decimal(value or 0) for value in rows[(count - 1) // 2 :][:2]]
    values = middle[:1] if count % 2 else middle
    return (sum(values, Decimal("0")) / len(values)).quantize(Decimal("0.01"))


def _months(requests: QuerySet[AidRequest]) -> list[dict]:
    """Disbursed by the month of payment, committed by the month of approval."""
    paid = (
        requests.filter(status=AidStatus.PAID)
        .annotate(month=TruncMonth("paid_on"))
        .values("month")
        .annotate(amount=Sum("amount_approved"))
        .values_list("month", "amount")
    )
    approved = (
        requests.filter(status=AidStatus.APPROVED)
        .annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(amount=Sum("amount_approved"))
        .values_list("month", "amount")
    )
    months: dict = {}
    for key, rows in (("disbursed", paid), ("committed", approved)):
        for month, amount in rows:
            day = month.date() if hasattr(month, "date") else month
            bucket = months.setdefault(
                day.strftime("%Y-%m"), {"committed": Decimal("0.00"), "disbursed": Decimal("0.00")}
            )
            bucket[key] += amount
    return [{"month": month, **figures} for month, figures in sorted(months.items())]


def _totals(requests: QuerySet[AidRequest]) -> dict:
    return requests.aggregate(
        committed=COMMITTED,
        disbursed=DISBURSED,
        participants_served=Count("apprenticeship__apprentice", filter=Q(status=AidStatus.PAID), distinct=True),
        paid_requests=Count("id", filter=Q(status=AidStatus.PAID)),
    )


def sponsor_aid_report(*, sponsor_id: UUID) -> dict:
    """Disbursed and committed by fund, by barrier category and by month; participants served
    (paid at least once) and the median amount paid."""
    requests = AidRequest.objects.filter(apprenticeship__program__sponsor_id=sponsor_id)
    totals = _totals(requests)
    by_fund = (
        with_figures(Fund.objects.filter(sponsor_id=sponsor_id))
        .order_by("name")
        .values("id", "name", "source", "amount", "committed", "disbursed", "remaining")  # type: ignore[misc]  # with_figures annotates them
    )
    by_category = (
        requests.values("barrier_category")
        .annotate(requests=Count("id"), committed=COMMITTED, disbursed=DISBURSED)
        .order_by("barrier_category")
        .values_list("barrier_category", "requests", "committed", "disbursed")
    )
    return {
        "sponsor": sponsor_id,
        "committed": totals["committed"],
        "disbursed": totals["disbursed"],
        "participants_served": totals["participants_served"],
        "median_paid": _median(requests.filter(status=AidStatus.PAID), totals["paid_requests"]),
        "by_fund": list(by_fund),
        "by_category": [
            {"category": category, "requests": n, "committed": committed, "disbursed": disbursed}
            for category, n, committed, disbursed in by_category
        ],
        "by_month": _months(requests),
    }


def own_aid_report(*, user_id: UUID) -> dict:
    """What an apprentice sees: their requests and what remains of their cap."""
    requests = (
        AidRequest.objects.filter(apprenticeship__apprentice_id=user_id)
        .select_related("fund")
        .order_by("-created_at", "id")
    )
    return {**participant_cap(user_id=user_id), "requests": list(requests)}


def aid_summary(*, sponsor_id: UUID, employer_id: UUID | None = None) -> dict:
    """The sponsor summary's figures of the Worker Equity Fund: the funds recorded (investment)
    and the aid they paid for (of one employer's apprenticeships, with `employer_id`)."""
    requests = AidRequest.objects.filter(apprenticeship__program__sponsor_id=sponsor_id)
    if employer_id is not None:
        requests = requests.filter(apprenticeship__employer_id=employer_id)
    totals = _totals(requests)
    return {
        "investment": investment_of(sponsor_id=sponsor_id),
        "aid": {key: totals[key] for key in ("disbursed", "committed", "participants_served")},
    }
