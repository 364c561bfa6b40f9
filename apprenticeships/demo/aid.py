"""Demo data of the Worker Equity Fund: the sponsor's county fund, and requests in every state
(requested, approved, denied, paid, withdrawn), one participant at the $1,500 cap; written
through the services, so history and notices are as the API writes them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from portal.demo import demo_loader
from portal.models import User
from sponsors.demo import demo_sponsor
from sponsors.funds_services import fund_create
from sponsors.models import Fund, Membership

from ..models import OPEN_STATUSES, Apprenticeship, DocumentKind
from ..selectors import caller_scope
from ..services import (
    aid_request_approve,
    aid_request_create,
    aid_request_deny,
    aid_request_pay,
    aid_request_withdraw,
    document_file,
)

DEMO_FUND = "Worker Equity Fund (demo)"


@demo_loader(order=48)
def load_aid():
    sponsor = demo_sponsor()
    if Fund.objects.filter(sponsor=sponsor, name=DEMO_FUND).exists():
        return []
    admin_membership = Membership.objects.filter(sponsor=sponsor, role="raps_admin").select_related("user").first()
    if admin_membership is None:
        return []
    admin: User = admin_membership.user
    scope = caller_scope(user=admin)
    today = timezone.localdate()
    fund = fund_create(
        scope=scope,
        created_by=admin,
        sponsor_id=sponsor.pk,
        reason="demo data: the county's grant for the year",
        name=DEMO_FUND,
        source="LA County WDACS",
        amount=Decimal("25000.00"),
        period_start=today - datetime.timedelta(days=180),
        period_end=today + datetime.timedelta(days=185),
    )
    open_ = list(
        Apprenticeship.objects.filter(program__sponsor=sponsor, status__in=OPEN_STATUSES)
        .select_related("apprentice", "program")
        .order_by("apprentice__email", "start_date")[:6]
    )
    if len(open_) < 6:
        return []
    demo_apprentice = next((a for a in open_ if a.apprentice.email == "apprentice@demo.example"), open_[0])
    others = [a for a in open_ if a.apprentice_id != demo_apprentice.apprentice_id]

    def ask(apprenticeship, amount, category, description, by=None, documents=()):
        return aid_request_create(
            scope=caller_scope(user=by or apprenticeship.apprentice),
            apprenticeship=apprenticeship,
            requested_by=by or apprenticeship.apprentice,
            amount_requested=Decimal(amount),
            barrier_category=category,
            description=description,
            document_ids=[document.pk for document in documents],
        )

    def approve(aid, amount, reason):
        return aid_request_approve(
            scope=scope, aid=aid, decided_by=admin, amount=Decimal(amount), fund_id=fund.pk, reason=reason
        )

    # The demo apprentice: a laptop repair waiting, with its quote in the vault.
    quote = document_file(
        apprenticeship=demo_apprentice,
        kind=DocumentKind.AID_DOCUMENT,
        title="Laptop repair quote",
        content=b"Repair quote: replace the screen, $280.00",
        filename="repair-quote.txt",
        content_type="text/plain",
        by=demo_apprentice.apprentice,
        reason="demo data: supporting an aid request",
    )
    ask(
        demo_apprentice,
        "280.00",
        "technology",
        "The laptop I use for the course needs a new screen.",
        documents=[quote],
    )
    # A participant at the cap: $900 paid for rent, $600 approved for childcare.
    at_cap = others[0]
    rent = approve(ask(at_cap, "900.00", "housing", "Rent shortfall after reduced hours."), "900.00", "Verified")
    aid_request_pay(scope=scope, aid=rent, paid_by=admin, paid_on=today, method="check", reference="CHK-10421")
    approve(ask(at_cap, "750.00", "childcare", "Daycare for the evening classes."), "600.00", "Up to the cap")
    # Paid in part, denied, withdrawn, asked by a supervisor on the apprentice's behalf.
    bus = approve(ask(others[1], "240.00", "transportation", "Monthly bus passes."), "180.00", "Three months")
    aid_request_pay(scope=scope, aid=bus, paid_by=admin, paid_on=today, method="card", reference="TAP-5521")
    denied = ask(others[2], "1200.00", "other", "Car payment.")
    aid_request_deny(scope=scope, aid=denied, decided_by=admin, reason="Car loans are outside the fund's rules")
    withdrawn = ask(others[3], "150.00", "utilities", "Electricity bill.")
    aid_request_withdraw(scope=scope, aid=withdrawn, withdrawn_by=others[3].apprentice, reason="Paid it myself")
    supervisor = (
        Membership.objects.filter(employer_id=others[4].employer_id, role__in=["supervisor", "employer_admin"])
        .select_related("user")
        .first()
    )
    if supervisor is not None:
        ask(others[4], "120.00", "tools_or_equipment", "Safety boots for the data center.", by=supervisor.user)
    return []
