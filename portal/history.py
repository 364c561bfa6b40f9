"""History helpers shared by every app's models and services (django-simple-history)."""

import datetime
import decimal
import functools
import uuid
from typing import TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from simple_history import manager, models, utils

from portal.bulk import update_alike

T = TypeVar("T", bound=Model)

# How history shows a value the reader may not read, and the fields it never lists.
HIDDEN = "•••"
NOT_SHOWN = {"id", "created_at", "updated_at"}
# simple-history's history_type, as the audit trail names it.
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def plain(value):
    """A stored value as JSON writes it."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def with_reason(instance: T, reason: str, user: AbstractBaseUser | None = None) -> T:
    """Mark the next save of `instance` with a change reason (and who, outside a request).

    Inside an API request simple-history's middleware records the user already; code that runs
    elsewhere (tasks, commands) passes `user` so that history still names someone.
    """
    # simple-history reads these two attributes of the instance on its next save.
    instance._change_reason = reason  # type: ignore[attr-defined]
    if user is not None:
        instance._history_user = user  # type: ignore[attr-defined]
    return instance


class HistoryManager(manager.HistoryManager):
    """simple_history's manager of history records, whose class is built once. simple_history
    builds a new class for it (`from_queryset`) each time a model's `history` is read, and it
    reads it to write every history record: building the class cost more than the record's
    INSERT statement."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(models.HistoricalRecords):
    """The history of every model of the portal: simple_history's, with the manager above."""

    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)


def bulk_create_with_history(objs, model, **kwargs):
    """simple-history's `bulk_create_with_history`, with the audit trail's entries of the rows it
    wrote (a bulk write sends no signal): one more query whatever the number of rows."""
    since = timezone.now()
    created = utils.bulk_create_with_history(objs, model, **kwargs)
    _index_written(model, [obj.pk for obj in created], since)
    return created


def bulk_update_with_history(objs, model, fields, *, default_change_reason=None, **kwargs):
    """simple-history's `bulk_update_with_history`, with the audit trail's entries (as above),
    whose UPDATE is one `WHERE pk IN (...)` when every row takes the same values (portal.bulk).
    The entries are made from the history rows just written, not read back (portal.audit
    `index_rows`). `kwargs`: simple-history's `bulk_history_create`'s (default_user, ...)."""
    since = timezone.now()
    with transaction.atomic(savepoint=False):
        updated = update_alike(model, objs, fields)
        # What simple-history's bulk_update_with_history writes after its UPDATE, called here
        # for the history rows it returns (and with its default reason, None).
        rows = utils.get_history_manager_for_model(model).bulk_history_create(
            objs, update=True, default_change_reason=default_change_reason, **kwargs
        )
    if rows is not None:  # None: history is off (SIMPLE_HISTORY_ENABLED)
        _index_written(model, [obj.pk for obj in objs], since, objs, rows)
    return updated


def _index_written(model, record_ids, since, records=None, history_rows=None) -> None:
    """Index the history rows of a bulk write: from the rows in memory where it can, else read
    back (those of `record_ids` written since `since`)."""
    from portal.audit import index_rows, index_written  # the audit trail reads this module's helpers

    if records is not None and index_rows(model, records, history_rows) is not None:
        return
    index_written(model, record_ids, since)
