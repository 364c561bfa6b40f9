"""History helpers shared by every app's models and services (django-simple-history)."""

import datetime
import decimal
import functools
import uuid
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction
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


def bulk_create_with_history(objs, model, *, batch_size=None, ignore_conflicts=False, **kwargs):
    """simple-history's `bulk_create_with_history`, with the audit trail's entries of the rows it
    wrote (a bulk write sends no signal): a fixed number of statements whatever the number of
    rows. On PostgreSQL, records that carry their ids (the portal's are UUIDs made in Python) are
    written, then copied to their history by the database (`_copy_to_history`). `kwargs`: the
    history's (default_user, default_change_reason, default_date)."""
    since = timezone.now()
    if not ignore_conflicts and objs and all(obj.pk is not None for obj in objs):
        with transaction.atomic(savepoint=False):
            created = model._default_manager.bulk_create(objs, batch_size=batch_size)
            _history_of(model, created, since, history_type="+", **kwargs)
        return created
    created = utils.bulk_create_with_history(
        objs, model, batch_size=batch_size, ignore_conflicts=ignore_conflicts, **kwargs
    )
    from portal.audit import index_written  # the audit trail reads this module's helpers

    index_written(model, [obj.pk for obj in created], since)
    return created


def bulk_update_with_history(objs, model, fields, **kwargs):
    """simple-history's `bulk_update_with_history`, with the audit trail's entries (as above),
    whose UPDATE is one `WHERE pk IN (...)` when every row takes the same values (portal.bulk).
    `kwargs`: the history's (default_user, default_change_reason, default_date)."""
    since = timezone.now()
    with transaction.atomic(savepoint=False):
        updated = update_alike(model, objs, fields)
        _history_of(model, objs, since, history_type="~", **kwargs)
    return updated


# The columns a history row has beside the copy of its record's (simple-history's own).
_HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


def _history_of(
    model, objs, since, *, history_type: str, default_user=None, default_change_reason=None, default_date=None
) -> None:
    """The history rows of `objs` just written (created: `history_type` "+", changed: "~"), as
    simple-history's bulk helpers write them, and their entries in the audit trail: copied by
    the database where it can (`_copy_to_history`), else built by simple-history."""
    from portal.audit import index_history, index_written, keep_whole_reasons  # the trail reads this module's helpers

    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    default_change_reason, cut_of = _fit_reasons(model, objs, default_change_reason)
    history = {"default_user": default_user, "default_change_reason": default_change_reason}
    history_model = utils.get_history_manager_for_model(model).model
    copied = _copy_to_history(model, objs, history_type=history_type, default_date=default_date, **history)
    if copied is not None:
        index_history(model, copied)
        written = history_model.objects.filter(history_id__in=copied)
    else:
        utils.get_history_manager_for_model(model).bulk_history_create(
            objs, update=history_type == "~", default_date=default_date, **history
        )
        index_written(model, [obj.pk for obj in objs], since)
        written = history_model.objects.filter(id__in=[obj.pk for obj in objs], history_date__gte=since)
    keep_whole_reasons(model, written, cut_of)


def _fit_reasons(model, objs, default_change_reason: str | None) -> tuple[str | None, dict[str, list]]:
    """Each record's reason as a single save records it (portal/audit/writing.py `_explain`): the
    client's reason joined to the service's, cut to the history column's length (100
    characters; a bulk rejection's reason was a 500 past it). Returns the default reason, fitted
    the same way, and {each whole reason that was cut: the ids of its records}, whose audit
    entries keep it whole."""
    from portal.audit.writing import client_reason, explained, fit

    length = utils.get_history_manager_for_model(model).model._meta.get_field("history_change_reason").max_length
    given = client_reason.get()
    cut_of: dict[str, list] = {}

    def fitted(reason: str | None, record_ids: list) -> str | None:
        whole = explained(reason, given)
        cut = fit(whole, length)
        if cut != whole and whole is not None:
            cut_of.setdefault(whole, []).extend(record_ids)
        return cut

    default_ids = []
    for obj in objs:
        own = utils.get_change_reason_from_object(obj)
        if own is not None:
            obj._change_reason = fitted(str(own), [obj.pk])
        else:
            default_ids.append(obj.pk)
    default = fitted(default_change_reason, default_ids) if default_change_reason or given else None
    return default, cut_of


def _copy_to_history(
    model, objs, *, history_type: str, default_user, default_change_reason, default_date
) -> list[int] | None:
    """Write the history rows of `objs` (already written) in one INSERT ... SELECT from their rows
    in the table, on PostgreSQL: the rows simple-history's `bulk_history_create` writes, with
    the same date, user and reason for each, but copied by the database instead of built in
    Python field by field, which cost a bulk decision of 200 hour logs 15 ms (and the notices'
    history as much). Returns the history rows' ids, or None, writing nothing, where the copy
    does not apply: another database, or a history with columns of its own. A record no longer
    in its table (deleted meanwhile by another transaction) has nothing to copy: it gets no row."""
    if connection.vendor != "postgresql":
        return None
    history_model = utils.get_history_manager_for_model(model).model
    copied = [field.column for field in history_model.tracked_fields]
    if {field.column for field in history_model._meta.concrete_fields} != {*copied, *_HISTORY_COLUMNS}:
        return None
    pk_field = model._meta.pk
    ids = [obj.pk for obj in objs]
    users, dates, reasons = [], [], []
    for obj in objs:
        # As simple-history's bulk_history_create decides each of them, in the same order (the
        # default user is looked up only for a record that names none: the lookup has no effect).
        try:
            user = obj._history_user
        except AttributeError:
            user = default_user or history_model.get_default_history_user(obj)
        users.append(None if user is None else user.pk)
        dates.append(getattr(obj, "_history_date", default_date or timezone.now()))
        reason = utils.get_change_reason_from_object(obj) or default_change_reason
        reasons.append(None if reason is None else str(reason))
    user_field = history_model._meta.get_field("history_user").target_field
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in copied)
    statement = (
        f"INSERT INTO {quote(history_model._meta.db_table)} ({columns}, history_date, history_change_reason,"
        " history_type, history_user_id) "
        f"SELECT {', '.join(f'record.{quote(column)}' for column in copied)}, v.history_date,"
        " v.history_change_reason, %s, v.history_user_id "
        f"FROM {quote(model._meta.db_table)} record JOIN unnest(%s::{pk_field.db_type(connection)}[],"
        f" %s::timestamptz[], %s::text[], %s::{user_field.db_type(connection)}[]) WITH ORDINALITY"
        " AS v(record_id, history_date, history_change_reason, history_user_id, position)"
        f" ON record.{quote(pk_field.column)} = v.record_id ORDER BY v.position RETURNING history_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [history_type, ids, dates, reasons, users])
        return [row[0] for row in cursor.fetchall()]
