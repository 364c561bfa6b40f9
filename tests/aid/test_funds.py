"""The sponsor's funds: recorded and corrected by its RAPS admins only, never deleted, each with
what it has committed, disbursed and has left."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sponsors.models import Fund
from tests.aid.helpers import FUNDS, approved, fund_url, make_fund, paid

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Worker Equity Fund 2026",
    "source": "LA County WDACS",
    "amount": "25000.00",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
}


def test_a_raps_admin_records_a_fund_of_their_sponsor(client_for, raps_admin, sponsor):
    response = client_for(raps_admin).post(FUNDS, BODY, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sponsor"] == str(sponsor.pk)
    assert (body["amount"], body["committed"], body["disbursed"], body["remaining"]) == (
        "25000.00",
        "0.00",
        "0.00",
        "25000.00",
    )
    assert Fund.objects.get().history.get().history_change_reason == "fund recorded"


@pytest.mark.parametrize("persona", ["employer_a_admin", "employer_a_supervisor", "apprentice", "outsider"])
def test_only_raps_admins_record_funds(request, client_for, apprenticeship, persona):
    response = client_for(request.getfixturevalue(persona)).post(FUNDS, BODY, format="json")

    assert response.status_code == 403
    assert not Fund.objects.exists()


def test_a_fund_whose_period_ends_before_it_starts_is_refused(client_for, raps_admin):
    response = client_for(raps_admin).post(FUNDS, {**BODY, "period_end": "2025-12-31"}, format="json")

    assert response.status_code == 400
    assert "period_end" in response.json()


def test_two_funds_of_a_sponsor_do_not_share_a_name(client_for, raps_admin, sponsor):
    make_fund(sponsor, name=BODY["name"])

    response = client_for(raps_admin).post(FUNDS, BODY, format="json")

    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize("persona", ["employer_a_admin", "apprentice", "other_raps_admin"])
def test_nobody_but_the_sponsors_raps_admins_sees_its_funds(request, client_for, sponsor, apprenticeship, persona):
    fund = make_fund(sponsor)
    client = client_for(request.getfixturevalue(persona))

    assert client.get(FUNDS).json()["count"] == 0
    assert client.get(fund_url(fund)).status_code == 404


def test_a_fund_shows_what_it_committed_disbursed_and_has_left(client_for, raps_admin, sponsor, apprenticeship):
    fund = make_fund(sponsor, amount="5000.00")
    approved(apprenticeship, fund, amount="400.00", approved_amount="300.00")
    paid(apprenticeship, fund, amount="250.00")

    body = client_for(raps_admin).get(fund_url(fund)).json()

    assert (body["committed"], body["disbursed"], body["remaining"]) == ("300.00", "250.00", "4450.00")


def test_a_correction_needs_a_reason_and_is_in_the_funds_history(client_for, raps_admin, sponsor):
    fund = make_fund(sponsor)
    client = client_for(raps_admin)

    refused = client.patch(fund_url(fund), {"amount": "12000.00"}, format="json")
    corrected = client.patch(
        fund_url(fund), {"amount": "12000.00", "reason": "The county added a second tranche"}, format="json"
    )

    assert refused.status_code == 400
    assert "reason" in refused.json()
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["amount"] == "12000.00"
    history = client.get(fund_url(fund, "history")).json()["results"]
    assert history[0]["history_change_reason"] == "The county added a second tranche"
    assert {"field": "amount", "old": "10000.00", "new": "12000.00"} in history[0]["changes"]


def test_a_funds_amount_never_drops_below_what_it_spent(client_for, raps_admin, sponsor, apprenticeship):
    fund = make_fund(sponsor, amount="1000.00")
    approved(apprenticeship, fund, amount="600.00")

    response = client_for(raps_admin).patch(fund_url(fund), {"amount": "500.00", "reason": "Typo"}, format="json")

    assert response.status_code == 400
    assert "amount" in response.json()
    fund.refresh_from_db()
    assert fund.amount == Decimal("1000.00")


def test_a_fund_is_never_deleted(client_for, raps_admin, sponsor):
    fund = make_fund(sponsor)

    response = client_for(raps_admin).delete(fund_url(fund))

    assert response.status_code == 405
    assert Fund.objects.filter(pk=fund.pk).exists()


def test_the_fund_list_query_count_is_the_same_for_1_and_for_20_funds(client_for, raps_admin, sponsor, apprenticeship):
    client = client_for(raps_admin)

    def count():
        with CaptureQueriesContext(connection) as context:
            response = client.get(FUNDS)
        assert response.status_code == 200
        return len(context.captured_queries), response.json()["count"]

    fund = make_fund(sponsor, name="First")
    approved(apprenticeship, fund, amount="100.00")
    one = count()
    for n in range(19):
        paid(apprenticeship, make_fund(sponsor, name=f"Fund {n}"), amount="10.00")
    twenty = count()

    # 1. session  2. user  3. memberships  4. the caller's apprenticeships  5. COUNT of the page
    # 6. the page of funds, each with its committed and disbursed summed (one grouped query)
    assert (one, twenty) == ((6, 1), (6, 20))
