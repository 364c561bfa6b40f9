"""POST hour-logs/{id}/withdraw/: the author takes back a log still waiting for its review. It is
kept, withdrawn, out of the running totals and the day's 24 hours, and in its history."""

import pytest

from competencies.models import HourLog, HourTotals
from competencies.services import hour_totals_recompute
from tests.hour_logs.records import LOGS, NO_HOURS, totals_of


def withdraw(client, log):
    return client.post(f"{LOGS}{log['id']}/withdraw/")


def test_the_author_withdraws_a_submitted_log_which_leaves_the_pending_totals(
    client_for, log_as, apprentice, apprenticeship, ojt
):
    log = log_as(apprentice, ojt(hours="7.5"))
    pending = (totals_of(apprenticeship), HourTotals.objects.get(apprenticeship=apprenticeship).pending_logs)

    response = withdraw(client_for(apprentice), log)

    assert pending == ({**NO_HOURS, "ojt_pending": "7.50"}, 1)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "withdrawn"
    assert HourLog.objects.get(pk=log["id"]).status == "withdrawn"
    assert totals_of(apprenticeship) == NO_HOURS
    assert HourTotals.objects.get(apprenticeship=apprenticeship).pending_logs == 0


def test_a_withdrawn_log_leaves_the_recomputed_totals_agreeing(client_for, log_as, apprentice, apprenticeship, rti):
    log_as(apprentice, rti(hours="2"))
    withdraw(client_for(apprentice), log_as(apprentice, rti(hours="3")))
    running = totals_of(apprenticeship)

    hour_totals_recompute(apprenticeship=apprenticeship)

    assert running == totals_of(apprenticeship) == {**NO_HOURS, "rti_pending": "2.00"}


def test_a_withdrawal_is_in_the_logs_history_with_its_reason(client_for, log_as, apprentice, ojt):
    log = log_as(apprentice, ojt())
    client = client_for(apprentice)
    withdraw(client, log)

    latest = client.get(f"{LOGS}{log['id']}/history/").json()["results"][0]

    assert latest["history_change_reason"] == "withdrawn"
    assert latest["history_user"]["id"] == str(apprentice.id)
    assert {"field": "status", "old": "submitted", "new": "withdrawn"} in latest["changes"]


def test_a_withdrawn_log_frees_its_hours_of_the_day(client_for, log_as, apprentice, ojt):
    log = log_as(apprentice, ojt(hours="16"))
    client = client_for(apprentice)
    refused = client.post(LOGS, ojt(hours="16"))
    withdraw(client, log)

    again = client.post(LOGS, ojt(hours="16"))

    assert refused.status_code == 400
    assert again.status_code == 201, again.json()


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "raps_admin"])
def test_someone_else_who_sees_the_log_may_not_withdraw_it(request, client_for, log_as, apprentice, ojt, persona):
    log = log_as(apprentice, ojt())

    response = withdraw(client_for(request.getfixturevalue(persona)), log)

    assert response.status_code == 403
    assert HourLog.objects.get(pk=log["id"]).status == "submitted"


def test_someone_who_does_not_see_the_log_does_not_find_it(client_for, log_as, apprentice, employer_b_supervisor, ojt):
    log = log_as(apprentice, ojt())

    response = withdraw(client_for(employer_b_supervisor), log)

    assert response.status_code == 404
    assert HourLog.objects.get(pk=log["id"]).status == "submitted"


def test_only_a_submitted_log_is_withdrawn(client_for, log_as, apprentice, employer_a_supervisor, apprenticeship, ojt):
    log = log_as(apprentice, ojt())
    assert client_for(employer_a_supervisor).post(f"{LOGS}{log['id']}/approve/").status_code == 200

    response = withdraw(client_for(apprentice), log)

    assert response.status_code == 409
    assert HourLog.objects.get(pk=log["id"]).status == "approved"
    assert totals_of(apprenticeship)["ojt_approved"] == "8.00"


def test_the_list_filters_withdrawn_logs(client_for, log_as, apprentice, ojt):
    withdrawn = log_as(apprentice, ojt(hours="2"))
    log_as(apprentice, ojt(hours="3"))
    client = client_for(apprentice)
    withdraw(client, withdrawn)

    response = client.get(LOGS, {"status": "withdrawn"})

    assert response.status_code == 200, response.json()
    assert [row["id"] for row in response.json()["results"]] == [withdrawn["id"]]
