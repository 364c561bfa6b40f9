"""Database faults for the tests, at the database: the request's own PostgreSQL session ended
by another connection (pg_terminate_backend), as an administrator's shutdown, a failover or a
dropped network would end it. Nothing is mocked: the next statement on the session fails as it
fails in production (psycopg's OperationalError)."""

import contextlib
import time

import psycopg
from django.db import connection


def _terminate(pid: int) -> None:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone() is None:
                return
            time.sleep(0.02)
    raise AssertionError(f"session {pid} did not end")


class _Killer:
    def __init__(self, should_kill):
        self.should_kill = should_kill
        self.killed: str | None = None

    def __call__(self, execute, sql, params, many, context):
        if self.killed is None and self.should_kill(sql):
            self.killed = sql
            _terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)


@contextlib.contextmanager
def terminate_own_session_before(sql_fragment: str):
    """End this thread's database session just before its first statement that contains
    `sql_fragment` runs."""
    killer = _Killer(lambda sql: sql_fragment in sql)
    with connection.execute_wrapper(killer):
        yield killer
    assert killer.killed is not None, f"no statement contained {sql_fragment!r}"


@contextlib.contextmanager
def terminate_own_session_after_commit():
    """End this thread's database session just before the first statement after a transaction
    has committed (a read after the commit, if the request makes one)."""
    state = {"in_transaction": False, "committed": False}

    def after_commit(sql: str) -> bool:
        if connection.in_atomic_block:
            state["in_transaction"] = True
        elif state["in_transaction"]:
            state["committed"] = True
        return state["committed"]

    killer = _Killer(after_commit)
    with connection.execute_wrapper(killer):
        yield killer
