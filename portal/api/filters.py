"""django-filter, with one change: a filter on a related record (`?apprenticeship=<id>`) is a
plain id filter. django-filter's default checks the id against every row of the table, which
would answer an id outside the caller's scope (no rows) differently from an id that does not
exist (400) — telling which records exist. Scoping is the queryset's; a filter only narrows it.

And two savings: the classes django-filter builds for each request (a view's FilterSet from its
`filterset_fields`, each FilterSet's form) are built once, since they never differ between
requests."""

import django_filters
from django.db import models
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters
from rest_framework.exceptions import ValidationError

from .fields import DateFilter
from .pagination import asks_only_paging

ID_FILTER = {"filter_class": django_filters.UUIDFilter}


class FilterSet(django_filters.rest_framework.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.rest_framework.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: ID_FILTER,
        models.OneToOneField: ID_FILTER,
        models.DateField: {"filter_class": DateFilter},
    }

    def get_form_class(self):
        """The form class of this FilterSet class, built on first use (each form still copies
        its fields, as every Django form does)."""
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class


class FilterBackend(DjangoFilterBackend):
    filterset_base = FilterSet
    _filterset_classes: dict = {}

    def get_filterset_class(self, view, queryset=None):
        """The view's FilterSet class, for each model it filters, built on first use."""
        key = (type(view), None if queryset is None else queryset.model)
        if key not in self._filterset_classes:
            self._filterset_classes[key] = super().get_filterset_class(view, queryset)
        return self._filterset_classes[key]

    def filter_queryset(self, request, queryset, view):
        """A list asked with no parameter but paging and ordering is not filtered: django-filter
        would build and validate a form of empty fields (most of a millisecond) to change nothing,
        since a filter with no value leaves the queryset as it is."""
        if asks_only_paging(request):
            return queryset
        if getattr(view, "action", None) == "list":
            check_no_unknown_parameters(request, view, self.get_filterset_class(view, queryset))
        return super().filter_queryset(request, queryset, view)


# Parameters every list takes besides its filters: paging (by page or cursor), ordering and the
# format of the answer.
COMMON_LIST_PARAMETERS = frozenset({"page", "page_size", "cursor", "ordering", "format"})


_list_parameters: dict = {}


def list_parameters(view, filterset_class) -> frozenset[str]:
    """The query parameters a list understands: paging, ordering and format; `search` where
    the view searches (`search_fields`), `include` where it includes (`include_values`), each
    of its FilterSet's fields (a range's `_after`/`_before` included), and the view's own
    (`extra_query_parameters`, read by the view itself). Built once per view and FilterSet."""
    key = (type(view), filterset_class)
    if key not in _list_parameters:
        names = set(COMMON_LIST_PARAMETERS) | set(getattr(view, "extra_query_parameters", ()))
        if getattr(view, "search_fields", None):
            names.add("search")
        if getattr(view, "include_values", None):
            names.add("include")
        for name, filter_ in (filterset_class.base_filters if filterset_class else {}).items():
            suffixes = getattr(filter_.field.widget, "suffixes", None)
            names |= {f"{name}_{suffix}" if suffix else name for suffix in suffixes} if suffixes else {name}
        _list_parameters[key] = frozenset(names)
    return _list_parameters[key]


def check_no_unknown_parameters(request, view, filterset_class) -> None:
    """A list asked with a parameter it does not know (a typo: `?statsu=`) is a 400 naming it,
    rather than the whole list as if unfiltered."""
    unknown = sorted(set(request.query_params) - list_parameters(view, filterset_class))
    if unknown:
        raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})


class SearchFilter(filters.SearchFilter):
    """`?search=`: each word, in any case, is in one of the view's `search_fields` (a plain
    case-insensitive contains; docs/api.md). Only the views that search show it in the schema."""

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "search_fields", None):
            return []
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": "Words, each contained (in any case) in one of: "
                + ", ".join(field.replace("__", ".") for field in view.search_fields)
                + ".",
                "schema": {"type": "string", "maxLength": 200},
            }
        ]

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        if len(value) > 200:
            raise ValidationError({self.search_param: [_("At most 200 characters.")]})
        return super().get_search_terms(request)


PRIMARY_KEY_NAMES = frozenset({"pk", "-pk", "id", "-id"})


def total_order(ordering, queryset) -> list:
    """The order (the one asked, else the queryset's own, else the model's), ending with the
    primary key: rows equal in every field asked (two logs of one day) keep one order between
    two reads, which paging, by page or by cursor, needs."""
    model = queryset.model
    terms = list(ordering or queryset.query.order_by or model._meta.ordering or [])
    if not terms or terms[-1] not in PRIMARY_KEY_NAMES | {model._meta.pk.name, f"-{model._meta.pk.name}"}:
        terms.append("pk")
    return terms


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=` among the view's `ordering_fields`, its `ordering` by default, either one
    then ordered by the id (`total_order`)."""

    def get_ordering(self, request, queryset, view):
        return total_order(super().get_ordering(request, queryset, view), queryset)
