import base64
import binascii
import datetime
import re

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import JsonResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import audit
from portal.cache import check_cache
from portal.csv import lines
from portal.services import user_language_set
from portal.tenancy import resolve_scope

from .history import AuditPageSerializer
from .serializers import MeSerializer, MeUpdateSerializer, person


class MeView(APIView):
    """Who I am: my memberships (organization and role) and my apprenticeships."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        """Who the caller is: their name, language, memberships (organization and role) and apprenticeships."""
        return Response(self._me(request))

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request):
        """Change my language (`en` or `es`): the portal's answers, notifications and e-mails follow it."""
        data = MeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_language_set(user=request.user, language=data.validated_data["language"])
        translation.activate(request.user.language)
        return Response(self._me(request))

    def _me(self, request) -> dict:
        scope = resolve_scope(request)
        user = request.user
        data = {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "is_staff": user.is_staff,
            "language": user.language,
            "memberships": scope.memberships,
            "apprenticeships": sorted(scope.apprenticeship_ids, key=str),
        }
        return MeSerializer(data).data


@never_cache
@require_GET
def healthz(request):
    """The process is up. Touches nothing else, so a load balancer can call it often."""
    return JsonResponse({"status": "ok"})


def _broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "not configured (tasks run in-process)"
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _cache_degrades() -> bool:
    """The cache in use answers as an empty cache when it cannot reach its server (portal.cache
    FailOpenRedisCache), or lives in the process: with it down every request is still served."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from portal.cache import FailOpenRedisCache

    return isinstance(caches["default"], (FailOpenRedisCache, LocMemCache))


@never_cache
@require_GET
def readyz(request):
    """503 when this process cannot serve: the database does not answer, or the cache does not
    and the process cannot do without it. A cache that fails open (the Redis one) is reported
    as degraded: every request is served, rate limits go uncounted and sign-in answers 503,
    the same in every process, so taking them all out would only stop the rest. The broker and
    the outbox's backlog (READINESS_REPORTS) are reported but do not make the process unready:
    with the broker down every write still answers, and the sweep enqueues the work once it is
    back (docs/operations.md)."""
    checks: dict = {}
    ready = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", and says why
        checks["database"], ready = f"unavailable: {type(exc).__name__}", False
    try:
        checks["cache"] = check_cache()
    except Exception as exc:  # noqa: BLE001
        if _cache_degrades():
            checks["cache"] = f"unavailable: {type(exc).__name__} (degraded: rate limits not counted, sign-in 503)"
        else:
            checks["cache"], ready = f"unavailable: {type(exc).__name__}", False
    try:
        checks["broker"] = _broker_state()
    except Exception as exc:  # noqa: BLE001 - reported, not failing: the outbox carries the work
        checks["broker"] = f"unavailable: {type(exc).__name__} (work waits in the outbox)"
    for name, path in settings.READINESS_REPORTS.items():
        try:
            checks[name] = import_string(path)()
        except Exception as exc:  # noqa: BLE001 - a report never fails readiness
            checks[name] = f"unavailable: {type(exc).__name__}"
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


@never_cache
@require_GET
def metrics(request):
    """Prometheus metrics (django-prometheus), for METRICS_ALLOWED_IPS only
    (portal.middleware.MetricsAllowedAddressesMiddleware). With PROMETHEUS_MULTIPROC_DIR set (the
    gunicorn config sets it), the sum over every process of the server."""
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)


# --- GET audit/ -------------------------------------------------------------------------------

ASCII_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
AUDIT_PAGE_SIZE, AUDIT_MAX_PAGE_SIZE, AUDIT_CSV_BATCH = 50, 200, 500
AUDIT_CSV_COLUMNS = ["at", "actor_id", "actor", "record_type", "record_id", "action", "field", "old", "new", "reason"]


class InstantField(serializers.DateTimeField):
    """An ISO date-time (or a date: its first moment, in the portal's time zone), ASCII digits."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or not ASCII_DATETIME.fullmatch(value):
            self.fail("invalid", format="YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]")
        try:
            if len(value) == 10:
                day = datetime.date.fromisoformat(value)
                return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            return super().to_internal_value(value)
        except (ValueError, OverflowError):
            self.fail("invalid", format="YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]")


def _cursor(entry) -> str:
    return base64.urlsafe_b64encode(f"{entry.at.isoformat()}|{entry.id}".encode()).decode()


class AuditFilterSerializer(serializers.Serializer):
    record_type = serializers.ChoiceField(choices=audit.RECORD_TYPES, required=False)
    record_id = serializers.UUIDField(required=False)
    actor = serializers.UUIDField(required=False, help_text="The id of the user who made the change.")
    after = InstantField(required=False, help_text="Changes at or after this moment.")
    before = InstantField(required=False, help_text="Changes before this moment.")
    cursor = serializers.CharField(required=False, help_text="The `next` of the previous page.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=AUDIT_MAX_PAGE_SIZE)
    format = serializers.ChoiceField(choices=["json", "csv"], required=False, help_text="csv: the same, as a file.")

    def validate_cursor(self, value):
        try:
            at, _sep, entry_id = base64.urlsafe_b64decode(value.encode()).decode().partition("|")
            moment, number = datetime.datetime.fromisoformat(at), int(entry_id)
        except (ValueError, binascii.Error, UnicodeError) as error:
            raise serializers.ValidationError(_("Not a cursor of this list.")) from error
        if moment.tzinfo is None or not 0 < number < 2**63:
            raise serializers.ValidationError(_("Not a cursor of this list."))
        return moment, number

    def filters(self) -> Q:
        data = self.validated_data
        found = Q()
        for name, lookup in (("record_type", "record_type"), ("record_id", "record_id"), ("actor", "actor_id")):
            if name in data:
                found &= Q(**{lookup: data[name]})
        if "after" in data:
            found &= Q(at__gte=data["after"])
        if "before" in data:
            found &= Q(at__lt=data["before"])
        return found


def _audit_entries(scope, page) -> list[dict]:
    rows = audit.history_rows(page)
    return [
        {
            "at": entry.at,
            "actor": person(entry.actor),
            "record_type": entry.record_type,
            "record_id": entry.record_id,
            "action": entry.action,
            "changes": audit.entry_changes(entry, rows, personal=audit.may_read_personal(scope, entry)),
            "reason": entry.reason or None,
        }
        for entry in page
    ]


def _csv_value(value) -> object:
    return "" if value is None else value if isinstance(value, str) else str(value)


class AuditView(APIView):
    """Every change of the caller's sponsor's records (RAPS admins), or of their employer's share
    (employer admins), newest first; `?format=csv` streams the same as a file."""

    def perform_content_negotiation(self, request, force=False):
        # ?format=csv is this view's own (a file); errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[AuditFilterSerializer],
        responses={(200, "application/json"): AuditPageSerializer, (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        scope = resolve_scope(request)
        audit.check_may_read_audit(scope)  # before the filters are read
        given = {name: value for name, value in request.query_params.items() if value != ""}
        query = AuditFilterSerializer(data=given)
        query.is_valid(raise_exception=True)
        filters = query.filters()
        if query.validated_data.get("format") == "csv":
            return self._csv(scope, filters)
        size = query.validated_data.get("page_size", AUDIT_PAGE_SIZE)
        page = audit.audit_page(scope=scope, filters=filters, after_key=query.validated_data.get("cursor"), size=size)
        next_url = None
        if len(page) > size:
            page = page[:size]
            params = request.query_params.copy()
            params["cursor"] = _cursor(page[-1])
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        return Response(AuditPageSerializer({"next": next_url, "results": _audit_entries(scope, page)}).data)

    def _csv(self, scope, filters: Q) -> StreamingHttpResponse:
        def rows():
            yield AUDIT_CSV_COLUMNS
            after_key = None
            while True:
                page = audit.audit_page(scope=scope, filters=filters, after_key=after_key, size=AUDIT_CSV_BATCH)
                batch = page[:AUDIT_CSV_BATCH]
                for entry in _audit_entries(scope, batch):
                    actor = entry["actor"] or {}
                    head = [
                        entry["at"].isoformat(),
                        actor.get("id", ""),
                        actor.get("name", ""),
                        entry["record_type"],
                        str(entry["record_id"]),
                        entry["action"],
                    ]
                    for change in entry["changes"] or [{"field": None, "old": None, "new": None}]:
                        yield [
                            *head,
                            *(_csv_value(change[key]) for key in ("field", "old", "new")),
                            _csv_value(entry["reason"]),
                        ]
                if len(page) <= AUDIT_CSV_BATCH:
                    return
                after_key = (batch[-1].at, batch[-1].id)

        response = StreamingHttpResponse(lines(rows()), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y-%m-%d}.csv"'
        return response
