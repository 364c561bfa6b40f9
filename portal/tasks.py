"""Enqueueing work from a request, safely; and the portal's own periodic tasks."""

import contextlib
import logging
from contextvars import ContextVar
from functools import partial
from typing import Any

from celery import shared_task
from django.db import transaction

logger = logging.getLogger(__name__)

_held = ContextVar("enqueue_held", default=False)
# The tasks a request has enqueued, while the request is being answered (see
# PublishAfterResponseMiddleware); None outside a request.
_after_response: ContextVar[list | None] = ContextVar("after_response", default=None)


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


def publish(task, *args) -> None:
    """Publish `task(*args)` now: a broker that does not answer (or an eager task that fails) is
    logged, not raised, so that the caller goes on with the rest; the sweeps enqueue it again."""
    _publish(task, args)


def _publish_now_or_after_response(task, args):
    waiting = _after_response.get()
    if waiting is None:
        _publish(task, args)
    else:
        waiting.append((task, args))


def enqueue_on_commit(task, *args) -> None:
    """Publish `task(*args)` once the current transaction commits, never if it rolls back; in
    a request, once its response has been sent.

    Like Celery's delay_on_commit, but a broker that is unreachable is logged rather than raised,
    so that the request that caused the work still answers (its data is committed either way).
    """
    if _held.get():
        return
    transaction.on_commit(partial(_publish_now_or_after_response, task, args))


class PublishAfterResponseMiddleware:
    """The tasks a request enqueues are published when the server closes its response, after
    sending it: the client never waits on the broker, a slow one included. Nothing is lost if
    the process dies in between: the work is recorded in the database before the commit, and
    the periodic sweeps enqueue what is left."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        waiting: list[tuple[Any, tuple]] = []
        token = _after_response.set(waiting)
        try:
            response = self.get_response(request)
        finally:
            _after_response.reset(token)
        if waiting:
            close = response.close

            def close_then_publish():
                close()
                for task, args in waiting:
                    _publish(task, args)

            response.close = close_then_publish
        return response


@shared_task
def delete_expired_idempotent_requests() -> int:
    """Forget the answers kept for `Idempotency-Key` retries once they are older than
    IDEMPOTENCY_KEY_TTL (portal/idempotency.py); how many."""
    from portal import idempotency

    return idempotency.delete_expired()
