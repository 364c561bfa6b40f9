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
from .milestones import MilestoneDecisionSerializer, MilestoneRejectSerializer, MilestoneSerializer
from .reports import (
    HOURS_BLOCK,
    HoursProgressSerializer,
    ProgressSerializer,
    SummaryFilterSerializer,
    SummarySerializer,
    WorkProcessProgressSerializer,
    WorkSummarySerializer,
)
from .signoffs import CompetencySignOffInputSerializer, CompetencySignOffSerializer

__all__ = [
    "CompetencySignOffInputSerializer",
    "CompetencySignOffSerializer",
    "FileErrorsSerializer",
    "HOURS_BLOCK",
    "HourLogInputSerializer",
    "HourLogSerializer",
    "HourLogUpdateSerializer",
    "HoursProgressSerializer",
    "ImportSerializer",
    "ItemErrorsSerializer",
    "LineErrorSerializer",
    "LineErrorsSerializer",
    "MilestoneDecisionSerializer",
    "MilestoneRejectSerializer",
    "MilestoneSerializer",
    "ProgressSerializer",
    "ReasonSerializer",
    "SummaryFilterSerializer",
    "SummarySerializer",
    "WorkProcessProgressSerializer",
    "WorkSummarySerializer",
]
