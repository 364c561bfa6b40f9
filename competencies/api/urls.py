from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ApprenticeshipProgressView, CompetencySignOffViewSet, HourLogViewSet

router = SimpleRouter()
router.register("hour-logs", HourLogViewSet, basename="hour-log")
router.register("competency-signoffs", CompetencySignOffViewSet, basename="competency-signoff")

urlpatterns = [
    path("apprenticeships/<uuid:pk>/progress/", ApprenticeshipProgressView.as_view(), name="apprenticeship-progress"),
    *router.urls,
]
