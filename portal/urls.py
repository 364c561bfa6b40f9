from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from portal.api.views import MeView, healthz, readyz

api_v1 = [
    path("me/", MeView.as_view(), name="me"),
    path("", include("sponsors.api.urls")),
    path("", include("apprenticeships.api.urls")),
    path("", include("competencies.api.urls")),
    path("", include("notifications.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("_allauth/", include("allauth.headless.urls")),
    path("admin/", admin.site.urls),
]
