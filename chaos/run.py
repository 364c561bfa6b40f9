"""`make chaos`: the portal under faults, with production settings and real services.

1. recreates its own database (CHAOS_DATABASE_URL, default chaos_portal on 127.0.0.1), migrates,
   loads a small dataset (chaos/dataset.py);
2. starts two redis-servers of its own (broker on CHAOS_BROKER_PORT, cache on CHAOS_CACHE_PORT:
   the machine's Redis is never touched), an SMTP sink counting each message by Message-ID
   (CHAOS_SMTP_PORT), gunicorn with 4 workers and portal.settings.prod (bench/harness.Server), a
   Celery worker and beat (beat's e-mail sweep every CHAOS_SWEEP_SECONDS, chaos/settings.py);
3. runs the phases, each CHAOS_SECONDS long (default 25):
   a. mixed load (submissions, approvals, bulk approvals whose first attempt times out on
      purpose and is retried with its Idempotency-Key, reads) while every PostgreSQL session of
      the portal is ended every CHAOS_KILL_INTERVAL seconds (default 2);
   b. CHAOS_EMAILS e-mails (default 1,200) written by bulk approvals while the worker is
      stopped, then delivered while every session is ended as in a (with a light load), until
      none is left pending or CHAOS_EMAIL_SECONDS (default 60) have passed;
   c. the load while the broker, then the cache, is stopped and started again;
   d. a Celery worker killed (SIGKILL, its pool with it) once 100 of about 400 e-mails written
      in the phase are sent, and started again;
4. waits until every e-mail is delivered (at most CHAOS_SETTLE_SECONDS, default 240: an e-mail
   claimed by the killed worker waits out its claim's lease), then counts per phase: requests,
   5xx, writes lost and doubled, e-mails lost and doubled (chaos/verify.py);
5. prints the table; exits 1 if any request answered 500, or a write or an e-mail was lost.
"""

import datetime
import os
import queue
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

from bench import harness

from . import load, verify
from .services import (
    BROKER_PORT,
    CACHE_PORT,
    DATABASE_URL,
    SMTP_PORT,
    WORKERS,
    Celery,
    Redis,
    SessionKiller,
    Sink,
    connect,
    logs,
    output_to,
    recreate_database,
    say,
)

SECONDS = float(os.environ.get("CHAOS_SECONDS", "25"))
EMAILS = int(os.environ.get("CHAOS_EMAILS", "1200"))
BULK_SIZE = int(os.environ.get("CHAOS_BULK_SIZE", "100"))  # logs a bulk approval decides
SETTLE_SECONDS = float(os.environ.get("CHAOS_SETTLE_SECONDS", "240"))
EMAIL_SECONDS = float(os.environ.get("CHAOS_EMAIL_SECONDS", "60"))
load.FORCED_TIMEOUT = float(os.environ.get("CHAOS_FORCED_TIMEOUT", str(load.FORCED_TIMEOUT)))
PHASES = {
    "a": "a. sessions killed under load",
    "b": "b. sessions killed during e-mail",
    "c": "c. broker and cache down",
    "d": "d. worker killed mid-delivery",
}


def people(connection) -> load.People:
    """Three apprentices of each employer (signed in), each employer's supervisor, the admin, and
    the dataset's submitted logs: the single ones per employer, the bulk rounds."""
    rows = connection.execute(
        "SELECT u.email, a.id, (SELECT id FROM apprenticeships_workprocess w WHERE w.program_id = a.program_id "
        "ORDER BY position LIMIT 1), e.name, row_number() OVER (PARTITION BY e.id ORDER BY u.email) "
        "FROM apprenticeships_apprenticeship a JOIN portal_user u ON u.id = a.apprentice_id "
        "JOIN sponsors_employer e ON e.id = a.employer_id ORDER BY u.email"
    ).fetchall()
    employers = sorted({row[3] for row in rows})
    submitted: dict[str, queue.SimpleQueue[str]] = {employer: queue.SimpleQueue() for employer in employers}
    bulk_rounds: dict[tuple[str, str], list[str]] = {}
    for log_id, employer, description in connection.execute(
        "SELECT l.id, e.name, l.description FROM competencies_hourlog l JOIN sponsors_employer e "
        "ON e.id = l.employer_id WHERE l.status = 'submitted' ORDER BY l.id"
    ):
        if description == "bench":
            submitted[employer].put(str(log_id))
        else:
            bulk_rounds.setdefault((description, employer), []).append(str(log_id))
    bulks: queue.SimpleQueue[tuple[str, list[str]]] = queue.SimpleQueue()
    for (_round, employer), ids in sorted(
        bulk_rounds.items(), key=lambda item: (int(item[0][0].split()[-1]), item[0][1])
    ):
        for start in range(0, len(ids), BULK_SIZE):
            bulks.put((employer, ids[start : start + BULK_SIZE]))
    supervisors = {employer: harness.login(f"supervisor{n:02d}@bench.example") for n, employer in enumerate(employers)}
    return load.People(
        apprentices=[(harness.login(r[0]), str(r[1]), str(r[2]), r[3]) for r in rows if r[4] <= 3],
        supervisors=supervisors,
        admin=harness.login("admin@bench.example"),
        submitted=submitted,
        bulks=bulks,
    )


class Run:
    def __init__(self):
        self.starts: list[tuple[str, datetime.datetime]] = [
            ("setup", datetime.datetime.min.replace(tzinfo=datetime.UTC))
        ]
        self.readyz: Counter = Counter()
        self.notes: list[str] = []

    def enter(self, key: str) -> float:
        say(PHASES[key])
        load.PHASE.enter(PHASES[key])
        self.starts.append((PHASES[key], datetime.datetime.now(datetime.UTC)))
        return time.monotonic()

    def probe_readyz(self, label: str, stop: threading.Event) -> None:
        while not stop.wait(1):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{harness.PORT}/readyz", timeout=5) as response:
                    self.readyz[(label, response.status)] += 1
            except urllib.error.HTTPError as error:
                self.readyz[(label, error.code)] += 1
            except OSError:
                self.readyz[(label, "no answer")] += 1

    def bulk_burst(self, mix: load.Load, emails: int, since: datetime.datetime) -> None:
        """Bulk approvals one after another until `emails` notifications have been written since
        `since` (a bulk of BULK_SIZE logs tells each of their apprentices once)."""
        with connect() as connection:
            while True:
                row = connection.execute(
                    "SELECT count(*) FROM notifications_notification WHERE created_at >= %s", [since]
                ).fetchone()
                if row and row[0] >= emails:
                    return
                if mix.bulk(forced_timeout=False) is None:
                    self.notes.append("the dataset ran out of bulk rounds (raise CHAOS_BULK_ROUNDS)")
                    return


def main() -> int:
    began = time.monotonic()
    say(f"database {DATABASE_URL}; {SECONDS:.0f} s a phase; {WORKERS} gunicorn workers; logs in {logs()}")
    recreate_database()
    harness.manage("migrate", "--noinput", "-v", "0")
    say("building the dataset")
    harness.python_module("chaos.dataset")
    broker, cache, sink = Redis("broker", BROKER_PORT), Redis("cache", CACHE_PORT), Sink(SMTP_PORT)
    killer, run = SessionKiller(), Run()
    server = worker = beat = None
    try:
        with output_to("gunicorn.log"):
            server = harness.Server()
        worker, beat = Celery("worker"), Celery("beat")
        with connect() as connection:
            who = people(connection)

        started = run.enter("a")
        killer.active.set()
        mix = load.Load(who, submitters=3, approvers=1, bulkers=1, readers=1)
        time.sleep(SECONDS)
        mix.join()
        killer.active.clear()

        # The e-mails are written first, the worker stopped; then the worker delivers them while
        # every session is ended every few seconds.
        started = run.enter("b")
        worker.stop()
        mix = load.Load(who, submitters=0, approvers=0, bulkers=0, readers=0)
        run.bulk_burst(mix, EMAILS, run.starts[-1][1])
        say(f"  {EMAILS}+ e-mails written; the worker delivers them with sessions ended")
        mix = load.Load(who, submitters=1, approvers=1, bulkers=0, readers=1)
        killer.active.set()
        worker.start()
        started = time.monotonic()
        with connect() as connection:
            while time.monotonic() - started < max(SECONDS, EMAIL_SECONDS):
                due = connection.execute(
                    "SELECT count(*) FROM notifications_notification WHERE email_state = 'pending'"
                ).fetchone()
                if due and due[0] == 0:
                    break
                time.sleep(1)
        mix.join()
        killer.active.clear()

        started = run.enter("c")
        mix = load.Load(who, submitters=3, approvers=1, bulkers=1, readers=1)
        for at, service in [(0.2, broker), (0.55, cache)]:
            time.sleep(max(0.0, started + at * SECONDS - time.monotonic()))
            say(f"  {service.name} stopped")
            service.stop()
            probing = threading.Event()
            threading.Thread(target=run.probe_readyz, args=(f"{service.name} down", probing), daemon=True).start()
            time.sleep(0.25 * SECONDS)
            probing.set()
            service.start()
            say(f"  {service.name} started")
        time.sleep(max(0.0, started + SECONDS - time.monotonic()))
        mix.join()

        started = run.enter("d")
        mix = load.Load(who, submitters=1, approvers=1, bulkers=0, readers=1)
        run.bulk_burst(mix, 400, run.starts[-1][1])
        row = None
        with connect() as connection:
            while time.monotonic() - started < 3 * SECONDS:  # the backlog of c first, then these
                row = connection.execute(
                    "SELECT count(*) FROM notifications_notification WHERE email_state = 'sent' AND created_at >= %s",
                    [run.starts[-1][1]],
                ).fetchone()
                if row and row[0] >= 100:
                    break
                time.sleep(0.1)
        say(f"  worker killed after {row[0] if row else 0} e-mails of the phase were sent")
        worker.kill()
        time.sleep(3)
        worker.start()
        time.sleep(max(0.0, started + SECONDS - time.monotonic()))
        mix.join()

        say(f"settling: every e-mail delivered, at most {SETTLE_SECONDS:.0f} s")
        settle_started = time.monotonic()
        with connect() as connection:
            while True:
                done, unsettled, missing = verify.settled(connection, sink.counts())
                if done or time.monotonic() - settle_started > SETTLE_SECONDS:
                    break
                if int(time.monotonic() - settle_started) % 15 == 0:
                    say(f"  {unsettled} e-mails still due, {missing} not received")
                time.sleep(1)
            settle_seconds = time.monotonic() - settle_started
            if not done:
                run.notes.append(f"not settled after {SETTLE_SECONDS:.0f} s: {unsettled} due, {missing} not received")
            writes = verify.writes(connection, load.PHASE.writes)
            mails, states = verify.e_mails(connection, sink.counts(), run.starts)
    finally:
        killer.done.set()
        for process in (server, worker, beat):
            if process is not None:
                process.stop()
        broker.stop()
        cache.stop()
        sink.shutdown()
    run.notes += [
        f"sessions ended: {killer.killed}; settled in {settle_seconds:.0f} s; total {time.monotonic() - began:.0f} s",
        "e-mail states: " + ", ".join(f"{state} {count}" for state, count in sorted(states.items())),
        "readyz: " + ", ".join(f"{label}: {status} x{count}" for (label, status), count in sorted(run.readyz.items())),
        f"Message-IDs received: {len(sink.counts())}, messages {sum(sink.counts().values())}",
        *(note for process in (worker, beat) if process is not None for note in process.exits),
    ]
    return report(writes, mails, run.notes)


COLUMNS = [
    "requests",
    "5xx",
    "500",
    "503",
    "dropped",
    "retried, then 4xx",
    "writes ok",
    "writes lost",
    "writes doubled",
    "e-mails",
    "e-mails lost",
    "e-mails doubled",
]


def report(writes: dict, mails: dict, notes: list[str]) -> int:
    rows: list[tuple[str, Counter]] = []
    total: Counter = Counter()
    for name, tally in load.PHASE.tallies.items():
        if name == "setup" and not mails.get(name):
            continue
        five = sum(count for status, count in tally.statuses.items() if status >= 500)
        row = Counter(
            {
                "requests": tally.requests,
                "5xx": five,
                "500": tally.statuses[500],
                "503": tally.statuses[503],
                "dropped": tally.dropped,
                "retried, then 4xx": tally.retried_then_refused,
            }
        )
        row.update(writes.get(name, Counter()))
        row.update(mails.get(name, Counter()))
        rows.append((name, row))
        total.update(row)
    print()
    print("| phase | " + " | ".join(COLUMNS) + " |")
    print("|---|" + "---:|" * len(COLUMNS))
    for name, row in [*rows, ("total", total)]:
        print(f"| {name} | " + " | ".join(str(row[column]) for column in COLUMNS) + " |")
    print()
    for note in notes:
        print(f"- {note}")
    failures = [
        f"{label}: {total[column]}"
        for column, label in [
            ("500", "answers of 500"),
            ("writes lost", "writes lost"),
            ("e-mails lost", "e-mails lost"),
        ]
        if total[column]
    ]
    print("chaos: " + ("FAILED: " + "; ".join(failures) if failures else "nothing lost, no 500"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
