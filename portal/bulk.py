"""Bulk writes in one statement each, where Django's `bulk_update` writes one CASE per row.

`QuerySet.bulk_update` spells each row's new value as a `CASE WHEN pk = ... THEN ...` branch of
one UPDATE, and builds every branch as ORM expressions in Python: for a decision of 200 hour
logs that cost most of the request's time, for a statement the database runs in milliseconds.

- `update_alike(model, objs, fields)`: rows that take the same new values (a bulk decision:
  one status, reviewer, time and note for every log) are one `UPDATE ... WHERE pk IN (...)`;
  rows that do not fall back to `bulk_update`.
- `increment_all(model, keys, deltas)`: add a different amount to each row's counters (the
  running totals of a bulk decision) in one `UPDATE ... FROM` the amounts: on PostgreSQL
  `unnest` of one array per column, elsewhere `WITH v(...) AS (VALUES ...)` (SQLite 3.33 and
  later).

Both write inside the caller's transaction and send no signal, as `bulk_update` does.
"""

from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.db import connection
from django.db.models import Expression, Field, Model


def _field(model: type[Model], name: str) -> Field:
    return cast(Field, model._meta.get_field(name))


def _column(field: Field) -> str:
    assert field.column is not None  # a concrete field of the model
    return connection.ops.quote_name(field.column)


def update_alike(model: type[Model], objs: Sequence[Model], fields: Sequence[str]) -> int:
    """Write `fields` of `objs` (instances of `model` already carrying their new values) in one
    UPDATE when every row takes the same values, else with `bulk_update`. Returns the rows written."""
    if not objs:
        return 0
    attnames = [_field(model, name).attname for name in fields]
    first = [getattr(objs[0], attname) for attname in attnames]
    alike = not any(isinstance(value, Expression) for value in first) and all(
        [getattr(obj, attname) for attname in attnames] == first for obj in objs
    )
    if not alike:
        return model._default_manager.bulk_update(objs, fields)
    return model._default_manager.filter(pk__in=[obj.pk for obj in objs]).update(
        **dict(zip(attnames, first, strict=True))
    )


def increment_all(model: type[Model], keys: Sequence[str], deltas: Mapping[Any, Mapping[str, Any]]) -> int:
    """Add to each row its own amounts: `deltas` maps a row's key (the value of the one field of
    `keys`, or a tuple of the values of several) to `{column field: amount}`, the same columns
    for every row. One statement; a key with no row is left out (as an UPDATE leaves it).
    Returns the rows written."""
    if not deltas:
        return 0
    meta, quote = model._meta, connection.ops.quote_name
    key_fields = [_field(model, name) for name in keys]
    columns = list(next(iter(deltas.values())))
    column_fields = [_field(model, name) for name in columns]
    every = [*key_fields, *column_fields]
    rows = [
        [*(key if len(keys) > 1 else (key,)), *(amounts[name] for name in columns)] for key, amounts in deltas.items()
    ]
    table = quote(meta.db_table)
    names = [f"k{n}" for n in range(len(keys))] + [f"v{n}" for n in range(len(columns))]
    sets = ", ".join(f"{_column(field)} = {table}.{_column(field)} + v.v{n}" for n, field in enumerate(column_fields))
    match = " AND ".join(f"{table}.{_column(field)} = v.k{n}" for n, field in enumerate(key_fields))
    params: list[Any] = []
    if connection.vendor == "postgresql":
        # One array per column (unnest), typed as its column: a handful of parameters, where a
        # VALUES list of 100 rows is 600, each adapted and spliced into the statement.
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in every)
        params = [[field.get_db_prep_value(row[n], connection) for row in rows] for n, field in enumerate(every)]
        sql = f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({', '.join(names)}) WHERE {match}"
    else:
        # Each value cast to its column's type: a VALUES list has no types of its own.
        row = "(" + ", ".join(f"CAST(%s AS {field.db_type(connection)})" for field in every) + ")"
        for values in rows:
            params.extend(
                field.get_db_prep_value(value, connection) for field, value in zip(every, values, strict=True)
            )
        sql = (
            f"WITH v({', '.join(names)}) AS (VALUES {', '.join([row] * len(rows))}) "
            f"UPDATE {table} SET {sets} FROM v WHERE {match}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
