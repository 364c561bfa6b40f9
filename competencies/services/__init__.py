"""Writes of the apprentice's record of progress, one module per topic: hours, sign-offs,
milestones (and the record's answers to the agreement, record.py). The ledger
(competencies/ledger.py) is the seam they share."""

from ..ledger import totals_recompute as hour_totals_recompute
from .hours import (
    HourEntry,
    hour_log_approve,
    hour_log_create,
    hour_log_reject,
    hour_log_update,
    hour_log_void,
    hour_log_withdraw,
)
from .hours_bulk import ItemErrors, hour_logs_approve_all, hour_logs_create_all, hour_logs_reject_all
from .imports import hour_logs_create_from_items, hour_logs_import
from .milestones import milestone_approve, milestone_reject, milestones_reconcile
from .milestones_bulk import RefusedItems, milestones_approve_all, milestones_reject_all
from .signoffs import competency_sign_off

__all__ = [
    "HourEntry",
    "ItemErrors",
    "RefusedItems",
    "competency_sign_off",
    "hour_log_approve",
    "hour_log_create",
    "hour_log_reject",
    "hour_log_update",
    "hour_log_void",
    "hour_log_withdraw",
    "hour_logs_approve_all",
    "hour_logs_create_all",
    "hour_logs_reject_all",
    "hour_logs_create_from_items",
    "hour_logs_import",
    "hour_totals_recompute",
    "milestone_approve",
    "milestone_reject",
    "milestones_approve_all",
    "milestones_reject_all",
    "milestones_reconcile",
]
