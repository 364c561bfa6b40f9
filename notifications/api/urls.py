from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import NotificationPreferencesView, NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("notification-preferences/", NotificationPreferencesView.as_view(), name="notification-preferences"),
    *router.urls,
]
