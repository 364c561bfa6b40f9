from django.urls import path
from rest_framework.routers import SimpleRouter

from .populations import PriorityPopulationViewSet
from .views import ApprenticeshipViewSet, OccupationViewSet, ProgramViewSet, RapidsExitsView, RapidsExportView

router = SimpleRouter()
router.register("occupations", OccupationViewSet, basename="occupation")
router.register("programs", ProgramViewSet, basename="program")
router.register("apprenticeships", ApprenticeshipViewSet, basename="apprenticeship")
router.register("priority-populations", PriorityPopulationViewSet, basename="priority-population")

urlpatterns = [
    path("reports/rapids-apprentices.csv", RapidsExportView.as_view(), name="rapids-export"),
    path("reports/rapids-exits.csv", RapidsExitsView.as_view(), name="rapids-exits"),
    *router.urls,
]
