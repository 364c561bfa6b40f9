"""What the chaos run starts and breaks: its own Redis servers (broker, cache), a Celery worker
and beat, an SMTP sink that counts every message by its Message-ID, and a thread that ends the
portal's PostgreSQL sessions every few seconds. The benchmark's server and settings are reused
(bench/harness.py): the run points them at its own database, port and services."""

import contextlib
import functools
import os
import re
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg

from bench import harness

DATABASE_URL = os.environ.get("CHAOS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chaos_portal")
PORT = int(os.environ.get("CHAOS_PORT", "8775"))
WORKERS = int(os.environ.get("CHAOS_WORKERS", "4"))
BROKER_PORT = int(os.environ.get("CHAOS_BROKER_PORT", "6391"))
CACHE_PORT = int(os.environ.get("CHAOS_CACHE_PORT", "6392"))
SMTP_PORT = int(os.environ.get("CHAOS_SMTP_PORT", "2626"))
KILL_INTERVAL = float(os.environ.get("CHAOS_KILL_INTERVAL", "2"))
WORKER_CONCURRENCY = int(os.environ.get("CHAOS_WORKER_CONCURRENCY", "2"))
# The claim lease is the task's hard time limit + 60 s (notifications/delivery.py): a short time
# limit (a send to the local sink takes milliseconds) lets a killed worker's e-mails lapse soon.
TASK_TIME_LIMIT = int(os.environ.get("CHAOS_TASK_TIME_LIMIT", "15"))
HARNESS = "chaos-harness"  # application_name of the run's own sessions: never killed

# The benchmark's server (bench/harness.Server), pointed at this run's database and services.
harness.PORT, harness.WORKERS, harness.DATABASE_URL = PORT, WORKERS, DATABASE_URL
harness.ENV.update(
    {
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": f"redis://127.0.0.1:{CACHE_PORT}/0",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{BROKER_PORT}/0",
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "CELERY_TASK_TIME_LIMIT": str(TASK_TIME_LIMIT),
        "CELERY_TASK_SOFT_TIME_LIMIT": str(max(1, TASK_TIME_LIMIT - 5)),
        "PYTHONUNBUFFERED": "1",
    }
)


@functools.cache
def logs() -> Path:
    """The run's directory of logs (its children's output) and state (beat's schedule)."""
    return Path(tempfile.mkdtemp(prefix="portal-chaos-"))


def say(message: str) -> None:
    print(f"chaos: {message}", flush=True)


@contextlib.contextmanager
def output_to(name: str):
    """A child started inside inherits a log file (in logs()) as its stdout and stderr: its
    tracebacks go there, not to the run's table."""
    saved = os.dup(1), os.dup(2)
    with open(logs() / name, "ab") as log:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def recreate_database() -> None:
    """A database of the run's own (dropped if it is there), as the benchmark makes its own."""
    base, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def connect() -> psycopg.Connection:
    """A session of the harness (reads what the portal wrote); the killer spares it."""
    return psycopg.connect(DATABASE_URL, autocommit=True, application_name=HARNESS)


# --- the SMTP sink ------------------------------------------------------------------------------

MESSAGE_ID = re.compile(rb"^message-id:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


class Sink(socketserver.ThreadingTCPServer):
    """An SMTP server that accepts every message and counts it by Message-ID (enough of RFC 5321
    for Django's SMTP backend: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int):
        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _SmtpSession)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def accept_message(self, data: bytes) -> None:
        headers = data.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(headers)
        with self.lock:
            self.received[found.group(1).decode() if found else "(no Message-ID)"] += 1

    def counts(self) -> Counter[str]:
        with self.lock:
            return Counter(self.received)


class _SmtpSession(socketserver.StreamRequestHandler):
    server: Sink

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 chaos-sink ESMTP")
        while line := self.rfile.readline():
            verb = line.strip().split(b" ", 1)[0].upper()
            if verb == b"EHLO":
                self.reply("250-chaos-sink")
                self.reply("250 8BITMIME")
            elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.accept_message(b"".join(lines))
                self.reply("250 OK queued")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


# --- Redis, Celery ------------------------------------------------------------------------------


class Redis:
    """A redis-server of the run's own on `port` (no persistence: a restart loses what it
    held, as a broker that failed over would), so the machine's Redis is never touched."""

    def __init__(self, name: str, port: int):
        self.name, self.port = name, port
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with open(logs() / f"redis-{self.name}.log", "ab") as log:
            self.process = subprocess.Popen(
                [*command, "--dir", str(logs())], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.5):
                return
            time.sleep(0.1)
        raise SystemExit(f"redis-server ({self.name}) did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class Celery:
    """A Celery process (`worker` or `beat`) in its own process group, so that a SIGKILL takes
    the worker's pool with it (as a host losing the process would). Like a process manager
    (systemd, the platform's), it starts the process again if it exits on its own, and says so
    in `exits`."""

    def __init__(self, role: str):
        self.role = role
        self.process: subprocess.Popen | None = None
        self.exits: list[str] = []
        self.lock = threading.Lock()
        self.start()
        threading.Thread(target=self._watch, daemon=True).start()

    def start(self) -> None:
        command = [sys.executable, "-m", "celery", "-A", "portal", self.role, "--loglevel=warning"]
        env = dict(harness.ENV, CELERY_BEAT_SCHEDULE_FILENAME=str(logs() / "celerybeat-schedule"))
        if self.role == "worker":
            command += [f"--concurrency={WORKER_CONCURRENCY}", "-n", f"chaos-{time.monotonic_ns()}@%h"]
        else:
            env["DJANGO_SETTINGS_MODULE"] = "chaos.settings"  # the sweep every few seconds
        with self.lock, open(logs() / f"celery-{self.role}.log", "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=harness.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def _watch(self) -> None:
        while True:
            time.sleep(0.5)
            with self.lock:
                process = self.process
                if process is None or process.poll() is None:
                    continue
                self.process = None
            self.exits.append(f"the {self.role} exited on its own (status {process.returncode}): started again")
            say(f"  {self.exits[-1]} (its log: {logs() / f'celery-{self.role}.log'})")
            self.start()

    def _take(self) -> subprocess.Popen | None:
        with self.lock:
            process, self.process = self.process, None
        return process

    def kill(self) -> None:
        """SIGKILL to the process and its pool."""
        if (process := self._take()) is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop(self) -> None:
        """A warm shutdown: SIGTERM to the main process, which lets its pool finish the tasks at hand."""
        if (process := self._take()) is not None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


# --- the session killer -------------------------------------------------------------------------


class SessionKiller:
    """Every KILL_INTERVAL seconds, pg_terminate_backend on every session of the run's database
    but the harness's own, while `active` is set. Counts what it ended."""

    def __init__(self):
        self.active = threading.Event()
        self.done = threading.Event()
        self.killed = 0
        self.name = DATABASE_URL.rsplit("/", 1)[1]
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        base = DATABASE_URL.rsplit("/", 1)[0]
        with psycopg.connect(base + "/postgres", autocommit=True, application_name=HARNESS) as connection:
            while not self.done.wait(KILL_INTERVAL):
                if not self.active.is_set():
                    continue
                row = connection.execute(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() AND application_name <> %s",
                    [self.name, HARNESS],
                ).fetchone()
                self.killed += row[0] if row else 0
