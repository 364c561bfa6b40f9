from django.urls import path
from rest_framework.routers import SimpleRouter

from .aid import AidReportView, AidRequestViewSet, FundViewSet
from .documents import DocumentViewSet
from .populations import PriorityPopulationViewSet
from .views import ApprenticeshipViewSet, OccupationViewSet, ProgramViewSet, RapidsExitsView, RapidsExportView

router = SimpleRouter()
router.register("occupations", OccupationViewSet, basename="occupation")
router.register("programs", ProgramViewSet, basename="program")
router.register("apprenticeships", ApprenticeshipViewSet, basename="apprenticeship")
router.register(
    r"apprenticeships/(?P<apprenticeship_id>[0-9a-fA-F-]{36})/documents", DocumentViewSet, basename="document"
)
router.register("funds", FundViewSet, basename="fund")
router.register("aid-requests", AidRequestViewSet, basename="aid-request")
router.register("priority-populations", PriorityPopulationViewSet, basename="priority-population")

urlpatterns = [
    path("reports/rapids-apprentices.csv", RapidsExportView.as_view(), name="rapids-export"),
    path("reports/rapids-exits.csv", RapidsExitsView.as_view(), name="rapids-exits"),
    path("reports/aid/", AidReportView.as_view(), name="report-aid"),
    *router.urls,
]
