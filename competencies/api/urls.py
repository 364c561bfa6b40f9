from django.urls import path
from rest_framework.routers import SimpleRouter

from .equity import EquityReportView
from .packet import CompletionPacketView, InterimCredentialsView
from .queue import ReviewQueueView
from .reports import ApprenticeshipProgressChartView, ApprenticeshipProgressView, SummaryReportView, WorkSummaryView
from .reviews import ApprenticeshipReviewsView, ProgressReviewViewSet
from .signoffs import CompetencySignOffViewSet
from .views import (
    HourImportViewSet,
    HourLogViewSet,
    MilestoneViewSet,
)

router = SimpleRouter()
router.register("hour-logs", HourLogViewSet, basename="hour-log")
router.register("hour-imports", HourImportViewSet, basename="hour-import")
router.register("competency-signoffs", CompetencySignOffViewSet, basename="competency-signoff")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("reviews", ProgressReviewViewSet, basename="progress-review")

urlpatterns = [
    path("review-queue/", ReviewQueueView.as_view(), name="review-queue"),
    path("reports/summary/", SummaryReportView.as_view(), name="report-summary"),
    path("reports/equity/", EquityReportView.as_view(), name="report-equity"),
    path("reports/work-summary/", WorkSummaryView.as_view(), name="report-work-summary"),
    path("apprenticeships/<uuid:pk>/progress/", ApprenticeshipProgressView.as_view(), name="apprenticeship-progress"),
    path(
        "apprenticeships/<uuid:pk>/progress.svg", ApprenticeshipProgressChartView.as_view(), name="apprenticeship-chart"
    ),
    path("apprenticeships/<uuid:pk>/completion-packet/", CompletionPacketView.as_view(), name="apprenticeship-packet"),
    path("apprenticeships/<uuid:pk>/credentials/", InterimCredentialsView.as_view(), name="apprenticeship-credentials"),
    path("apprenticeships/<uuid:pk>/reviews/", ApprenticeshipReviewsView.as_view(), name="apprenticeship-reviews"),
    *router.urls,
]
