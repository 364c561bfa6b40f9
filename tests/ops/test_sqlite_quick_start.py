"""The SQLite quick start never answers "database is locked" when two writes meet (a request
and an e-mail sent in-process, two requests): each transaction takes the write lock when it
begins (transaction_mode IMMEDIATE) and waits for another's (busy timeout), so none fails
upgrading a read lock. Run in a subprocess on a SQLite file with the default settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import threading, time
import django
django.setup()
from django.conf import settings
from django.db import connection, transaction

options = settings.DATABASES["default"]["OPTIONS"]
assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5, options
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
    cursor.execute("INSERT INTO counter VALUES (1, 0)")
errors, barrier = [], threading.Barrier(4, timeout=5)

def writer():
    from django.db import connection
    try:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        for _ in range(5):
            with transaction.atomic():  # read, think, write: what a request does
                with connection.cursor() as cursor:
                    cursor.execute("SELECT value FROM counter WHERE id = 1")
                    value = cursor.fetchone()[0]
                    time.sleep(0.02)
                    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=writer) for _ in range(4)]
[thread.start() for thread in threads]
[thread.join() for thread in threads]
with connection.cursor() as cursor:
    cursor.execute("SELECT value FROM counter WHERE id = 1")
    print("VALUE", cursor.fetchone()[0], "ERRORS", errors)
"""


def test_concurrent_writers_on_the_sqlite_quick_start_wait_instead_of_failing(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.dev", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")

    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    # Every increment of every writer counted: none lost to a lock, none to a lost update.
    assert result.stdout.strip() == "VALUE 20 ERRORS []", result.stdout + result.stderr
