from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.cache import check_cache
from portal.tenancy import resolve_scope

from .serializers import MeSerializer


class MeView(APIView):
    """Who I am: my memberships (organization and role) and my apprenticeships."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        scope = resolve_scope(request)
        user = request.user
        data = {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "is_staff": user.is_staff,
            "memberships": scope.memberships,
            "apprenticeships": sorted(scope.apprenticeship_ids, key=str),
        }
        return Response(MeSerializer(data).data)


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


@never_cache
@require_GET
def readyz(request):
    """The database and the cache answer: 503 if either does not. The broker is reported but
    does not make the process unready: with it down every write still answers, and the
    outbox's sweep enqueues the work once it is back."""
    checks, ready = {}, True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", and says why
        checks["database"], ready = f"unavailable: {type(exc).__name__}", False
    try:
        checks["cache"] = check_cache()
    except Exception as exc:  # noqa: BLE001
        checks["cache"], ready = f"unavailable: {type(exc).__name__}", False
    try:
        checks["broker"] = _broker_state()
    except Exception as exc:  # noqa: BLE001 - reported, not failing: the outbox carries the work
        checks["broker"] = f"unavailable: {type(exc).__name__} (work waits in the outbox)"
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


@never_cache
@require_GET
def metrics(request):
    """Prometheus metrics (django-prometheus), for METRICS_ALLOWED_IPS only
    (portal.middleware.MetricsAllowedAddressesMiddleware). With PROMETHEUS_MULTIPROC_DIR set (the
    gunicorn config sets it), the sum over every process of the server."""
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
