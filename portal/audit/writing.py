"""Writing the audit trail: the reason a client gives, joined to each history row's, and one index
row per history row (on the signal, or in bulk for bulk writes and the backfill)."""

from __future__ import annotations

import contextvars
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Case, Exists, F, Model, OuterRef, Subquery, UUIDField, Value, When
from django.db.models.functions import Coalesce
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from portal.history import ACTIONS

from .registry import AUDITED, Audited, _by_model

# --- the reason a client gives, for the request ---------------------------------------------

client_reason: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_reason", default=None)


def explained(own: str | None, given: str | None) -> str | None:
    """The reason recorded: the service's own, then the client's ("approved: checked the log").
    A client reason the service already recorded (a rejection's) is not repeated."""
    if not given:
        return own
    if not own:
        return given
    return own if given in own else f"{own}: {given}"


def fit(text: str | None, length: int | None) -> str | None:
    """`text` cut to `length` characters, ending with "…" where it was cut."""
    if text is None or length is None or len(text) <= length:
        return text
    return text[: length - 1] + "…"


def _explain(sender, history_instance, **kwargs) -> None:
    """Before a history row is written: the client's reason joined to the service's. The history
    column is short (100 characters): it keeps the beginning; the audit entry keeps it whole."""
    reason = explained(history_instance.history_change_reason, client_reason.get())
    history_instance._audit_reason = reason
    length = history_instance._meta.get_field("history_change_reason").max_length
    history_instance.history_change_reason = fit(reason, length)


# --- writing the index ------------------------------------------------------------------------


def _resolve_first(instance: Model, history_instance: Model, lookups: str | tuple[str, ...] | None):
    """The first id of `lookups` that is not null."""
    if not isinstance(lookups, tuple):
        return _resolve(instance, history_instance, lookups)
    for lookup in lookups:
        value = _resolve(instance, history_instance, lookup)
        if value is not None:
            return value
    return None


def _lookups(lookups: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return lookups if isinstance(lookups, tuple) else (lookups,) if lookups else ()


def _resolve(instance: Model, history_instance: Model, lookup: str | None):
    """The id `lookup` names, from objects the instance already holds, or else read inside the
    INSERT itself (a subquery of the history row): never a query of its own."""
    if lookup is None:
        return None
    if lookup == "id":
        return instance.pk
    obj: Model = instance
    steps = lookup.split("__")
    for position, step in enumerate(steps):
        relation: Any = obj._meta.get_field(step)
        if position == len(steps) - 1:
            return getattr(obj, relation.attname)
        if not relation.is_cached(obj):
            break
        obj = getattr(obj, step)
        if obj is None:
            return None
    history: Any = type(history_instance)
    return Subquery(history.objects.filter(pk=history_instance.pk).values(lookup)[:1])


def _record(sender, instance, history_instance, **kwargs) -> None:
    found = _by_model().get(instance._meta.label_lower)
    if found is None:
        return
    record_type, spec = found
    from portal.models import AuditEntry

    AuditEntry.objects.create(
        at=history_instance.history_date,
        actor_id=history_instance.history_user_id,
        record_type=record_type,
        record_id=instance.pk,
        action=ACTIONS[history_instance.history_type],
        sponsor_id=_resolve_first(instance, history_instance, spec.sponsor),
        employer_id=_resolve(instance, history_instance, spec.employer),
        part_of_type=spec.part_of[0] if spec.part_of else "",
        part_of_id=_resolve(instance, history_instance, spec.part_of[1]) if spec.part_of else None,
        history_id=history_instance.pk,
        reason=getattr(history_instance, "_audit_reason", history_instance.history_change_reason) or "",
    )


def connect() -> None:
    pre_create_historical_record.connect(_explain, dispatch_uid="portal.audit.explain")
    post_create_historical_record.connect(_record, dispatch_uid="portal.audit.record")


def backfill(registry=apps, batch_size: int = 2000) -> int:
    """Index the history rows written before the audit trail existed: each once, whatever how
    often it runs. Returns the number indexed."""
    entry_model = registry.get_model("portal", "AuditEntry")
    indexed = 0
    for record_type, spec in AUDITED.items():
        app_label, name = spec.model.split(".")
        try:
            history = registry.get_model(app_label, f"Historical{name}")
        except LookupError:  # a model later than the migration that runs this: nothing to index yet
            continue
        indexed += _index(entry_model, record_type, spec, history.objects.all(), batch_size)
    return indexed


def index_written(model: type[Model], record_ids, since) -> int:
    """Index the history rows of `record_ids` written since `since` by a bulk write (simple-history's
    bulk helpers send no signal) that have no entry yet: one statement whatever their number. A
    model that is not audited indexes nothing."""
    found = _by_model().get(model._meta.label_lower)
    if found is None or not record_ids:
        return 0
    record_type, spec = found
    entry_model = apps.get_model("portal", "AuditEntry")
    history = model.history.model  # type: ignore[attr-defined]
    known = entry_model.objects.filter(record_type=record_type, history_id=OuterRef("history_id"))
    rows = history.objects.filter(id__in=list(record_ids), history_date__gte=since).exclude(Exists(known))
    return _index_in_one_statement(entry_model, record_type, spec, rows)


def keep_whole_reasons(model: type[Model], history_rows, cut_of: dict[str, list]) -> None:
    """The audit entries of `history_rows` (just written in bulk) whose reason was cut to fit the
    history column (`cut_of`: {the whole reason: the ids of its records}) keep it whole, as
    `_explain` keeps a single save's: one UPDATE per whole reason cut, none when nothing was."""
    found = _by_model().get(model._meta.label_lower)
    if found is None:
        return
    entry_model = apps.get_model("portal", "AuditEntry")
    written = history_rows.values("history_id")
    for whole, record_ids in cut_of.items():
        entry_model.objects.filter(record_type=found[0], history_id__in=written, record_id__in=record_ids).update(
            reason=whole
        )


def index_history(model: type[Model], history_ids) -> int:
    """Index the history rows `history_ids` that a bulk write has just written (they have no entry
    yet): one statement whatever their number. A model that is not audited indexes nothing."""
    found = _by_model().get(model._meta.label_lower)
    if found is None or not history_ids:
        return 0
    record_type, spec = found
    history = model.history.model  # type: ignore[attr-defined]
    rows = history.objects.filter(history_id__in=list(history_ids))
    return _index_in_one_statement(apps.get_model("portal", "AuditEntry"), record_type, spec, rows)


def _index_in_one_statement(entry_model, record_type: str, spec: Audited, history_rows) -> int:
    """An entry for each of `history_rows` (a query of a model's history), written by the database
    from the rows themselves (INSERT ... SELECT): they are not read into Python, which cost a bulk
    decision of 200 hour logs more than the rest of its writes together. The entries are those
    `_index` makes of the same rows."""
    sponsors = [F(lookup) for lookup in _lookups(spec.sponsor)]
    no_id = Value(None, output_field=UUIDField())
    columns = {
        "at": F("history_date"),
        "actor": F("history_user_id"),
        "record_type": Value(record_type),
        "record_id": F("id"),
        "action": Case(*(When(history_type=kind, then=Value(action)) for kind, action in ACTIONS.items())),
        # The first of the sponsor's lookups that names one, as `_index` picks it.
        "sponsor_id": no_id if not sponsors else sponsors[0] if len(sponsors) == 1 else Coalesce(*sponsors),
        "employer_id": F(spec.employer) if spec.employer else no_id,
        "part_of_type": Value(spec.part_of[0] if spec.part_of else ""),
        "part_of_id": F(spec.part_of[1]) if spec.part_of else no_id,
        "history_id": F("history_id"),
        "reason": Coalesce(F("history_change_reason"), Value("")),
    }
    # Selected under names of their own (the history model has fields named as some of them),
    # in the order of the entry's columns that they fill.
    select, parameters = (
        history_rows.order_by().values(**{f"entry_{n}": value for n, value in enumerate(columns.values())}).query
    ).sql_with_params()
    quote = connection.ops.quote_name
    targets = ", ".join(quote(entry_model._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(entry_model._meta.db_table)} ({targets}) {select}", parameters)
        return cursor.rowcount


def _index(entry_model, record_type: str, spec: Audited, history_rows, batch_size: int) -> int:
    """An entry for each of `history_rows` that has none, in batches."""
    known = entry_model.objects.filter(record_type=record_type, history_id=OuterRef("history_id"))
    values = ["history_id", "history_date", "history_user_id", "history_type", "history_change_reason", "id"]
    values += {*_lookups(spec.sponsor), *_lookups(spec.employer), *_lookups(spec.part_of and spec.part_of[1])}
    rows = history_rows.exclude(Exists(known)).values(*values).iterator(chunk_size=batch_size)
    indexed, batch = 0, []
    for row in rows:
        batch.append(
            entry_model(
                at=row["history_date"],
                actor_id=row["history_user_id"],
                record_type=record_type,
                record_id=row["id"],
                action=ACTIONS[row["history_type"]],
                sponsor_id=next((row[name] for name in _lookups(spec.sponsor) if row[name]), None),
                employer_id=row[spec.employer] if spec.employer else None,
                part_of_type=spec.part_of[0] if spec.part_of else "",
                part_of_id=row[spec.part_of[1]] if spec.part_of else None,
                history_id=row["history_id"],
                reason=row["history_change_reason"] or "",
            )
        )
        if len(batch) >= batch_size:
            entry_model.objects.bulk_create(batch)
            indexed, batch = indexed + len(batch), []
    entry_model.objects.bulk_create(batch)
    return indexed + len(batch)
