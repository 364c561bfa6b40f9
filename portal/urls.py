from allauth.headless import urls as headless_urls
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.admin import throttled_admin_login
from portal.api.views import AuditView, MeView, healthz, metrics, readyz

# allauth headless routes some flows whatever the settings say: phone numbers, codes (the portal
# verifies addresses by link and signs in by password), reauthentication (which the portal
# does not ask for), and refresh tokens (the app client's session token never expires into
# one). Unrouted, they answer 404 and drop out of the schema, which lists only the paths that
# resolve.
UNSUPPORTED_ALLAUTH_VIEWS = {
    "manage_phone",
    "verify_phone",
    "resend_phone_verification_code",
    "resend_email_verification_code",
    "confirm_login_code",
    "request_login_code",
    "resend_login_code",
    "reauthenticate",
    "refresh",
}


def without_views(patterns: list[URLPattern | URLResolver], names: set[str]) -> list[URLPattern | URLResolver]:
    kept: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            pattern = URLResolver(
                pattern.pattern,
                without_views(pattern.url_patterns, names),
                pattern.default_kwargs,
                pattern.app_name,
                pattern.namespace,
            )
        elif isinstance(pattern, URLPattern) and pattern.name in names:
            continue
        kept.append(pattern)
    return kept


api_v1: list[URLPattern | URLResolver] = [
    path("me/", MeView.as_view(), name="me"),
    path("audit/", AuditView.as_view(), name="audit"),
    path("", include("sponsors.api.urls")),
    path("", include("apprenticeships.api.urls")),
    path("", include("competencies.api.urls")),
    path("", include("notifications.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    # Public: the code printed on a document (apprenticeships/api/verify.py).
    path("", include("apprenticeships.api.verify")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its init script from a URL: the page needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("_allauth/", include((without_views(headless_urls.urlpatterns, UNSUPPORTED_ALLAUTH_VIEWS), "headless"))),
    path(f"{settings.ADMIN_URL}login/", throttled_admin_login),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "portal.api.errors.bad_request"
handler403 = "portal.api.errors.permission_denied"
handler404 = "portal.api.errors.page_not_found"
handler500 = "portal.api.errors.server_error"
