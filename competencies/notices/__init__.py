"""Who is told about hours, sign-offs and milestones (docs/domain.md, "Events that notify"), one
module per topic: as records are written and decided (hours), milestones, the weekly notices."""

from .hours import competency_signed_off, hours_decided, hours_reviewed, hours_written
from .milestones import milestone_decided, milestone_reached, milestones_decided, milestones_reached
from .reviews import review_submitted, reviews_overdue_notices
from .weekly import behind_pace_alerts, no_hours_reminders, weekly_digests

__all__ = [
    "behind_pace_alerts",
    "competency_signed_off",
    "hours_decided",
    "hours_reviewed",
    "hours_written",
    "milestone_decided",
    "milestone_reached",
    "milestones_decided",
    "milestones_reached",
    "no_hours_reminders",
    "review_submitted",
    "reviews_overdue_notices",
    "weekly_digests",
]
