"""Enqueueing work from a request, safely."""

import contextlib
import logging
from contextvars import ContextVar
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)

_held = ContextVar("enqueue_held", default=False)


@contextlib.contextmanager
def hold_enqueues():
    """Enqueue nothing inside this block (loading demo data): the work stays recorded in the
    database, where the periodic sweeps find it."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def _publish(task, args):
    try:
        task.apply_async(args=args)
    except Exception:  # noqa: BLE001 - a broker that is down must never fail the request
        # The work was recorded in the database; a periodic sweep enqueues it again later.
        logger.warning(
            "Could not enqueue %s%s: the broker did not answer; the sweep will retry.", task.name, args, exc_info=True
        )


def enqueue_on_commit(task, *args) -> None:
    """Publish `task(*args)` once the current transaction commits, never if it rolls back.

    Like Celery's delay_on_commit, but a broker that is unreachable is logged rather than raised,
    so that the request that caused the work still answers (its data is committed either way).
    """
    if _held.get():
        return
    transaction.on_commit(partial(_publish, task, args))
