"""Approvals of aid at the same moment: a fund is never overdrawn and a participant never gets
past the cap (row locks on the participant and the fund, apprenticeships/services/aid.py)."""

from decimal import Decimal

import pytest

from apprenticeships.models import AidRequest
from tests import factories
from tests.aid.helpers import aid_url, make_fund, make_request, paid, second_apprenticeship
from tests.races.helpers import at_once, statuses

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvals_for_the_last_dollars_of_a_fund_one_succeeds_one_is_409(
    client_for, raps_admin, sponsor, apprenticeship, other_apprenticeship
):
    fund = make_fund(sponsor, amount="1000.00")
    paid(factories.ApprenticeshipFactory(program=apprenticeship.program), fund, amount="600.00")
    first = make_request(apprenticeship, amount="300.00", fund=fund)
    second = make_request(other_apprenticeship, amount="300.00", fund=fund)
    clients = [client_for(raps_admin), client_for(raps_admin)]

    responses = at_once(
        *(
            lambda client=client, aid=aid: client.post(aid_url(aid, "approve"), {"amount": "300.00"}, format="json")
            for client, aid in zip(clients, [first, second], strict=True)
        )
    )

    assert statuses(responses) == [200, 409], [r.content for r in responses]
    refused = next(r for r in responses if r.status_code == 409).json()
    assert (refused["limit"], refused["remaining"]) == ("fund", "100.00")
    assert "amount" in refused
    spent = sum(r.amount_approved for r in AidRequest.objects.filter(fund=fund, status__in=["approved", "paid"]))
    assert spent == Decimal("900.00") <= fund.amount


def test_two_approvals_for_one_participant_past_the_cap_across_two_apprenticeships_one_is_409(
    client_for, raps_admin, apprentice, sponsor, employer_a, apprenticeship
):
    fund = make_fund(sponsor, amount="10000.00")
    other = second_apprenticeship(apprentice, sponsor, employer_a)
    first = make_request(apprenticeship, amount="1000.00", fund=fund)
    second = make_request(other, amount="1000.00", fund=fund)
    clients = [client_for(raps_admin), client_for(raps_admin)]

    responses = at_once(
        *(
            lambda client=client, aid=aid: client.post(aid_url(aid, "approve"), {"amount": "1000.00"}, format="json")
            for client, aid in zip(clients, [first, second], strict=True)
        )
    )

    assert statuses(responses) == [200, 409], [r.content for r in responses]
    refused = next(r for r in responses if r.status_code == 409).json()
    assert (refused["limit"], refused["remaining"]) == ("participant_cap", "500.00")
    granted = AidRequest.objects.filter(apprenticeship__apprentice=apprentice, status="approved")
    assert sum(r.amount_approved for r in granted) == Decimal("1000.00")
