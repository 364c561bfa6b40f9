"""What the chaos run counts once the system has settled, per phase.

- writes lost: a write the client saw succeed (2xx) whose rows are not in the database as it
  answered, each with its history row (a created log and its "+" history row; an approved log,
  approved, and a history row of it approved);
- writes doubled: rows beyond the first written for one Idempotency-Key (a created log's
  description names its key; a retry that wrote again leaves two);
- e-mails lost: a notification the database holds for e-mail (every state but not_wanted and
  withdrawn) whose Message-ID never reached the sink; doubled: a Message-ID received twice or more.
A notification belongs to the phase in which it was written (its created_at).
"""

import bisect
import datetime
from collections import Counter, defaultdict

import psycopg

from .load import Write

NOT_E_MAILED = ("not_wanted", "withdrawn")
UNSETTLED = ("pending", "sending", "failed")


def message_id(notification_id) -> str:
    return f"<notification-{notification_id}@apprenticeship-portal>"  # notifications/delivery.py


def writes(connection: psycopg.Connection, all_writes: list[Write]) -> dict[str, Counter]:
    """Per phase: writes ok (the client saw a success), lost, doubled."""
    result: dict[str, Counter] = defaultdict(Counter)
    succeeded = [w for w in all_writes if w.status is not None and 200 <= w.status < 300]
    created = [i for w in succeeded if w.kind == "create" for i in w.ids]
    decided = [i for w in succeeded if w.kind != "create" for i in w.ids]
    present = {
        str(row[0])
        for row in connection.execute(
            "SELECT l.id FROM competencies_hourlog l WHERE l.id = ANY(%s::uuid[]) AND EXISTS "
            "(SELECT 1 FROM competencies_historicalhourlog h WHERE h.id = l.id AND h.history_type = '+')",
            [created],
        )
    }
    approved = {
        str(row[0])
        for row in connection.execute(
            "SELECT l.id FROM competencies_hourlog l WHERE l.id = ANY(%s::uuid[]) AND l.status = 'approved' AND EXISTS "
            "(SELECT 1 FROM competencies_historicalhourlog h WHERE h.id = l.id AND h.status = 'approved')",
            [decided],
        )
    }
    for write in succeeded:
        found = present if write.kind == "create" else approved
        result[write.phase]["writes ok"] += 1
        result[write.phase]["writes lost"] += sum(1 for i in write.ids if i not in found)
    phase_of_key = {w.key: w.phase for w in all_writes if w.kind == "create"}
    for description, count in connection.execute(
        "SELECT description, count(*) FROM competencies_hourlog WHERE description LIKE 'chaos %%' "
        "GROUP BY description HAVING count(*) > 1"
    ):
        result[phase_of_key.get(description.removeprefix("chaos "), "?")]["writes doubled"] += count - 1
    return result


def e_mails(
    connection: psycopg.Connection, received: Counter, starts: list[tuple[str, datetime.datetime]]
) -> tuple[dict[str, Counter], Counter]:
    """Per phase: e-mails expected, lost, doubled (Message-IDs received more than once), and the
    final e-mail states of every notification."""
    result: dict[str, Counter] = defaultdict(Counter)
    states: Counter = Counter()
    times = [start for _name, start in starts]
    for notification_id, created_at, state in connection.execute(
        "SELECT id, created_at, email_state FROM notifications_notification"
    ):
        states[state] += 1
        if state in NOT_E_MAILED:
            continue
        phase = starts[max(0, bisect.bisect_right(times, created_at) - 1)][0]
        copies = received.get(message_id(notification_id), 0)
        result[phase]["e-mails"] += 1
        result[phase]["e-mails lost"] += copies == 0
        result[phase]["e-mails doubled"] += copies > 1
        result[phase]["extra copies"] += max(0, copies - 1)
    return result, states


def settled(connection: psycopg.Connection, received: Counter) -> tuple[bool, int, int]:
    """(settled, e-mails still due in the database, e-mails not received yet)."""
    unsettled = 0
    missing = 0
    for notification_id, state in connection.execute(
        "SELECT id, email_state FROM notifications_notification WHERE email_state <> ALL(%s)", [list(NOT_E_MAILED)]
    ):
        unsettled += state in UNSETTLED
        missing += message_id(notification_id) not in received
    return unsettled == 0 and missing == 0, unsettled, missing
