"""Reads of hours, sign-offs, progress and the review queue, scoped like the apprenticeships they
belong to: `hours` (lists, milestones, imports), `progress` (hours blocks, pace, the roster, the
chart) and `queue` (what waits for a decision). Every read is importable from here."""

from .hours import (
    apprenticeships_named,
    competency_signoff_list,
    copy_keyed_scope_filter,
    hour_import_list,
    hour_import_of,
    hour_log_count,
    hour_log_list,
    milestone_list,
    recorded_logs,
)
from .progress import (
    CENT,
    PACE_WEEKS,
    ZERO,
    PaceWindow,
    apprenticeship_progress,
    hours_and_pace,
    pace_of_open_apprenticeships,
    progress_apprenticeships,
    progress_chart,
    roster_apprenticeships,
    roster_progress,
)
from .queue import (
    HOUR_LOG_ITEM,
    MILESTONE_ITEM,
    decidable_milestones,
    review_queue,
    review_queue_items,
    reviewable_hour_logs,
)

__all__ = [
    "hour_log_list",
    "hour_log_count",
    "competency_signoff_list",
    "copy_keyed_scope_filter",
    "milestone_list",
    "hour_import_list",
    "hour_import_of",
    "apprenticeships_named",
    "recorded_logs",
    "PACE_WEEKS",
    "ZERO",
    "CENT",
    "progress_apprenticeships",
    "PaceWindow",
    "hours_and_pace",
    "roster_apprenticeships",
    "roster_progress",
    "apprenticeship_progress",
    "pace_of_open_apprenticeships",
    "progress_chart",
    "reviewable_hour_logs",
    "decidable_milestones",
    "HOUR_LOG_ITEM",
    "MILESTONE_ITEM",
    "review_queue",
    "review_queue_items",
]
