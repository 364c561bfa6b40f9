"""The chaos run's clients: threads that read and write through the API as the portal's users do,
and retry as a careful client would: every write carries an `Idempotency-Key` and is sent again
with the same key and body after a timeout, a dropped connection or a 5xx. Each request is
counted in the current phase's tally; each write the client saw succeed is kept for the check."""

import datetime
import http.client
import json
import queue
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from .services import PORT

FORCED_TIMEOUT = 0.05  # seconds: a bulk approval's first attempt gives up this soon (env: run.py)
ATTEMPTS = 6


@dataclass
class Tally:
    """What the clients of one phase saw."""

    statuses: Counter = field(default_factory=Counter)
    dropped: int = 0  # timeouts and connections lost before an answer
    retries: int = 0
    retried_then_refused: int = 0  # a retry answered 4xx: the client cannot tell it succeeded
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.dropped

    def add(self, *, retries: int = 0, retried_then_refused: int = 0) -> None:
        with self.lock:
            self.retries += retries
            self.retried_then_refused += retried_then_refused

    def count(self, status: int | None) -> None:
        with self.lock:
            if status is None:
                self.dropped += 1
            else:
                self.statuses[status] += 1


@dataclass
class Write:
    """One write as the client saw it: its key, what it wrote (the ids of the logs it created
    or decided) and whether it ended in a success."""

    phase: str
    kind: str  # "create", "approve", "bulk"
    key: str
    ids: list[str]
    status: int | None
    attempts: int


class Phase:
    """The phase the clients count in; run.py moves it on."""

    def __init__(self):
        self.name = "setup"
        self.tallies: dict[str, Tally] = {"setup": Tally()}
        self.writes: list[Write] = []
        self.lock = threading.Lock()

    def enter(self, name: str) -> None:
        self.tallies[name] = Tally()
        self.name = name

    @property
    def tally(self) -> Tally:
        return self.tallies[self.name]

    def record(self, write: Write) -> None:
        with self.lock:
            self.writes.append(write)


PHASE = Phase()


class Client:
    """One user's HTTP connection to the server."""

    def __init__(self, token: str):
        self.token = token
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)

    def send(self, method: str, path: str, body=None, *, key: str | None = None, timeout: float = 30.0):
        """(status or None if no answer, parsed body, Retry-After seconds)."""
        headers = {"X-Session-Token": self.token, "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        tally = PHASE.tally
        try:
            self.connection.timeout = timeout
            if self.connection.sock is not None:
                self.connection.sock.settimeout(timeout)
            self.connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            tally.count(None)
            self.connection.close()
            return None, None, 0.2
        tally.count(response.status)
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        retry_after = float(response.getheader("Retry-After") or 0.5)
        return response.status, data, min(retry_after, 2.0)

    def write(self, kind: str, path: str, body: dict, ids: list[str], *, first_timeout: float = 30.0) -> Write:
        """A write, sent again with the same Idempotency-Key and body until it is answered
        below 500 (or ATTEMPTS run out). Kept for the check."""
        key = str(uuid.uuid4())
        if kind == "create":
            body = {**body, "description": f"chaos {key}"}  # finds every row a retry may double
        status, data, attempts = None, None, 0
        while attempts < ATTEMPTS:
            attempts += 1
            status, data, wait = self.send("POST", path, body, key=key, timeout=first_timeout if attempts == 1 else 30)
            # As docs/api.md tells a client: retry a 5xx, an answer that never came, and the 409
            # of a copy still running (its Retry-After), with the same key and body.
            still_running = status == 409 and "Idempotency-Key" in str((data or {}).get("detail", ""))
            if status is not None and status < 500 and not still_running:
                break
            PHASE.tally.add(retries=1)
            time.sleep(wait)
        if attempts > 1 and status is not None and 400 <= status < 500:
            PHASE.tally.add(retried_then_refused=1)
        if kind == "create" and status == 201 and isinstance(data, dict):
            ids = [str(data["id"])]
        write = Write(PHASE.name, kind, key, ids, status, attempts)
        PHASE.record(write)
        return write


@dataclass
class People:
    """The dataset's users and what they work on (run.py fills it)."""

    apprentices: list[tuple[str, str, str, str]]  # token, apprenticeship, work process, employer
    supervisors: dict[str, str]  # employer -> token
    admin: str
    submitted: dict[str, "queue.SimpleQueue[str]"]  # employer -> logs waiting for a single approval
    bulks: "queue.SimpleQueue[tuple[str, list[str]]]"  # (employer, 200 submitted logs)


class Load:
    """The mix of clients, each a thread, until `stop`: apprentices submitting hours, supervisors
    approving them one at a time, a supervisor approving in bulk (every other bulk's first attempt
    timed out on purpose, then retried), and readers."""

    def __init__(self, people: People, *, submitters=3, approvers=1, bulkers=1, readers=1, bulk_every=3.0):
        self.people, self.stop = people, threading.Event()
        self.bulk_every, self.submitters = bulk_every, submitters
        self.threads = [threading.Thread(target=self._submitter, args=(n,)) for n in range(submitters)]
        self.threads += [threading.Thread(target=self._approver, args=(n,)) for n in range(approvers)]
        self.threads += [threading.Thread(target=self._bulker) for _ in range(bulkers)]
        self.threads += [threading.Thread(target=self._reader, args=(n,)) for n in range(readers)]
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def _submitter(self, n: int) -> None:
        mine = self.people.apprentices[n :: self.submitters] or self.people.apprentices
        clients = {token: Client(token) for token, *_ in mine}
        today, day = datetime.date.today(), 3 + n * 120
        while not self.stop.is_set():
            token, apprenticeship, process, employer = mine[day % len(mine)]
            body = {
                "apprenticeship": apprenticeship,
                "date": str(today - datetime.timedelta(days=day % 360 + 3)),
                "hours": "0.25",
                "kind": "ojt",
                "work_process": process,
            }
            day += 1
            write = clients[token].write("create", "/api/v1/hour-logs/", body, [])
            if write.status == 201:
                self.people.submitted[employer].put(write.ids[0])

    def _approver(self, n: int) -> None:
        employers = sorted(self.people.supervisors)
        clients = {employer: Client(token) for employer, token in self.people.supervisors.items()}
        turn = n
        while not self.stop.is_set():
            employer = employers[turn % len(employers)]
            turn += 1
            try:
                log = self.people.submitted[employer].get_nowait()
            except queue.Empty:
                time.sleep(0.05)
                continue
            clients[employer].write("approve", f"/api/v1/hour-logs/{log}/approve/", {}, [log])

    def bulk(self, *, forced_timeout: bool) -> Write | None:
        """One bulk approval of one employer's round of 200 submitted logs."""
        try:
            employer, ids = self.people.bulks.get_nowait()
        except queue.Empty:
            return None
        client = Client(self.people.supervisors[employer])
        timeout = FORCED_TIMEOUT if forced_timeout else 30.0
        return client.write("bulk", "/api/v1/hour-logs/approve/", {"ids": ids}, ids, first_timeout=timeout)

    def _bulker(self) -> None:
        sent = 0
        while not self.stop.wait(self.bulk_every if sent else 0.5):
            if self.bulk(forced_timeout=sent % 2 == 0) is None:
                return
            sent += 1

    def _reader(self, n: int) -> None:
        rng = random.Random(n)
        apprentice = self.people.apprentices[n % len(self.people.apprentices)]
        supervisor = self.people.supervisors[sorted(self.people.supervisors)[n % len(self.people.supervisors)]]
        reads = [
            (apprentice[0], "/api/v1/me/"),
            (apprentice[0], f"/api/v1/apprenticeships/{apprentice[1]}/progress/"),
            (supervisor, "/api/v1/hour-logs/?page_size=50"),
            (supervisor, "/api/v1/review-queue/"),
            (supervisor, "/api/v1/notifications/"),
            (self.people.admin, "/api/v1/apprenticeships/?include=progress&page_size=50"),
        ]
        clients = {token: Client(token) for token, _ in reads}
        while not self.stop.is_set():
            token, path = rng.choice(reads)
            clients[token].send("GET", path)
