"""Every list is paged by page number (the default: `?page=`, `?page_size=`), or, with `?cursor=`,
by a keyset cursor that never repeats or skips a row while others are written (docs/api.md,
"Lists"). Both read the list in its order, which is total: the ordering filter ends every
order with the id (portal/api/filters.py OrderingFilter)."""

import base64
import binascii
import datetime
import decimal
import json
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from portal import keyset


class CountedPaginator(Paginator):
    """Takes the count a view already knows (`queryset.known_count`, from running totals)
    instead of running COUNT(*) over every row; or counts the rows of a list read as values
    before their columns were joined (`values_of`)."""

    @cached_property
    def count(self):
        known = getattr(self.object_list, "known_count", None)
        if known is not None:
            return known
        counted_by = getattr(self.object_list, "counted_by", None)
        return counted_by() if counted_by is not None else super().count


def values_of(queryset: QuerySet, columns: list[str]) -> QuerySet:
    """A list's rows as the values of `columns` (a written-out serializer's), counted as the
    filtered rows alone: a COUNT(*) of the values would still join every table the columns name
    (the apprentice, program, employer of each row), which PostgreSQL runs although no join can
    change the count."""
    rows = queryset.values(*columns)
    rows.counted_by = queryset.count  # type: ignore[attr-defined]  # CountedPaginator reads it
    return rows


def _encodable(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # microseconds kept: the key must compare exactly
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def encode_cursor(ordering: list[str], key: list, *, backwards: bool) -> str:
    payload = {"o": ordering, "k": [_encodable(value) for value in key], "b": backwards}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


@dataclass
class Cursor:
    key: list
    backwards: bool


INVALID_CURSOR = gettext_lazy("Not a cursor of this list: start again with an empty cursor (`?cursor=`).")


def decode_cursor(value: str, *, model, ordering: list[str]) -> Cursor | None:
    """The cursor given (None for the empty one, the first page); a 400 naming `cursor` for one
    that is not this list's, or was made for another `ordering`."""
    if not value:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        made_for, key, backwards = payload["o"], payload["k"], payload["b"]
        if not isinstance(key, list) or not isinstance(backwards, bool):
            raise ValueError
    except (ValueError, TypeError, KeyError, binascii.Error):
        raise ValidationError({"cursor": [INVALID_CURSOR]}) from None
    if made_for != ordering:
        raise ValidationError({"cursor": [_("This cursor was made for another ordering: keep `ordering` as it was.")]})
    try:
        return Cursor(keyset.parse_key(model, keyset.terms_of(ordering), key), backwards)
    except (DjangoValidationError, ValueError, TypeError):
        raise ValidationError({"cursor": [INVALID_CURSOR]}) from None


def ordering_of(queryset: QuerySet) -> list[str]:
    """The list's order as field names (`["-date", "-created_at", "pk"]`), or a 400 where it is
    not one a cursor can continue (an order computed in Python, a union)."""
    query = queryset.query
    terms = list(query.order_by) if query.order_by else list(queryset.model._meta.ordering)
    ordering = [term for term in terms if isinstance(term, str)]
    try:
        if query.combinator or len(ordering) != len(terms):
            raise ValueError("not an order of columns")
        keyset.check_terms(queryset.model, keyset.terms_of(ordering))
    except ValueError:
        raise ValidationError({"cursor": [_("This list in this order is paged by page only.")]}) from None
    return ordering


class KeysetPage:
    """One page of a cursor read: `size` rows after (or before) the cursor's key."""

    def __init__(self, queryset, request, size: int):
        if not isinstance(queryset, QuerySet):
            raise ValidationError({"cursor": [_("This list in this order is paged by page only.")]})
        model = queryset.model
        self.ordering = ordering_of(queryset)
        terms = keyset.terms_of(self.ordering)
        cursor = decode_cursor(request.query_params["cursor"], model=model, ordering=self.ordering)
        backwards = cursor is not None and cursor.backwards
        rows = queryset.order_by(*keyset.order_by(terms, backwards=backwards))
        if cursor is not None:
            rows = rows.filter(keyset.beyond(model, terms, cursor.key, backwards=backwards))
        fetched = list(rows[: size + 1])
        more = len(fetched) > size
        self.rows = fetched[:size][::-1] if backwards else fetched[:size]
        first, last = (
            (keyset.key_of(self.rows[0], terms, model), keyset.key_of(self.rows[-1], terms, model))
            if self.rows
            else (None, None)
        )
        # Forward: a next page if more rows were found, a previous one if this is not the first.
        # Backwards: the other way round.
        has_next = more if not backwards else cursor is not None
        has_previous = (cursor is not None) if not backwards else more
        self.next = encode_cursor(self.ordering, last, backwards=False) if has_next and last else None
        self.previous = encode_cursor(self.ordering, first, backwards=True) if has_previous and first else None


class PagePagination(PageNumberPagination):
    django_paginator_class = CountedPaginator
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"
    # Query parameters that only page and order: a list asked with no others is unfiltered.
    paging_parameters = frozenset({"page", "page_size", "ordering", "cursor"})
    keyset_page: KeysetPage | None = None

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset_page = None
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        if self.page_query_param in request.query_params:
            raise ValidationError({"cursor": [_("Give `page` or `cursor`, not both.")]})
        self.request = request
        self.keyset_page = KeysetPage(queryset, request, self.get_page_size(request) or self.max_page_size)
        return self.keyset_page.rows

    def _cursor_link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        assert self.request is not None
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, self.page_query_param), self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        if self.keyset_page is None:
            return super().get_paginated_response(data)
        return Response(
            {
                "next": self._cursor_link(self.keyset_page.next),
                "previous": self._cursor_link(self.keyset_page.previous),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        paged = super().get_paginated_response_schema(schema)
        paged["required"] = ["results"]
        paged["properties"]["count"]["description"] = "Every row of the list; absent with `cursor` paging."
        paged["properties"]["next"]["description"] = "The next page's URL (with `cursor`: the next cursor's)."
        paged["properties"]["previous"]["description"] = (
            "The previous page's URL (with `cursor`: the previous cursor's)."
        )
        return paged

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Cursor paging instead of pages: empty for the first page, then the cursor of an "
                    "answer's `next` or `previous`. It never repeats or skips a row while others are "
                    "written; keep `ordering` (and the filters) as they were. Not with `page`."
                ),
                "schema": {"type": "string"},
            },
        ]


def asks_only_paging(request) -> bool:
    """The request names no parameter but paging and ordering: an unfiltered list."""
    return set(request.query_params) <= PagePagination.paging_parameters
