"""The moves of an hour log are those of HOUR_LOG_TRANSITIONS, walked through the API: every
move the table allows succeeds through its service, every move it does not is a 409."""

import pytest

from competencies.models import HOUR_LOG_TRANSITIONS, HourLog, HourLogStatus
from tests.hour_logs.records import LOGS

# The action that makes each move, and the body it takes.
MOVES = {
    HourLogStatus.APPROVED: ("approve", {}),
    HourLogStatus.REJECTED: ("reject", {"reason": "Not this week"}),
    HourLogStatus.VOIDED: ("void", {"reason": "Duplicate"}),
    HourLogStatus.WITHDRAWN: ("withdraw", {}),
}
# The moves the log's author makes (the apprentice who submitted it); the supervisor makes the others.
AUTHOR_MOVES = {HourLogStatus.WITHDRAWN}
# How a submitted log is brought to each state before the move under test.
ROUTES = {
    HourLogStatus.SUBMITTED: [],
    HourLogStatus.APPROVED: [HourLogStatus.APPROVED],
    HourLogStatus.REJECTED: [HourLogStatus.REJECTED],
    HourLogStatus.VOIDED: [HourLogStatus.APPROVED, HourLogStatus.VOIDED],
    HourLogStatus.WITHDRAWN: [HourLogStatus.WITHDRAWN],
}
PAIRS = [(start, to) for start in HourLogStatus.values for to in MOVES]


def test_the_table_names_every_status_and_only_moves_the_services_make():
    assert set(HOUR_LOG_TRANSITIONS) == set(HourLogStatus.values)
    assert set().union(*HOUR_LOG_TRANSITIONS.values()) <= set(MOVES)


@pytest.fixture
def move(client_for, apprentice, employer_a_supervisor):
    """Make the move to `to` on a log, as the one who makes it."""

    def make(log_id, to):
        action, body = MOVES[to]
        client = client_for(apprentice if to in AUTHOR_MOVES else employer_a_supervisor)
        return client.post(f"{LOGS}{log_id}/{action}/", body, format="json")

    return make


@pytest.fixture
def log_in(log_as, apprentice, move, ojt):
    """A log the apprentice submitted, brought to `status` by the supervisor (or by the apprentice)."""

    def make(status):
        log_id = log_as(apprentice, ojt())["id"]
        for step in ROUTES[status]:
            assert move(log_id, step).status_code == 200
        assert HourLog.objects.get(pk=log_id).status == status
        return log_id

    return make


@pytest.mark.parametrize(("start", "to"), PAIRS, ids=[f"{start}->{to}" for start, to in PAIRS])
def test_a_move_succeeds_exactly_when_the_table_allows_it(log_in, move, start, to):
    log_id = log_in(start)

    response = move(log_id, to)

    if to in HOUR_LOG_TRANSITIONS[start]:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == to
        assert HourLog.objects.get(pk=log_id).status == to
    else:
        assert response.status_code == 409, response.json()
        assert HourLog.objects.get(pk=log_id).status == start


@pytest.mark.parametrize("start", HourLogStatus.values)
def test_the_author_changes_a_log_only_while_the_table_lets_it_be_reviewed(client_for, apprentice, log_in, start):
    log_id = log_in(start)

    response = client_for(apprentice).patch(f"{LOGS}{log_id}/", {"description": "changed"}, format="json")

    if HourLogStatus.APPROVED in HOUR_LOG_TRANSITIONS[start]:
        assert response.status_code == 200, response.json()
        assert HourLog.objects.get(pk=log_id).description == "changed"
    else:
        assert response.status_code == 409, response.json()
        assert HourLog.objects.get(pk=log_id).description != "changed"


def test_the_services_read_the_table_itself(monkeypatch, log_in, move):
    # With the move taken out of the table, the service refuses it: the table is the rule.
    log_id = log_in(HourLogStatus.SUBMITTED)
    monkeypatch.setitem(HOUR_LOG_TRANSITIONS, HourLogStatus.SUBMITTED, {HourLogStatus.REJECTED})

    response = move(log_id, HourLogStatus.APPROVED)

    assert response.status_code == 409
    assert HourLog.objects.get(pk=log_id).status == HourLogStatus.SUBMITTED
