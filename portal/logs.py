"""Logs as JSON lines, and error reports to Sentry with nothing secret in them."""

import json
import logging
import re
from datetime import UTC, datetime

from portal.requestid import RequestIdFilter, current_request_id

__all__ = ["JsonFormatter", "RequestIdFilter", "init_sentry", "scrub_event"]

# The attributes every LogRecord has: anything else was passed in `extra=` and is logged too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request_id, the `extra=`
    fields, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


# --- Sentry -----------------------------------------------------------------------------------

FILTERED = "[Filtered]"
# Keys whose values never leave the process, wherever they appear in an event (request data,
# headers, cookies, local variables, extra).
SECRET_KEYS = re.compile(
    r"ssn|password|passwd|secret|token|authorization|cookie|session|csrf|api[_-]?key|key$|signature",
    re.IGNORECASE,
)
# An SSN written anywhere in a string: a message, a query string, a traceback's value.
SSN = re.compile(r"\b\d{3}-?\d{2}-?\d{4}\b")


def _scrub(value, depth: int = 0):
    if depth > 20:
        return value
    if isinstance(value, dict):
        return {
            key: FILTERED if isinstance(key, str) and SECRET_KEYS.search(key) else _scrub(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        # Headers may come as [name, value] pairs.
        if len(value) == 2 and isinstance(value[0], str) and SECRET_KEYS.search(value[0]):
            return [value[0], FILTERED]
        return [_scrub(item, depth + 1) for item in value]
    if isinstance(value, str):
        return SSN.sub(FILTERED, value)
    return value


def scrub_event(event, hint=None):
    """Sentry's before_send: the SSN, passwords, tokens, the Authorization and X-Session-Token
    headers and every cookie are replaced with "[Filtered]" (also in breadcrumbs and local
    variables), and SSN-shaped numbers in any text."""
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: FILTERED if SECRET_KEYS.search(name) or name.lower() == "x-session-token" else value
                for name, value in headers.items()
            }
        if isinstance(request.get("data"), str):
            request["data"] = FILTERED  # a raw body may hold anything
    return _scrub(event)


def init_sentry(dsn: str, environment: str = "", traces_sample_rate: float = 0.0, **options) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=lambda crumb, hint: _scrub(crumb),
        **options,
    )
