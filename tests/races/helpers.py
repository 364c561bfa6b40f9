"""Requests sent at the same moment: each in its own thread (its own database connection),
released together by a barrier; the races of tests/races, tests/retries and
tests/hour_logs/test_concurrency.py. Tests using it commit for real
(`pytest.mark.django_db(transaction=True)`). Those that run after the suite's transactional tests
that flush without `serialized_rollback` (tests/migrations, tests/notifications) do not use it
either: restoring the serialized rows after them would collide with the content types the flush
re-creates."""

import threading

from django.db import connection


def at_once(*calls):
    """Run each call in its own thread, released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls), timeout=10)
    outcomes: list = [None] * len(calls)

    def run(position, call):
        try:
            barrier.wait()
            outcomes[position] = call()
        except Exception as error:  # noqa: BLE001 - the outcome under test
            outcomes[position] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(position, call)) for position, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a lock never released?)"
    return outcomes


def statuses(responses) -> list[int]:
    """The status codes, sorted; a thread that raised shows as its exception (the test fails)."""
    return sorted(getattr(response, "status_code", repr(response)) for response in responses)
