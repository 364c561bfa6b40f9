"""What the apprentice agreement asks of the apprentice's record of progress.

The record (hour logs, running totals, milestones) belongs to the competencies app, which builds
on this one: imports run one way. Where a change to an agreement must move the record (a
registration opens its running totals, a status change is copied to them and a cancellation
closes what is left to decide, a change of credit may reach a milestone), and where a rule of the
agreement reads it (was it cancelled during probation?), this app calls the functions below, in
its own transaction. They hand the call to the module that the setting `PROGRESS_RECORD` names
(`competencies.record`), the way `PORTAL_SCOPE_RESOLVER` reaches the apps from `portal/`.
"""

from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from portal.models import User

    from .models import Apprenticeship


def _record():
    return import_module(settings.PROGRESS_RECORD)


def apprenticeship_registered(apprenticeship: "Apprenticeship") -> None:
    _record().apprenticeship_registered(apprenticeship)


def apprenticeship_status_changed(apprenticeship: "Apprenticeship", *, changed_by: "User") -> None:
    _record().apprenticeship_status_changed(apprenticeship, changed_by=changed_by)


def apprenticeship_credit_changed(apprenticeship: "Apprenticeship", *, changed_by: "User") -> None:
    _record().apprenticeship_credit_changed(apprenticeship, changed_by=changed_by)


def approved_ojt_hours(apprenticeship: "Apprenticeship") -> Decimal:
    return _record().approved_ojt_hours(apprenticeship)


def roster_apprenticeships(queryset, *, today):
    """The roster (`?include=progress`): a page of apprenticeships with what their progress
    needs read with them, in the page's one query."""
    return _record().roster_apprenticeships(queryset, today=today)


def roster_progress(apprenticeship: "Apprenticeship | SimpleNamespace", *, today) -> dict:
    """A roster row's progress: the hours and pace the progress endpoint shows, the pending
    logs and milestones and the last day logged. The row is a model or a row of values with the
    model's attribute names (apprenticeships/selectors/list_rows.py)."""
    return _record().roster_progress(apprenticeship, today=today)
