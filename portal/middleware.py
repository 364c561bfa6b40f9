"""What every request goes through before a view sees it, and every response on its way out."""

import ipaddress
import json
from functools import cache
from http import HTTPStatus
from itertools import accumulate

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.api.errors import (
    API_PATH_PREFIXES,
    DATABASE_UNAVAILABLE_ERRORS,
    api_error,
    database_unavailable,
    request_id_of,
)

# The methods some view of the portal answers. Anything else (TRACE, CONNECT, made-up verbs)
# is refused here, the same way everywhere, rather than by whichever view the path reaches.
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")

# Far deeper than any request of the API nests (a bulk of hour logs is three levels), far
# shallower than the parsers' recursion limit.
JSON_MAX_DEPTH = 32

# Form bodies are parsed flat by Django; every other body may reach a JSON parser: DRF's for
# application/json, and allauth's headless views parse `request.body` whatever its type.
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Keeps only the brackets, each as the step it makes in depth (a signed byte: +1 or -1).
_AS_STEPS = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))


def json_too_deep(body: bytes, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether `body` nests arrays and objects more than `limit` deep. Malformed JSON is the
    parser's to refuse; this only keeps a parser from recursing without end.

    It runs on every JSON request, so in C (bytes methods, accumulate, max), never a Python
    loop over the body: a whole DATA_UPLOAD_MAX_MEMORY_SIZE of brackets takes a tenth of a
    second, an ordinary request microseconds.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # almost every request
    # Outside the strings: drop the escapes (so that no escaped quote is left), then every
    # other piece between quotes.
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside_strings = b"".join(unescaped.split(b'"')[0::2])
    steps = memoryview(outside_strings.translate(_AS_STEPS, delete=_NOT_BRACKETS)).cast("b")
    return max(accumulate(steps), default=0) > limit


def allauth_input_error(message: str) -> JsonResponse:
    """A 400 in the shape of allauth's headless input errors, with the portal's beside it."""
    return JsonResponse(
        {"status": 400, "errors": [{"code": "invalid", "message": message}], "non_field_errors": [message]}, status=400
    )


class RequestGuardMiddleware:
    """Refuses, before any view or parser runs, what would otherwise end in a 500 or an HTML
    page: an unknown method (405), a body over DATA_UPLOAD_MAX_MEMORY_SIZE (413), JSON nested
    deep enough to exhaust a parser's recursion (400) and, for allauth, a body that is not a JSON
    object (400). And every 429 says when to come back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            return self._method_not_allowed(request)
        if request.META.get("CONTENT_LENGTH") not in (None, "", "0") and not request.content_type.lower().startswith(
            _FORM_TYPES
        ):
            try:
                body = request.body
            except RequestDataTooBig:
                return api_error(413, detail=_("The request body is too large."))
            if json_too_deep(body):
                return api_error(
                    400,
                    non_field_errors=[_("JSON may not nest more than %(max)s levels deep.") % {"max": JSON_MAX_DEPTH}],
                )
        response = self.get_response(request)
        if response.status_code == 429 and "Retry-After" not in response:
            # allauth's own 429s (sign-ups, resets, logins per address) say nothing; its limits
            # count per minute. Failed logins and DRF's throttles say exactly.
            response["Retry-After"] = "60"
        return in_one_error_shape(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # allauth's headless views parse any body but a GET's as JSON, whatever its content
        # type, and refuse one that is not an object with an empty HTML 400. Refused here
        # instead, as allauth's own input errors read.
        view_class = getattr(view_func, "view_class", None)
        if request.method == "GET" or not getattr(view_class, "handle_json_input", False):
            return None
        try:
            body = request.body
        except RequestDataTooBig:
            return api_error(413, detail=_("The request body is too large."))
        if not body:
            return None
        if json_too_deep(body):
            return allauth_input_error(_("JSON may not nest more than %(max)s levels deep.") % {"max": JSON_MAX_DEPTH})
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return allauth_input_error(_("The body is not valid JSON."))
        if not isinstance(data, dict):
            return allauth_input_error(_("The body must be a JSON object."))
        return None

    def process_exception(self, request, exception):
        # A view that lost its database connection (DRF's views answer it themselves, with the
        # same 503): never a 500.
        if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return database_unavailable(request, exception)
        return None

    def _method_not_allowed(self, request):
        message = _('Method "%(method)s" not allowed.') % {"method": request.method}
        response: HttpResponse
        if request.path_info.startswith(API_PATH_PREFIXES):
            response = JsonResponse({"detail": message}, status=405)
        else:
            response = HttpResponse(message, status=405, content_type="text/plain; charset=utf-8")
        response["Allow"] = ", ".join(ALLOWED_METHODS)
        return response


# The keys of allauth's own answers: never taken for a field's name.
_ALLAUTH_KEYS = frozenset({"status", "errors", "meta", "data"})
# The portal's words where an answer gives none (DRF's, for the statuses DRF answers).
_DEFAULT_DETAIL = {
    401: gettext_lazy("Authentication credentials were not provided."),
    403: gettext_lazy("You do not have permission to perform this action."),
    404: gettext_lazy("Not found."),
    409: gettext_lazy("The record's state forbids this action."),
    410: gettext_lazy("The session has expired."),
    413: gettext_lazy("The request is too large."),
    429: gettext_lazy("Request was throttled."),
    500: gettext_lazy("Server error."),
    503: gettext_lazy("The service is unavailable for a moment; try again."),
}


_NOT_JSON = object()


def _json_body(response):
    """The response's JSON, or _NOT_JSON (a page, plain text, nothing)."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return _NOT_JSON
    try:
        return json.loads(response.content)
    except ValueError:
        return _NOT_JSON


def _has_portal_keys(body: dict, status: int, *, allauth: bool) -> bool:
    if status == 400:
        # Under /api/ a field may be called `status`; under /_allauth/ that is allauth's key.
        return any(key not in _ALLAUTH_KEYS for key in body) if allauth else bool(body)
    return isinstance(body.get("detail"), str)


def _phrase(status: int) -> str:
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return "Error."


def _portal_keys(body: dict, status: int) -> dict:
    """The portal's keys for an answer that has only allauth's: `{param: [message]}` (or
    `non_field_errors`) for a 400, `detail` for any other status."""
    errors = [error for error in body.get("errors") or [] if isinstance(error, dict) and error.get("message")]
    if status != 400:
        default = _DEFAULT_DETAIL.get(status) or _phrase(status)
        return {"detail": " ".join(str(error["message"]) for error in errors) or default}
    by_field: dict[str, list[str]] = {}
    for error in errors:
        param = error.get("param")
        key = (
            param
            if isinstance(param, str) and param and param not in _ALLAUTH_KEYS | {"detail"}
            else "non_field_errors"
        )
        by_field.setdefault(key, []).append(str(error["message"]))
    return by_field or {"non_field_errors": [_("Bad request.")]}


def _messages(field_errors: dict) -> list[str]:
    return [str(m) for ms in field_errors.values() for m in (ms if isinstance(ms, list) else [ms])]


def in_one_error_shape(request, response):
    """Every error under the API's paths in the portal's shape (docs/api.md, "Errors"), JSON
    whatever answered it: `detail`, or for a 400 the messages by field. allauth's answers keep
    their own keys (`status`, `errors`, and `data`, `meta` with the flows of a 401, which its
    clients read) and get the portal's beside them; an allauth answer that was not JSON (a
    CSRF refusal's page) gets allauth's keys too."""
    status = response.status_code
    if status < 400 or getattr(response, "streaming", False) or not request.path_info.startswith(API_PATH_PREFIXES):
        return response
    body = _json_body(response)
    if body is not _NOT_JSON and not isinstance(body, dict):
        return response  # a list's errors, one entry per item sent: the portal's shape for a list
    shaped = dict(body) if isinstance(body, dict) else {}
    allauth = request.path_info.startswith("/_allauth/")
    if not _has_portal_keys(shaped, status, allauth=allauth):
        shaped.update(_portal_keys(shaped, status))
    if status == 500 and "request_id" not in shaped:
        # A 500 not answered by the portal's handler (DEBUG's page): the id, not the trace.
        shaped["request_id"] = request_id_of(request)
    if allauth and "status" not in shaped:
        messages = [shaped["detail"]] if status != 400 else _messages(shaped)
        shaped = {"status": status, "errors": [{"message": m, "code": "error"} for m in messages], **shaped}
    if shaped == body:
        return response
    response.content = json.dumps(shaped, cls=DjangoJSONEncoder).encode()
    response["Content-Type"] = "application/json"
    if "Content-Length" in response:
        response["Content-Length"] = str(len(response.content))
    return response


@cache
def _networks(allowed: tuple[str, ...]):
    return tuple(ipaddress.ip_network(address.strip(), strict=False) for address in allowed if address.strip())


def client_address(request) -> str:
    """The client's address as allauth's rate limits count it: REMOTE_ADDR, or, behind
    TRUSTED_PROXY_COUNT proxies, the address the nearest of them saw (X-Forwarded-For)."""
    from allauth.account.adapter import get_adapter

    return get_adapter(request).get_client_ip(request)


class AdminAllowedAddressesMiddleware:
    """With ADMIN_ALLOWED_IPS set, the Django admin exists only for those addresses: any other
    gets a 404, as for a page that is not there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = settings.ADMIN_ALLOWED_IPS
        if allowed and request.path_info.startswith("/" + settings.ADMIN_URL):
            refuse_unless_allowed(request, allowed)
        return self.get_response(request)


def refuse_unless_allowed(request, allowed) -> None:
    """A 404 unless the client's address is in one of the `allowed` networks."""
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        raise Http404 from None
    if not any(address in network for network in _networks(tuple(allowed))):
        raise Http404


class MetricsAllowedAddressesMiddleware:
    """/metrics exists only for the addresses of METRICS_ALLOWED_IPS (default 127.0.0.1/32):
    any other gets a 404. An empty list: nobody."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == "/metrics":
            refuse_unless_allowed(request, settings.METRICS_ALLOWED_IPS or ["255.255.255.255/32"])
        return self.get_response(request)


# The pages the portal serves (Swagger UI, the admin) load their scripts and styles from its
# own static files. Styles may be inline: Swagger UI's page carries a <style> block and the
# admin some style attributes; scripts never are (the docs use the split view, whose init
# script is a URL of its own).
HTML_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# JSON, CSV and the rest are data: nothing in them may load or run anything, nor be framed.
DATA_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy on every response (SecurityMiddleware sends nosniff, the referrer
    policy and XFrameOptionsMiddleware X-Frame-Options)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            is_html = response.get("Content-Type", "").startswith("text/html")
            response["Content-Security-Policy"] = (
                HTML_CONTENT_SECURITY_POLICY if is_html else DATA_CONTENT_SECURITY_POLICY
            )
        return response
