"""Helpers of the aid tests (and of tests/races): funds and requests stored directly, documents
filed through the vault's service, and the endpoints' paths."""

import datetime
from decimal import Decimal

from apprenticeships.models import AidRequest, AidStatus
from apprenticeships.services import document_file
from sponsors.models import Fund
from tests import factories

FUNDS = "/api/v1/funds/"
AID = "/api/v1/aid-requests/"
REPORT = "/api/v1/reports/aid/"
SUMMARY = "/api/v1/reports/summary/"


def fund_url(fund, action: str = "") -> str:
    return f"{FUNDS}{fund.pk}/" + (f"{action}/" if action else "")


def aid_url(aid, action: str = "") -> str:
    aid_id = aid["id"] if isinstance(aid, dict) else aid.pk
    return f"{AID}{aid_id}/" + (f"{action}/" if action else "")


def make_fund(sponsor, amount="10000.00", name="Worker Equity Fund 2026", source="LA County WDACS") -> Fund:
    return Fund.objects.create(
        sponsor=sponsor,
        name=name,
        source=source,
        amount=Decimal(amount),
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )


def make_request(apprenticeship, amount="500.00", category="transportation", fund=None, **fields) -> AidRequest:
    """A request stored directly, in any state (the services' rules are tested through the API)."""
    return AidRequest.objects.create(
        apprenticeship=apprenticeship,
        fund=fund,
        amount_requested=Decimal(amount),
        barrier_category=category,
        description="Bus pass for the month",
        requested_by=apprenticeship.apprentice,
        **fields,
    )


def approved(apprenticeship, fund, amount="500.00", approved_amount=None, **fields) -> AidRequest:
    from django.utils import timezone

    return make_request(
        apprenticeship,
        amount=amount,
        fund=fund,
        status=fields.pop("status", AidStatus.APPROVED),
        amount_approved=Decimal(approved_amount or amount),
        decided_at=fields.pop("decided_at", timezone.now()),
        **fields,
    )


def paid(apprenticeship, fund, amount="500.00", paid_on=datetime.date(2026, 3, 2), **fields) -> AidRequest:
    return approved(
        apprenticeship, fund, amount=amount, status=AidStatus.PAID, paid_on=paid_on, payment_method="check", **fields
    )


def file_document(apprenticeship, by, title="Bus fare receipt"):
    return document_file(
        apprenticeship=apprenticeship,
        kind="aid_document",
        title=title,
        content=b"%PDF-1.4 receipt",
        filename="receipt.pdf",
        content_type="application/pdf",
        by=by,
        reason="filed for an aid request",
    )


def second_apprenticeship(apprentice, sponsor, employer):
    """Another apprenticeship of the same apprentice, in another program of the sponsor."""
    program = factories.ProgramFactory(
        sponsor=sponsor, occupation=factories.OccupationFactory(title="Data Analyst (aid test)")
    )
    return factories.ApprenticeshipFactory(apprentice=apprentice, program=program, employer=employer)


def request_body(apprenticeship, amount="400.00", **extra) -> dict:
    return {
        "apprenticeship": str(apprenticeship.pk),
        "amount_requested": amount,
        "barrier_category": "childcare",
        "description": "Daycare while at the evening class",
        **extra,
    }
