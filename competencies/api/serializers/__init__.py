"""The API's serializers of the record of progress, one module per topic."""

from .hours import (
    FileErrorsSerializer,
    HourLogInputSerializer,
    HourLogSerializer,
    HourLogUpdateSerializer,
    ImportSerializer,
    ItemErrorsSerializer,
    LineErrorSerializer,
    LineErrorsSerializer,
    ReasonSerializer,
)
from .imports import (
    HourImportResultSerializer,
    HourImportSerializer,
    ImportOptionsErrorsSerializer,
    ImportOptionsSerializer,
    ImportRequestSerializer,
    SkippedRowSerializer,
)
from .milestones import MilestoneDecisionSerializer, MilestoneRejectSerializer, MilestoneSerializer
from .queue import (
    BulkDecisionSerializer,
    BulkMilestoneApproveSerializer,
    BulkRejectSerializer,
    ReviewQueueItemSerializer,
    ReviewQueuePageSerializer,
)
from .reports import (
    HOURS_BLOCK,
    HoursProgressSerializer,
    ProgressSerializer,
    SummaryFilterSerializer,
    SummarySerializer,
    WorkProcessProgressSerializer,
    WorkSummarySerializer,
)
from .reviews import (
    ApprenticeshipReviewsSerializer,
    ProgressReviewSerializer,
    ReviewAcknowledgeSerializer,
    ReviewCreateSerializer,
    ReviewUpdateSerializer,
)
from .signoffs import CompetencySignOffInputSerializer, CompetencySignOffSerializer

__all__ = [
    "ApprenticeshipReviewsSerializer",
    "ProgressReviewSerializer",
    "ReviewAcknowledgeSerializer",
    "ReviewCreateSerializer",
    "ReviewUpdateSerializer",
    "BulkDecisionSerializer",
    "BulkMilestoneApproveSerializer",
    "BulkRejectSerializer",
    "ReviewQueueItemSerializer",
    "ReviewQueuePageSerializer",
    "CompetencySignOffInputSerializer",
    "CompetencySignOffSerializer",
    "FileErrorsSerializer",
    "HOURS_BLOCK",
    "HourImportResultSerializer",
    "HourImportSerializer",
    "HourLogInputSerializer",
    "HourLogSerializer",
    "HourLogUpdateSerializer",
    "HoursProgressSerializer",
    "ImportOptionsErrorsSerializer",
    "ImportOptionsSerializer",
    "ImportRequestSerializer",
    "ImportSerializer",
    "ItemErrorsSerializer",
    "LineErrorSerializer",
    "LineErrorsSerializer",
    "MilestoneDecisionSerializer",
    "MilestoneRejectSerializer",
    "MilestoneSerializer",
    "ProgressSerializer",
    "ReasonSerializer",
    "SkippedRowSerializer",
    "SummaryFilterSerializer",
    "SummarySerializer",
    "WorkProcessProgressSerializer",
    "WorkSummarySerializer",
]
