"""Keyset reading: rows after (or before) a row's key in a total order, never by OFFSET.

A list read page by page with OFFSET repeats a row when another is inserted before the page
and skips one when a row is removed; a read that continues from the last row's key (the values
of every ordering field, the last one the primary key, which makes the order total) does
neither. Used by the lists' cursor paging (portal/api/pagination.py) and by the CSV exports,
which read in batches of the same kind.

NULLs go last in both directions (ASC NULLS LAST, DESC NULLS LAST): one rule for every
nullable ordering field, so the comparison after a NULL key is well defined.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.db.models.expressions import OrderBy

Term = tuple[str, bool]  # (field path, descending)


def terms_of(ordering: Sequence[str]) -> list[Term]:
    """`["-date", "id"]` as `[("date", True), ("id", False)]`; "pk" names the primary key."""
    return [(name.lstrip("-"), name.startswith("-")) for name in ordering]


def _field(model: type[Model], path: str):
    field = None
    for part in path.split("__"):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field


def check_terms(model: type[Model], terms: Sequence[Term]) -> None:
    """Raise ValueError unless every term is a concrete field and the last is the primary key."""
    if not terms:
        raise ValueError("no ordering")
    try:
        fields = [_field(model, path) for path, _ in terms]
    except FieldDoesNotExist as error:
        raise ValueError(str(error)) from error
    if not fields[-1].primary_key or "__" in terms[-1][0]:
        raise ValueError("the order does not end with the primary key")


def order_by(terms: Sequence[Term], *, backwards: bool = False) -> list[OrderBy]:
    """The ORDER BY of a keyset read; `backwards` is its exact reverse (NULLs then first)."""
    expressions = []
    for path, descending in terms:
        if descending != backwards:
            expressions.append(F(path).desc(nulls_first=True) if backwards else F(path).desc(nulls_last=True))
        else:
            expressions.append(F(path).asc(nulls_first=True) if backwards else F(path).asc(nulls_last=True))
    return expressions


def key_of(row: Any, terms: Sequence[Term], model: type[Model]) -> list:
    """The row's value of each ordering field (a related record's id for a relation); `row` a
    model instance or a `values()` dict that holds the ordering fields."""
    key = []
    for path, _ in terms:
        field = _field(model, path)
        if isinstance(row, dict):
            key.append(row[field.name] if field.name in row else row[field.attname])
        elif "__" not in path:  # a column of the row itself: a relation's id, read without a query
            key.append(getattr(row, field.attname))
        else:
            value = row
            for part in path.split("__"):
                value = None if value is None else getattr(value, "pk" if part == "pk" else part)
            key.append(value.pk if isinstance(value, Model) else value)
    return key


def parse_key(model: type[Model], terms: Sequence[Term], key: Sequence) -> list:
    """A key read back from a cursor, each value checked against its field: ValidationError for
    a value the field cannot hold."""
    if len(key) != len(terms):
        raise ValidationError("wrong length")
    values = []
    for (path, _), value in zip(terms, key, strict=True):
        field = _field(model, path)
        target = field.target_field if field.is_relation else field
        values.append(None if value is None else target.to_python(value))
    return values


def beyond(model: type[Model], terms: Sequence[Term], key: Sequence, *, backwards: bool = False) -> Q:
    """The rows strictly after `key` in the order (strictly before it, `backwards`)."""
    condition = Q(pk__in=[])
    equal = Q()
    for (path, descending), value in zip(terms, key, strict=True):
        nullable = _field(model, path).null
        if not backwards:
            if value is not None:
                step = Q(**{f"{path}__{'lt' if descending else 'gt'}": value})
                if nullable:
                    step |= Q(**{f"{path}__isnull": True})
                condition |= equal & step
        else:
            if value is None:
                condition |= equal & Q(**{f"{path}__isnull": False})
            else:
                condition |= equal & Q(**{f"{path}__{'gt' if descending else 'lt'}": value})
        equal &= Q(**{f"{path}__isnull": True}) if value is None else Q(**{path: value})
    return condition


def batches(queryset: QuerySet, ordering: Sequence[str], *, size: int = 500) -> Iterator[list]:
    """Every row of `queryset` in `ordering` (which ends with the primary key), `size` at a time,
    each batch one query continuing from the last row's key."""
    terms = terms_of(ordering)
    check_terms(queryset.model, terms)
    ordered = queryset.order_by(*order_by(terms))
    batch = list(ordered[:size])
    while batch:
        yield batch
        if len(batch) < size:
            return
        batch = list(ordered.filter(beyond(queryset.model, terms, key_of(batch[-1], terms, queryset.model)))[:size])
