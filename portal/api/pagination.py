from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination


class CountedPaginator(Paginator):
    """Takes the count a view already knows (`queryset.known_count`, from running totals)
    instead of running COUNT(*) over every row."""

    @cached_property
    def count(self):
        known = getattr(self.object_list, "known_count", None)
        return known if known is not None else super().count


class PagePagination(PageNumberPagination):
    django_paginator_class = CountedPaginator
    page_size_query_param = "page_size"
    max_page_size = 200
    # Query parameters that only page and order: a list asked with no others is unfiltered.
    paging_parameters = frozenset({"page", "page_size", "ordering"})


def asks_only_paging(request) -> bool:
    """The request names no parameter but paging and ordering: an unfiltered list."""
    return set(request.query_params) <= PagePagination.paging_parameters
