"""The aid report: the sponsor's aid by fund, category and month, participants served and the
median paid, for its RAPS admins; the apprentice's own requests and cap. Added up in the
database, checked here against the rows counted one by one."""

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apprenticeships.models import AidRequest
from tests import factories
from tests.aid.helpers import REPORT, SUMMARY, approved, make_fund, make_request, paid, second_apprenticeship

pytestmark = pytest.mark.django_db


@pytest.fixture
def aid(sponsor, apprentice, employer_a, apprenticeship, other_apprenticeship, other_sponsor):
    """Two funds of the sponsor with requests in every state, and one of another sponsor."""
    county = make_fund(sponsor, amount="20000.00", name="County", source="LA County WDACS")
    state = make_fund(sponsor, amount="5000.00", name="State", source="California Workforce Development Board")
    mine_too = second_apprenticeship(apprentice, sponsor, employer_a)
    paid(apprenticeship, county, amount="400.00", paid_on=datetime.date(2026, 2, 10))
    paid(mine_too, state, amount="350.00", category="childcare", paid_on=datetime.date(2026, 3, 5))
    paid(other_apprenticeship, county, amount="900.00", category="housing", paid_on=datetime.date(2026, 3, 20))
    approved(other_apprenticeship, state, amount="300.00", approved_amount="250.00", category="housing")
    make_request(apprenticeship, amount="120.00")
    make_request(apprenticeship, amount="80.00", status="denied", decision_reason="Covered elsewhere")
    make_request(other_apprenticeship, amount="60.00", status="withdrawn")
    theirs = factories.ApprenticeshipFactory(program=factories.ProgramFactory(sponsor=other_sponsor))
    paid(theirs, make_fund(other_sponsor), amount="1000.00")
    return county, state


def counted(sponsor) -> dict:
    """The figures the report must show, counted row by row in Python."""
    rows = list(AidRequest.objects.filter(apprenticeship__program__sponsor=sponsor).select_related("apprenticeship"))
    paid_rows = [row for row in rows if row.status == "paid"]
    by_month: dict = defaultdict(lambda: {"committed": Decimal(0), "disbursed": Decimal(0)})
    for row in paid_rows:
        by_month[f"{row.paid_on:%Y-%m}"]["disbursed"] += row.amount_approved
    for row in rows:
        if row.status == "approved":
            by_month[f"{timezone.localtime(row.decided_at):%Y-%m}"]["committed"] += row.amount_approved
    return {
        "disbursed": sum((row.amount_approved for row in paid_rows), Decimal(0)),
        "committed": sum((row.amount_approved for row in rows if row.status == "approved"), Decimal(0)),
        "participants_served": len({row.apprenticeship.apprentice_id for row in paid_rows}),
        "median_paid": statistics.median(row.amount_approved for row in paid_rows),
        "by_month": {month: {k: f"{v:.2f}" for k, v in figures.items()} for month, figures in by_month.items()},
    }


def test_raps_admins_read_the_sponsors_aid_as_the_rows_add_up(client_for, raps_admin, sponsor, aid):
    county, state = aid

    report = client_for(raps_admin).get(REPORT).json()

    assert report["own"] is None
    (figures,) = report["sponsors"]
    expected = counted(sponsor)
    assert figures["sponsor"] == str(sponsor.pk)
    assert Decimal(figures["disbursed"]) == expected["disbursed"] == Decimal("1650.00")
    assert Decimal(figures["committed"]) == expected["committed"] == Decimal("250.00")
    assert figures["participants_served"] == expected["participants_served"] == 2
    assert Decimal(figures["median_paid"]) == expected["median_paid"] == Decimal("400.00")
    assert {
        row["month"]: {"committed": row["committed"], "disbursed": row["disbursed"]} for row in figures["by_month"]
    } == expected["by_month"]
    funds = {row["name"]: row for row in figures["by_fund"]}
    assert (funds["County"]["disbursed"], funds["County"]["committed"], funds["County"]["remaining"]) == (
        "1300.00",
        "0.00",
        "18700.00",
    )
    assert (funds["State"]["disbursed"], funds["State"]["committed"], funds["State"]["remaining"]) == (
        "350.00",
        "250.00",
        "4400.00",
    )
    categories = {row["category"]: row for row in figures["by_category"]}
    assert categories["housing"] == {"category": "housing", "requests": 2, "committed": "250.00", "disbursed": "900.00"}
    assert categories["transportation"]["requests"] == 4  # paid, requested, denied and withdrawn
    assert sum(row["requests"] for row in figures["by_category"]) == 7


def test_the_median_of_an_even_number_of_payments_is_the_mean_of_the_middle_two(
    client_for, raps_admin, sponsor, apprenticeship, other_apprenticeship
):
    fund = make_fund(sponsor)
    for record, amount in [(apprenticeship, "100.00"), (apprenticeship, "300.00"), (other_apprenticeship, "500.00")]:
        paid(record, fund, amount=amount)
    paid(other_apprenticeship, fund, amount="1000.00")

    (figures,) = client_for(raps_admin).get(REPORT).json()["sponsors"]

    assert figures["median_paid"] == "400.00"


def test_a_sponsor_without_aid_reports_zeros_and_no_median(client_for, raps_admin, sponsor):
    (figures,) = client_for(raps_admin).get(REPORT).json()["sponsors"]

    assert (figures["disbursed"], figures["committed"], figures["median_paid"]) == ("0.00", "0.00", None)
    assert figures["by_fund"] == figures["by_category"] == figures["by_month"] == []


def test_the_apprentice_reads_their_own_requests_and_what_remains_of_their_cap(client_for, apprentice, aid):
    report = client_for(apprentice).get(REPORT).json()

    assert report["sponsors"] == []
    own = report["own"]
    assert (own["cap"], own["used"], own["remaining"]) == ("1500.00", "750.00", "750.00")
    assert len(own["requests"]) == 4  # their two paid, one requested, one denied; nobody else's
    assert {row["status"] for row in own["requests"]} == {"paid", "requested", "denied"}


@pytest.mark.parametrize("persona", ["employer_a_admin", "employer_a_supervisor", "outsider"])
def test_nobody_else_reads_the_aid_report(request, client_for, aid, persona):
    assert client_for(request.getfixturevalue(persona)).get(REPORT).status_code == 403


def test_the_aid_report_query_count_is_the_same_for_few_and_for_many_requests(
    client_for, raps_admin, sponsor, apprenticeship, program
):
    client = client_for(raps_admin)
    fund = make_fund(sponsor, amount="100000.00")

    def count():
        with CaptureQueriesContext(connection) as context:
            response = client.get(REPORT)
        assert response.status_code == 200
        return len(context.captured_queries)

    paid(apprenticeship, fund, amount="10.00")
    few = count()
    for n in range(30):
        record = factories.ApprenticeshipFactory(program=program)
        (paid if n % 2 else approved)(record, make_fund(sponsor, name=f"Fund {n}"), amount="20.00")
    many = count()

    # 1. session  2. user  3. memberships  4. the caller's apprenticeships  5. the totals (one
    # aggregate)  6. the funds with their figures  7. by category  8. the median's middle rows
    # 9. disbursed by month  10. committed by month
    assert few == many == 10


def test_the_summary_shows_the_funds_recorded_and_the_aid_they_paid(client_for, raps_admin, employer_a_admin, aid):
    summary = client_for(raps_admin).get(SUMMARY).json()

    assert summary["investment"] == {
        "total": "25000.00",
        "by_source": [
            {"source": "California Workforce Development Board", "amount": "5000.00"},
            {"source": "LA County WDACS", "amount": "20000.00"},
        ],
    }
    assert summary["aid"] == {"disbursed": "1650.00", "committed": "250.00", "participants_served": 2}
    # An employer admin reads the aid of their employer's apprenticeships (the apprentice's two).
    assert client_for(employer_a_admin).get(SUMMARY).json()["aid"] == {
        "disbursed": "750.00",
        "committed": "0.00",
        "participants_served": 1,
    }
