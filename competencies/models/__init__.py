"""The apprentice's record of progress: one module per topic."""

from .credentials import InterimCredential
from .hours import COUNTING_STATUSES, HOUR_LOG_TRANSITIONS, MAX_HOURS_PER_DAY, HourKind, HourLog, HourLogStatus
from .imports import HourImport
from .milestones import CLOSED_STATUSES, Milestone, MilestoneStatus
from .reviews import ProgressReview, Rating, ReviewRating, ReviewReason, ReviewStatus
from .signoffs import CompetencySignOff
from .totals import HourTotals, WorkProcessTotal

__all__ = [
    "CLOSED_STATUSES",
    "COUNTING_STATUSES",
    "HOUR_LOG_TRANSITIONS",
    "MAX_HOURS_PER_DAY",
    "CompetencySignOff",
    "HourKind",
    "HourImport",
    "HourLog",
    "HourLogStatus",
    "HourTotals",
    "InterimCredential",
    "Milestone",
    "MilestoneStatus",
    "ProgressReview",
    "Rating",
    "ReviewRating",
    "ReviewReason",
    "ReviewStatus",
    "WorkProcessTotal",
]
