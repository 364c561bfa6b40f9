from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.tenancy import resolve_scope

from .serializers import MeSerializer


class MeView(APIView):
    """Who I am: my memberships (organization and role) and my apprenticeships."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        """Who the caller is: their name, memberships (organization and role) and apprenticeships."""
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
    """The database answers, and the broker too when one is configured."""
    checks, ready = {}, True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", and says why
        checks["database"], ready = f"unavailable: {type(exc).__name__}", False
    try:
        checks["broker"] = _broker_state()
    except Exception as exc:  # noqa: BLE001
        checks["broker"], ready = f"unavailable: {type(exc).__name__}", False
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
