"""The demo's Worker Equity Fund: a fund with requests in every state and a participant at the cap,
written through the services (so each request has its history)."""

import io

import pytest
from django.core.management import call_command

from apprenticeships.models import AidRequest, AidStatus
from apprenticeships.selectors.aid import participant_cap
from sponsors.funds_selectors import with_figures
from sponsors.models import Fund

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_fund_with_requests_in_every_state_and_a_participant_at_the_cap():
    call_command("load_demo", stdout=io.StringIO())

    fund = with_figures(Fund.objects.filter(name="Worker Equity Fund (demo)")).get()
    requests = AidRequest.objects.filter(apprenticeship__program__sponsor=fund.sponsor)
    assert set(requests.values_list("status", flat=True)) == set(AidStatus.values)
    assert fund.remaining == fund.amount - fund.committed - fund.disbursed > 0
    users = set(requests.values_list("apprenticeship__apprentice", flat=True))
    assert any(participant_cap(user_id=user)["remaining"] == 0 for user in users)
    assert all(request.history.exists() for request in requests)
