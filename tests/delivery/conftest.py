"""Real Celery workers consuming from the real Redis broker, against the test database.

The tests here commit for real (transactional_db): a worker is another process and sees only
what is committed.
"""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connection

from portal.celery import app

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of its own, emptied before each test, so no stale message reaches a worker.
BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens there: a broker that is down


@contextmanager
def broker(url: str):
    """Make this process publish to `url` (not eagerly) for the duration."""
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = url, False
    forget_connections()
    try:
        yield
    finally:
        forget_connections()
        app.conf.broker_url, app.conf.task_always_eager = saved


def forget_connections():
    """The app caches its connection and producer pools for the broker URL it first used."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def empty_broker():
    client = redis.Redis.from_url(BROKER_URL)
    client.flushdb()
    yield BROKER_URL
    client.flushdb()


@pytest.fixture
def start_worker(django_db_serialized_rollback, transactional_db, empty_broker, tmp_path):
    """Start real `celery worker` processes on the test database; e-mail goes to files in
    `tmp_path / "mail"`. Returns (start, mail_dir)."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    )
    env = {
        **{
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "EMAIL_"))
        },
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": empty_broker,
        "EMAIL_URL": f"filemail://{mail_dir}",
    }
    processes = []

    def start(name: str, concurrency: int = 1, email_url: str | None = None):
        """A worker named `name`; its e-mail to `email_url` if given (an SMTP server), else to files."""
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--hostname",
                f"{name}@%h",
                "--concurrency",
                str(concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env={**env, "EMAIL_URL": email_url} if email_url else env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append((process, log))
        wait_for(lambda: "ready" in (tmp_path / f"{name}.log").read_text(), timeout=60, what=f"worker {name} to start")
        return process

    yield start, mail_dir
    for process, log in processes:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    # The workers held connections to the test database; it is dropped after the session.


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what} after {timeout} s")


def mails_in(mail_dir: Path) -> list[str]:
    """Every message the workers wrote. Django's file backend writes one file per connection and
    names it by the time and the backend object's id: two sends in the same microsecond by a
    backend at a reused address share a file, so each file is split into its messages."""
    separator = "\n" + "-" * 79 + "\n"
    return [
        message
        for path in sorted(mail_dir.glob("*.log"))
        for message in path.read_text().split(separator)
        if message.strip()
    ]
