"""django-filter, with one change: a filter on a related record (`?apprenticeship=<id>`) is a
plain id filter. django-filter's default checks the id against every row of the table, which
would answer an id outside the caller's scope (no rows) differently from an id that does not
exist (400) — telling which records exist. Scoping is the queryset's; a filter only narrows it.

And two savings: the classes django-filter builds for each request (a view's FilterSet from its
`filterset_fields`, each FilterSet's form) are built once, since they never differ between
requests."""

import django_filters
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend

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
        return super().filter_queryset(request, queryset, view)
