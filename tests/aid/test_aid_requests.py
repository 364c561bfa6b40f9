"""Aid requests: made by the apprentice or on their behalf, decided and paid by the sponsor's
RAPS admins, each step in history and told; the participant's cap and the fund's balance hold."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apprenticeships.models import AidRequest
from apprenticeships.services import document_withdraw
from notifications.models import Notification
from tests import factories
from tests.aid.helpers import (
    AID,
    aid_url,
    approved,
    file_document,
    make_fund,
    make_request,
    paid,
    request_body,
    second_apprenticeship,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(sponsor):
    return make_fund(sponsor)


def told(event: str) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("recipient__email", flat=True))


# --- asking -------------------------------------------------------------------------------------


def test_an_apprentice_asks_for_aid_on_their_own_apprenticeship(client_for, apprentice, raps_admin, apprenticeship):
    response = client_for(apprentice).post(AID, request_body(apprenticeship), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["amount_requested"], body["fund"]) == ("requested", "400.00", None)
    assert body["requested_by"] == str(apprentice.pk)
    assert told("aid_requested") == {"apprentice@example.org", "raps.admin@example.org"}


def test_employer_staff_ask_on_behalf_of_their_employers_apprentice(
    client_for, employer_a_supervisor, apprentice, apprenticeship
):
    response = client_for(employer_a_supervisor).post(AID, request_body(apprenticeship), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["requested_by"] == str(employer_a_supervisor.pk)
    assert "supervisor.a@example.org" in told("aid_requested")


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_nobody_asks_for_an_apprenticeship_they_do_not_read(request, client_for, apprenticeship, persona):
    response = client_for(request.getfixturevalue(persona)).post(AID, request_body(apprenticeship), format="json")

    assert response.status_code == 400
    assert response.json() == {"apprenticeship": ["Not found."]}
    assert not AidRequest.objects.exists()


def test_an_apprentice_cannot_ask_on_another_apprentices_apprenticeship(
    client_for, apprentice, apprenticeship, other_apprenticeship
):
    response = client_for(apprentice).post(AID, request_body(other_apprenticeship), format="json")

    assert response.status_code == 400
    assert "apprenticeship" in response.json()


def test_a_request_names_documents_of_its_own_apprenticeship(client_for, apprentice, apprenticeship):
    document = file_document(apprenticeship, apprentice)

    response = client_for(apprentice).post(
        AID, request_body(apprenticeship, documents=[str(document.pk)]), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["documents"] == [str(document.pk)]


def test_a_document_of_another_apprenticeship_is_refused(
    client_for, apprentice, raps_admin, apprenticeship, other_apprenticeship
):
    elsewhere = file_document(other_apprenticeship, raps_admin)

    response = client_for(apprentice).post(
        AID, request_body(apprenticeship, documents=[str(elsewhere.pk)]), format="json"
    )

    assert response.status_code == 400
    assert "documents" in response.json()
    assert not AidRequest.objects.exists()


def test_a_withdrawn_document_is_refused(client_for, apprentice, apprenticeship):
    document = document_withdraw(file_document(apprenticeship, apprentice), reason="Wrong file", by=apprentice)

    response = client_for(apprentice).post(
        AID, request_body(apprenticeship, documents=[str(document.pk)]), format="json"
    )

    assert response.status_code == 400
    assert "documents" in response.json()


def test_a_fund_of_another_sponsor_is_refused(client_for, apprentice, apprenticeship, other_sponsor):
    theirs = make_fund(other_sponsor)

    response = client_for(apprentice).post(AID, request_body(apprenticeship, fund=str(theirs.pk)), format="json")

    assert response.status_code == 400
    assert "fund" in response.json()


@pytest.mark.parametrize("amount", ["0", "-5", "1500.01", "abc"])
def test_an_amount_outside_0_to_the_cap_is_refused(client_for, apprentice, apprenticeship, amount):
    response = client_for(apprentice).post(AID, request_body(apprenticeship, amount=amount), format="json")

    assert response.status_code == 400
    assert "amount_requested" in response.json()


def test_a_cancelled_apprenticeship_takes_no_aid_requests(client_for, raps_admin, apprenticeship):
    factories.put_in_status(
        apprenticeship, "cancelled", cancellation_reason="Left the program", ended_on=datetime.date(2025, 6, 1)
    )

    response = client_for(raps_admin).post(AID, request_body(apprenticeship), format="json")

    assert response.status_code == 409


# --- deciding -----------------------------------------------------------------------------------


def test_a_raps_admin_approves_less_than_requested_with_a_reason(client_for, raps_admin, apprenticeship, fund):
    aid = make_request(apprenticeship, amount="800.00")

    response = client_for(raps_admin).post(
        aid_url(aid, "approve"),
        {"amount": "650.00", "fund": str(fund.pk), "reason": "Two months of the bus pass"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["amount_approved"], body["fund"]) == ("approved", "650.00", str(fund.pk))
    assert body["decision_reason"] == "Two months of the bus pass"
    assert told("aid_approved") == {"apprentice@example.org", "raps.admin@example.org"}
    history = client_for(raps_admin).get(aid_url(aid, "history")).json()["results"]
    assert history[0]["history_change_reason"] == "Two months of the bus pass"


def test_an_approval_grants_at_most_what_was_requested(client_for, raps_admin, apprenticeship, fund):
    aid = make_request(apprenticeship, amount="300.00", fund=fund)

    response = client_for(raps_admin).post(aid_url(aid, "approve"), {"amount": "300.01"}, format="json")

    assert response.status_code == 400
    assert "amount" in response.json()
    aid.refresh_from_db()
    assert aid.status == "requested"


def test_an_approval_names_a_fund(client_for, raps_admin, apprenticeship):
    aid = make_request(apprenticeship)

    response = client_for(raps_admin).post(aid_url(aid, "approve"), {"amount": "100.00"}, format="json")

    assert response.status_code == 400
    assert "fund" in response.json()


@pytest.mark.parametrize("action", ["approve", "deny", "pay"])
@pytest.mark.parametrize("persona", ["employer_a_admin", "apprentice"])
def test_only_raps_admins_decide_and_pay(request, client_for, apprenticeship, fund, action, persona):
    aid = make_request(apprenticeship, fund=fund)
    body = {"amount": "100.00", "reason": "No", "paid_on": "2026-03-02", "method": "check"}

    response = client_for(request.getfixturevalue(persona)).post(aid_url(aid, action), body, format="json")

    assert response.status_code == 403
    aid.refresh_from_db()
    assert aid.status == "requested"


def test_another_sponsors_admin_does_not_see_the_request(client_for, other_raps_admin, apprenticeship, fund):
    aid = make_request(apprenticeship, fund=fund)

    assert client_for(other_raps_admin).post(aid_url(aid, "approve"), {"amount": "1"}).status_code == 404


def test_a_decided_request_is_not_decided_again(client_for, raps_admin, apprenticeship, fund):
    aid = approved(apprenticeship, fund)
    client = client_for(raps_admin)

    assert client.post(aid_url(aid, "approve"), {"amount": "100.00"}, format="json").status_code == 409
    assert client.post(aid_url(aid, "deny"), {"reason": "Changed our mind"}, format="json").status_code == 409


def test_a_denial_needs_a_reason_and_tells_the_apprentice(client_for, raps_admin, apprenticeship, fund):
    aid = make_request(apprenticeship, fund=fund)
    client = client_for(raps_admin)

    assert client.post(aid_url(aid, "deny"), {}, format="json").status_code == 400
    response = client.post(aid_url(aid, "deny"), {"reason": "Covered by the program's stipend"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "denied"
    assert "apprentice@example.org" in told("aid_denied")
    assert client.post(aid_url(aid, "approve"), {"amount": "10.00"}, format="json").status_code == 409


# --- paying -------------------------------------------------------------------------------------


def test_a_raps_admin_records_the_payment_of_an_approved_request(client_for, raps_admin, apprenticeship, fund):
    aid = approved(apprenticeship, fund, decided_at="2026-03-01T12:00:00Z")

    response = client_for(raps_admin).post(
        aid_url(aid, "pay"), {"paid_on": "2026-03-02", "method": "direct_deposit", "reference": "ACH-7781"}
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["paid_on"], body["payment_method"]) == ("paid", "2026-03-02", "direct_deposit")
    assert body["paid_by"] == str(raps_admin.pk)
    assert "apprentice@example.org" in told("aid_paid")


def test_only_an_approved_request_is_paid(client_for, raps_admin, apprenticeship, fund):
    requested, done = make_request(apprenticeship, fund=fund), paid(apprenticeship, fund)
    client = client_for(raps_admin)

    for aid in (requested, done):
        assert client.post(aid_url(aid, "pay"), {"paid_on": "2026-03-02", "method": "check"}).status_code == 409


@pytest.mark.parametrize("paid_on", ["2099-01-01", "2026-02-27"])
def test_a_payment_is_neither_in_the_future_nor_before_its_approval(
    client_for, raps_admin, apprenticeship, fund, paid_on
):
    aid = approved(apprenticeship, fund, decided_at="2026-03-01T20:00:00Z")

    response = client_for(raps_admin).post(aid_url(aid, "pay"), {"paid_on": paid_on, "method": "check"})

    assert response.status_code == 400
    assert "paid_on" in response.json()


# --- withdrawing --------------------------------------------------------------------------------


def test_the_apprentice_withdraws_a_request_not_yet_decided(client_for, apprentice, raps_admin, apprenticeship):
    aid = make_request(apprenticeship)

    response = client_for(apprentice).post(aid_url(aid, "withdraw"), {"reason": "My car is fixed"})

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert told("aid_withdrawn") == {"apprentice@example.org", "raps.admin@example.org"}


def test_someone_who_did_not_ask_does_not_withdraw(client_for, raps_admin, apprenticeship):
    aid = make_request(apprenticeship)

    assert client_for(raps_admin).post(aid_url(aid, "withdraw")).status_code == 403


def test_a_decided_request_is_not_withdrawn(client_for, apprentice, apprenticeship, fund):
    aid = approved(apprenticeship, fund)

    assert client_for(apprentice).post(aid_url(aid, "withdraw")).status_code == 409


# --- the hard limits ----------------------------------------------------------------------------


def test_an_approval_past_the_participants_cap_is_refused_with_409(
    client_for, raps_admin, apprentice, apprenticeship, employer_a, sponsor, fund
):
    """$1,500 per participant across all their apprenticeships, approved and paid together."""
    other = second_apprenticeship(apprentice, sponsor, employer_a)
    paid(apprenticeship, fund, amount="700.00")
    approved(other, fund, amount="600.00")
    aid = make_request(other, amount="300.00", fund=fund)

    response = client_for(raps_admin).post(aid_url(aid, "approve"), {"amount": "300.00"}, format="json")

    assert response.status_code == 409
    assert response.json()["amount"] == ["The participant has 200.00 left of the 1500.00 cap."]
    assert (response.json()["limit"], response.json()["remaining"]) == ("participant_cap", "200.00")
    assert client_for(raps_admin).post(aid_url(aid, "approve"), {"amount": "200.00"}).status_code == 200


def test_denied_and_withdrawn_requests_do_not_count_against_the_cap(client_for, raps_admin, apprenticeship, fund):
    make_request(apprenticeship, amount="1500.00", status="withdrawn")
    make_request(apprenticeship, amount="1500.00", status="denied", decision_reason="No")
    aid = make_request(apprenticeship, amount="1500.00", fund=fund)

    assert client_for(raps_admin).post(aid_url(aid, "approve"), {"amount": "1500.00"}).status_code == 200


def test_an_approval_past_what_the_fund_has_left_is_refused_with_409(
    client_for, raps_admin, apprenticeship, other_apprenticeship, sponsor
):
    fund = make_fund(sponsor, amount="1000.00")
    paid(other_apprenticeship, fund, amount="900.00")
    aid = make_request(apprenticeship, amount="150.00", fund=fund)

    response = client_for(raps_admin).post(aid_url(aid, "approve"), {"amount": "150.00"}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert (body["limit"], body["remaining"]) == ("fund", "100.00")
    assert "100.00" in body["amount"][0]
    aid.refresh_from_db()
    assert (aid.status, aid.amount_approved) == ("requested", None)


def test_a_fund_whose_period_is_over_pays_no_more(client_for, raps_admin, apprenticeship, sponsor):
    fund = make_fund(sponsor)
    fund.period_end = datetime.date(2025, 6, 30)
    fund.save()
    aid = make_request(apprenticeship, fund=fund)

    response = client_for(raps_admin).post(aid_url(aid, "approve"), {"amount": "100.00"}, format="json")

    assert response.status_code == 400
    assert "fund" in response.json()


# --- reading ------------------------------------------------------------------------------------


def test_each_caller_reads_the_requests_of_the_apprenticeships_they_read(
    client_for, apprentice, raps_admin, employer_a_admin, employer_b_supervisor, apprenticeship, other_apprenticeship
):
    mine, theirs = make_request(apprenticeship), make_request(other_apprenticeship)

    def ids(user):
        return {row["id"] for row in client_for(user).get(AID).json()["results"]}

    assert ids(apprentice) == {str(mine.pk)}
    assert ids(employer_a_admin) == {str(mine.pk)}
    assert ids(employer_b_supervisor) == {str(theirs.pk)}
    assert ids(raps_admin) == {str(mine.pk), str(theirs.pk)}
    assert client_for(apprentice).get(aid_url(theirs)).status_code == 404


def test_the_request_list_query_count_is_the_same_for_1_and_for_30_requests(
    client_for, raps_admin, apprentice, apprenticeship, fund
):
    client = client_for(raps_admin)
    document = file_document(apprenticeship, apprentice)

    def count():
        with CaptureQueriesContext(connection) as context:
            response = client.get(AID)
        assert response.status_code == 200
        return len(context.captured_queries), response.json()["count"]

    make_request(apprenticeship).documents.set([document])
    one = count()
    for _ in range(29):
        paid(factories.ApprenticeshipFactory(program=apprenticeship.program), fund, amount="10.00")
    thirty = count()

    # 1. session  2. user  3. memberships  4. the caller's apprenticeships  5. COUNT of the page
    # 6. the page, with its apprentices and funds joined  7. the page's documents' ids
    assert (one, thirty) == ((7, 1), (7, 30))
    assert Decimal(client.get(AID).json()["results"][0]["amount_requested"]) > 0
