"""Aggregates Django does not ship: the median, as PostgreSQL computes it, and its fallback."""

from decimal import Decimal
from statistics import median

from django.db.models import Aggregate, QuerySet


class Median(Aggregate):
    """percentile_cont(0.5): the middle value, or the mean of the two middle ones. PostgreSQL
    only; `median_read_in_python` is the fallback elsewhere."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def median_read_in_python(queryset: QuerySet, expression) -> Decimal | None:
    """The median of `expression` over the queryset (None over no rows), its values read and the
    median taken in Python: for SQLite (the quick start), which has no percentile function and
    whose demo sizes make the read cheap."""
    values = list(queryset.annotate(median_of=expression).values_list("median_of", flat=True))
    return Decimal(median(values)) if values else None
