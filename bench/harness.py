"""The pieces of `make bench` (bench/run.py): its settings, the server it starts, the load it
drives and how it pools the figures."""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_portal")
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
FLOOR_SLICE_SECONDS = float(os.environ.get("BENCH_FLOOR_SLICE_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
PASSWORD = "bench-password-2026"
TARGETS = {"read": 2.0, "write": 3.0, "growth": 1.2, "csv_mb": 50}
# Rows with a target of their own (× the floor): the review queue is a read (a page of what waits
# for the sponsor's RAPS admin and for a supervisor); one request approving 200 logs, 10x.
TARGETS |= {"review_queue": 2.0, "bulk_approve_200": 10.0}
TARGETS["roster_200"] = 2.0  # the RAPS admin's roster, 200 rows with progress: within 2x the floor
WRITE_ENDPOINTS = ("hour_log_create", "bulk_approve_200")
# How the dataset's logs for bulk_approve_200 are marked, and whose they are: the apprentices
# of the first BULK_SUPERVISORS employers, whose supervisors send the requests (a handful: each
# signs in, and sign-ins are rate-limited per address).
BULK_DESCRIPTION = "bench bulk"
BULK_SUPERVISORS = 10

ENV = {
    **{
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "EMAIL_"))
    },
    "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": DATABASE_URL,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "FIELD_ENCRYPTION_KEYS": "bench-field-key",
    "SSN_LOOKUP_KEY": "bench-ssn-lookup-key",
    "CACHE_URL": "redis://127.0.0.1:6379/13",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/12",  # a real broker; nothing consumes during the run
    # Production settings refuse an e-mail backend that drops mail; nothing is sent during the run
    # (nothing consumes the broker), so an SMTP server that is not there is never reached.
    "EMAIL_URL": "smtp://127.0.0.1:2525",
    "FRONTEND_URL": "https://portal.example.org",
    "PORTAL_URL": "https://api.portal.example.org",
    "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; TLS is the proxy's in production
    "THROTTLE_USER": "10000000/min",  # the load generator is one user hammering: not what the throttle is for
    "THROTTLE_ANON": "10000000/min",
    "LOG_LEVEL": "WARNING",
}


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


def manage(*args) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def python_module(module: str, *args, stdin: str | None = None) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=ENV,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{module} failed:\n{result.stdout}\n{result.stderr}")
    print(result.stdout.replace("RESULT ", "  result: ")[:2000], end="", flush=True)
    return json.loads(next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))[7:])


def recreate_database() -> None:
    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    import redis

    for db in (12, 13):
        redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


def query_rows(sql: str) -> list[tuple]:
    with psycopg.connect(DATABASE_URL) as connection:
        return connection.execute(sql).fetchall()


class Server:
    def __init__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{PORT}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=ENV,
        )
        deadline = time.monotonic() + 180  # a loaded machine starts 4 workers slowly
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def login(email: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/_allauth/app/v1/auth/login",
        data=json.dumps({"email": email, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["meta"]["session_token"]


def drive(name: str, requests: list[dict], seconds: float = SECONDS) -> dict:
    spec = {"host": "127.0.0.1", "port": PORT, "seconds": seconds, "concurrency": CONCURRENCY, "requests": requests}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "loadgen.py")],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout)
    latencies = sorted(data["latencies"])
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else None  # noqa: E731
    outcome = {
        "name": name,
        "requests": len(latencies),
        "errors": data["error_count"],
        "rps": round(len(latencies) / data["seconds"], 1),
        "p50_ms": round(p(0.50), 2) if latencies else None,
        "p99_ms": round(p(0.99), 2) if latencies else None,
    }
    if data["errors"]:
        outcome["error_samples"] = data["errors"][:5]
    say(
        f"{name}: {outcome['requests']} requests, p50 {outcome['p50_ms']} ms, p99 {outcome['p99_ms']} ms, errors {outcome['errors']}"
    )
    return outcome | {"_latencies": latencies, "_seconds": data["seconds"]}


def percentile(latencies: list[float], q: float) -> float:
    ordered = sorted(latencies)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def pooled(name: str, runs: list[dict]) -> dict:
    """The runs of one endpoint taken together, as one outcome."""
    latencies = [latency for run in runs for latency in run["_latencies"]]
    return {
        "name": name,
        "requests": len(latencies),
        "errors": sum(run["errors"] for run in runs),
        "rps": round(len(latencies) / sum(run["_seconds"] for run in runs), 1),
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
    }


def with_adjacent_floor(
    name: str, spec: list[dict], floor_spec: list[dict], floors: list[dict], *, once: bool = False
) -> dict:
    """The endpoint in ROUNDS slices (SECONDS in all), each right after a slice of the floor:
    its ratio is to those slices, measured under the same conditions, and alternating them
    cancels most of the drift of a shared machine's speed (which, within one run, is larger than
    the targets' margins). Every slice joins the floor's own row. `once`: each request may be
    sent once (a bulk approval of fresh logs): each slice is given its own share of them."""
    own_floors, runs = [], []
    for n in range(ROUNDS):
        own_floors.append(drive("floor", floor_spec, seconds=FLOOR_SLICE_SECONDS))
        runs.append(drive(name, spec[n::ROUNDS] if once else spec, seconds=SECONDS / ROUNDS))
    floors.extend(own_floors)
    outcome = pooled(name, runs)
    samples = [sample for run in runs for sample in run.get("error_samples", [])]
    if samples:
        outcome["error_samples"] = samples[:5]
    outcome["floor_p50_ms"] = pooled("floor", own_floors)["p50_ms"]
    say(f"{name}: p50 {outcome['p50_ms']} ms over {ROUNDS} slices, adjacent floor p50 {outcome['floor_p50_ms']} ms")
    return outcome
