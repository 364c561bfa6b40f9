"""`Idempotency-Key`: a POST under /api/v1/ retried after a lost answer writes once.

A client may send `Idempotency-Key: <1 to 255 characters>` with any POST of the API. The tenancy
base (portal/tenancy.py) runs such a request in one transaction:

1. after authentication, the key is claimed: a PostgreSQL advisory lock of the transaction,
   taken without waiting, on (caller, key). Held by another transaction (the first copy of the
   request is still running): 409 with `Retry-After`, nothing done.
2. the first answer stored for (caller, key) within IDEMPOTENCY_KEY_TTL, if any, is answered
   again (status, body, the headers it depends on, and `Idempotent-Replayed: true`) when the
   method, path and body are the same, and nothing is written; with another method, path or
   body it is a 422 naming the header.
3. otherwise the view does its work, and its answer is stored in the same transaction, so the
   answer is recorded exactly when the work is committed: a crash, a lost connection or a 5xx
   rolls back the work and the claim together, and a retry may do the work again.

2xx and 4xx answers are stored (a retry gets the same refusal), except 409 and 429: those say
"not now" and a retry may succeed. 5xx are never stored. Rows older than the TTL are ignored and
deleted by the periodic task `portal.tasks.delete_expired_idempotent_requests`.

Without PostgreSQL (the SQLite quick start) there is no advisory lock: SQLite runs one write
transaction at a time (transaction_mode IMMEDIATE), and the unique (user, key) constraint is the
guard.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.request import Request

from portal.models import IdempotentRequest, User

HEADER = "Idempotency-Key"
META_KEY = "HTTP_IDEMPOTENCY_KEY"
KEY_MAX_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"
# The headers of an answer a replay sends again (the rest are the server's of the moment).
STORED_HEADERS = ("Content-Type", "Location", "Content-Disposition")
# How long a client waits before retrying a request whose first copy is still running.
IN_PROGRESS_RETRY_AFTER = 1
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def key_ttl() -> timedelta:
    return getattr(settings, "IDEMPOTENCY_KEY_TTL", timedelta(hours=24))


class InProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = format_lazy(
        gettext_lazy("A request with this {header} is still being processed; retry when it is done to get its answer."),
        header=HEADER,
    )
    default_code = "idempotency_in_progress"
    wait = IN_PROGRESS_RETRY_AFTER  # DRF answers it as Retry-After


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


class Replayed(Exception):
    """The first answer to this request, answered again (the tenancy base's handle_exception)."""

    def __init__(self, response: HttpResponse):
        super().__init__("replayed")
        self.response = response


@dataclass(frozen=True)
class Claim:
    user: User
    key: str
    method: str
    path: str
    body_sha256: str


def applies(request: HttpRequest) -> bool:
    """Whether the request asks for idempotency: a POST with the header."""
    return request.method == "POST" and META_KEY in request.META


def read_body(request: HttpRequest) -> None:
    """Read a raw body whole before the parsers stream it (they then read the copy), so that its
    bytes can be fingerprinted after authentication. A form is fingerprinted by its fields."""
    if not (request.content_type or "").lower().startswith(_FORM_TYPES):
        request.body  # noqa: B018 - read for its side effect: Django keeps the bytes


def lock_id(user_id: object, key: str) -> int:
    """The advisory lock of (caller, key): a signed 64-bit number."""
    digest = hashlib.sha256(f"idempotency:{user_id}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _key_of(request: Request) -> str:
    key = request.META[META_KEY].strip()
    if not 1 <= len(key) <= KEY_MAX_LENGTH:
        raise exceptions.ValidationError({HEADER: [_("Send 1 to %(max)s characters.") % {"max": KEY_MAX_LENGTH}]})
    return key


def body_sha256(request: Request) -> str:
    """The body's fingerprint. A JSON (or any raw) body by its bytes; a form by its fields and its
    files' names and contents, whatever boundary the client chose."""
    digest = hashlib.sha256()
    if not request.content_type.lower().startswith(_FORM_TYPES):
        digest.update(request._request.body)
        return digest.hexdigest()
    for name in sorted(request.POST):
        for value in request.POST.getlist(name):
            digest.update(f"field\x00{name}\x00{value}\x00".encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"file\x00{name}\x00{upload.name}\x00".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _replay(stored: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(stored.body), status=stored.status)
    for name, value in stored.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def claim(request: Request) -> Claim | None:
    """Claim the request's key for the caller (inside the request's transaction), or raise:
    InProgress (409), KeyReused (422), Replayed (the first answer). None for a caller not signed
    in (there is no one to keep the key for)."""
    user = request.user
    if not user.is_authenticated:
        return None
    key = _key_of(request)
    mine = Claim(
        user=user,
        key=key,
        method=request.method or "POST",
        path=request.get_full_path()[:2000],
        body_sha256=body_sha256(request),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_id(user.pk, key)])
            (locked,) = cursor.fetchone()
        if not locked:
            raise InProgress()
    stored = IdempotentRequest.objects.filter(user=user, key=key).first()
    if stored is not None and stored.created_at <= timezone.now() - key_ttl():
        stored.delete()  # expired, not yet swept
        stored = None
    if stored is None:
        return mine
    if (stored.method, stored.path, stored.body_sha256) != (mine.method, mine.path, mine.body_sha256):
        message = _(
            "This %(header)s was sent with another request (%(method)s %(path)s, or another body) "
            "less than %(ttl)s ago: send a new key for a new request."
        ) % {"header": HEADER, "method": stored.method, "path": stored.path, "ttl": key_ttl()}
        raise KeyReused(detail={"detail": message, HEADER: [message]})
    raise Replayed(_replay(stored))


def storable(status_code: int) -> bool:
    """Whether an answer is kept for replay: success and a client's error, not a conflict or a
    throttle (a retry may succeed) nor a server's fault."""
    return 200 <= status_code < 300 or (400 <= status_code < 500 and status_code not in (409, 429))


def record(claimed: Claim, response: HttpResponse) -> None:
    """Store the answer to a claimed request, in its transaction; a 5xx rolls the work back."""
    if response.status_code >= 500:
        transaction.set_rollback(True)
        return
    if not storable(response.status_code) or getattr(response, "streaming", False):
        return
    render = getattr(response, "render", None)
    if callable(render):
        render()
    IdempotentRequest.objects.create(
        user=claimed.user,
        key=claimed.key,
        method=claimed.method,
        path=claimed.path,
        body_sha256=claimed.body_sha256,
        status=response.status_code,
        headers={name: response[name] for name in STORED_HEADERS if name in response},
        body=response.content,
    )


def delete_expired() -> int:
    """Delete the answers older than the TTL; how many."""
    deleted, _ = IdempotentRequest.objects.filter(created_at__lte=timezone.now() - key_ttl()).delete()
    return deleted
