"""django-filter, with one change: a filter on a related record (`?apprenticeship=<id>`) is a
plain id filter. django-filter's default checks the id against every row of the table, which
would answer an id outside the caller's scope (no rows) differently from an id that does not
exist (400) — telling which records exist. Scoping is the queryset's; a filter only narrows it."""

import django_filters
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend

from .pagination import asks_only_paging

ID_FILTER = {"filter_class": django_filters.UUIDFilter}


class FilterSet(django_filters.rest_framework.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.rest_framework.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: ID_FILTER,
        models.OneToOneField: ID_FILTER,
    }


class FilterBackend(DjangoFilterBackend):
    filterset_base = FilterSet

    def filter_queryset(self, request, queryset, view):
        """A list asked with no parameter but paging and ordering is not filtered: django-filter
        would build and validate a form of empty fields (most of a millisecond) to change nothing,
        since a filter with no value leaves the queryset as it is."""
        if asks_only_paging(request):
            return queryset
        return super().filter_queryset(request, queryset, view)
