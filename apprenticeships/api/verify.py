"""`GET /verify/{code}`: anyone, signed in or not, checks the code printed on a document.

The answer says whether a current document with that code exists, its kind and its issue date,
and nothing else: no name, no apprentice, no sponsor. A code that names no document, or one that
was superseded or withdrawn, answers the same 404 `{"valid": false}`, so that nothing is learnt
from a withdrawn one. Rate-limited per client address (THROTTLE_VERIFY).
"""

from django.conf import settings
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import throttling
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.throttling import CountingWindowMixin

from .. import selectors
from ..models import DocumentStatus
from .serializers.documents import VerificationSerializer


class VerifyRateThrottle(CountingWindowMixin, throttling.SimpleRateThrottle):
    """Every caller by address (signed in or not): codes are not guessed faster by signing in."""

    scope = "verify"

    def get_rate(self):
        # Read at each request (DRF's own reads its settings once): a test may change it.
        rates: dict[str, str] = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class VerifyView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyRateThrottle]

    # Not in the API's schema (outside /api/v1/, like /healthz): docs/api.md describes it.
    @extend_schema(
        exclude=True,
        auth=[],
        responses={
            200: VerificationSerializer,
            404: OpenApiResponse(
                VerificationSerializer, description='No current document has this code: {"valid": false}.'
            ),
        },
    )
    def get(self, request, code: str):
        """Whether a current document carries this verification code (with or without dashes, any case), with its kind and issue date, and nothing else. Public; rate-limited per address."""
        document = selectors.document_verified(code)
        if document is None or document.status != DocumentStatus.CURRENT:
            return Response({"valid": False}, status=404)
        return Response({"valid": True, "kind": document.kind, "issued_on": document.issued_on.isoformat()})


urlpatterns = [path("verify/<str:code>", VerifyView.as_view(), name="verify")]
