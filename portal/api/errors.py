"""One exception handler for the whole API, so every error looks as docs/api.md says.

400 `{"field": ["message"]}` (or `non_field_errors`), 401, 403, 404, 409, 413, 429
`{"detail": ...}`, 500 `{"detail": ..., "request_id": ...}`. Nothing a client sends may end in a 500.
"""

import logging
import sys
import uuid

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, connections
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from portal.errors import Conflict, Forbidden, StructuredValidationError, TooLarge

logger = logging.getLogger(__name__)

# Where clients expect JSON, errors Django itself answers (404, 500...) included.
API_PATH_PREFIXES = ("/api/", "/_allauth/", "/healthz", "/readyz")


def api_error(status_code: int, **body) -> JsonResponse:
    """An error in the API's shape: `detail=` or `field=[...]`."""
    return JsonResponse(body, status=status_code)


def _wants_json(request) -> bool:
    return request.path_info.startswith(API_PATH_PREFIXES)


# Django's error views (portal/urls.py names them): JSON for the API, Django's pages elsewhere.
def bad_request(request, exception):
    if _wants_json(request):
        return api_error(400, non_field_errors=[_("Bad request.")])
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _wants_json(request):
        return api_error(403, detail=_("You do not have permission to perform this action."))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _wants_json(request):
        return api_error(404, detail=_("Not found."))
    return defaults.page_not_found(request, exception)


def request_id_of(request) -> str:
    """The request's id (the request-id middleware sets it), or a new one when none is set."""
    request_id = getattr(request, "request_id", None)
    if not request_id:
        request_id = uuid.uuid4().hex
        request.request_id = request_id
    return request_id


# How long a client waits before retrying a request the database could not serve.
DATABASE_RETRY_AFTER = 2
DATABASE_UNAVAILABLE = gettext_lazy(
    "The database is unavailable for a moment; try again (with the same Idempotency-Key, a write is done once)."
)
# What a lost, closed or refused connection raises (psycopg's OperationalError and
# InterfaceError, as Django wraps them); and a statement cancelled or a lock not granted in time.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def drop_lost_connections() -> None:
    """Close every connection that no longer answers (outside a transaction; a transaction's own
    rollback closes it), so that the next query of this process connects afresh."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.in_atomic_block and not connection.is_usable():
            connection.close()


def database_unavailable(request, exception: BaseException) -> JsonResponse | HttpResponse:
    """The 503 of a request the database could not serve: the one error shape and `Retry-After`,
    never a 500. Whatever the request wrote in an open transaction was rolled back."""
    logger.warning(
        "Database unavailable on %s %s (request id %s): %s",
        request.method,
        request.path,
        request_id_of(request),
        exception,
    )
    drop_lost_connections()
    response: JsonResponse | HttpResponse
    if _wants_json(request):
        response = api_error(503, detail=DATABASE_UNAVAILABLE)
    else:
        response = HttpResponse(str(DATABASE_UNAVAILABLE), status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def server_error(request):
    """Django's 500 (an exception no view handled): the request id, never a stack trace, so that
    a client's report can be matched to the logged error. A lost database connection (in a
    middleware, before or after a view) is a 503 instead."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable(request, exception)
    request_id = request_id_of(request)
    logger.error("Server error on %s %s (request id %s)", request.method, request.path, request_id)
    if _wants_json(request):
        return api_error(500, detail=_("Server error."), request_id=request_id)
    return defaults.server_error(request)


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The record's state forbids this action.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request is too large.")
    default_code = "too_large"


def exception_handler(exc, context):
    if isinstance(exc, DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable(context["request"], exc)
    if isinstance(exc, StructuredValidationError):
        # Answered as written: DRF's ValidationError would turn its numbers into strings.
        set_rollback()
        return Response(exc.detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        detail = as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Conflict):
        exc = ConflictError(detail=exc.message)
    elif isinstance(exc, Forbidden):
        exc = exceptions.PermissionDenied(detail=exc.message)
    elif isinstance(exc, TooLarge):
        exc = PayloadTooLarge(detail=exc.message)
    elif isinstance(exc, RequestDataTooBig):
        # A form body over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestGuardMiddleware answers for others).
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        # A record outside the caller's scope or unknown: "Not found." in the reader's language,
        # not Django's English sentence that names the model.
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.ParseError):
        return Response({"non_field_errors": [str(exc.detail)]}, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, IntegrityError):
        # The database refused what a rule refuses, after the service's own checks let it
        # through (two requests racing). The client's request conflicts with the records.
        logger.warning("Integrity error answered as 409: %s", exc)
        exc = ConflictError(detail=_("This conflicts with a record that already exists or changed meanwhile."))
    return drf_exception_handler(exc, context)
