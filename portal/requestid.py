"""The request id: one value per request, on every log line the request causes, in the
`X-Request-ID` response header, and in the Celery tasks it enqueues (their log lines carry it).

The id is the request's own `X-Request-ID` when that is a sane value (1-64 characters of
letters, digits, `.`, `_` and `-`: what a proxy or a client generates), else a new uuid4 hex.
"""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# The name of the Celery message header that carries it into a task.
TASK_HEADER = "request_id"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request (or of the task a request enqueued) being handled; None outside."""
    return _current.get()


def request_id_from(value: str | None) -> str:
    """`value` if it is a sane id, else a new one."""
    if value and _SANE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets `request.request_id` and the id every log record carries while the request is
    handled, and returns it in the `X-Request-ID` response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every log record (None outside a request and a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs a request's 4xx and 5xx once every middleware has returned:
            # the request, passed along with the record, still knows its id.
            request_id = _current.get() or getattr(getattr(record, "request", None), "request_id", None)
            record.request_id = request_id if isinstance(request_id, str) else None
        return True


# --- Celery: the id travels with the tasks a request enqueues ---------------------------------


def add_request_id_header(headers=None, **kwargs) -> None:
    """before_task_publish: the message carries the current request's id."""
    request_id = _current.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


_task_tokens: dict[str, object] = {}


def set_request_id_for_task(task_id=None, task=None, **kwargs) -> None:
    """task_prerun: the task's log lines carry the id of the request that enqueued it."""
    request_id = getattr(task.request, TASK_HEADER, None) if task is not None else None
    if request_id is None and task is not None:
        request_id = (getattr(task.request, "headers", None) or {}).get(TASK_HEADER)
    if not (request_id and _SANE.fullmatch(str(request_id))):
        request_id = _current.get()  # run in-process (eager): the request's own id
    token = _current.set(request_id)
    if task_id:
        _task_tokens[task_id] = token


def clear_request_id_after_task(task_id=None, **kwargs) -> None:
    """task_postrun: back to no id (a worker runs many tasks in one thread)."""
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        try:
            _current.reset(token)  # type: ignore[arg-type]
        except ValueError:  # set in another context: just clear
            _current.set(None)
    else:
        _current.set(None)


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(add_request_id_header, weak=False, dispatch_uid="portal.requestid.publish")
    task_prerun.connect(set_request_id_for_task, weak=False, dispatch_uid="portal.requestid.prerun")
    task_postrun.connect(clear_request_id_after_task, weak=False, dispatch_uid="portal.requestid.postrun")
