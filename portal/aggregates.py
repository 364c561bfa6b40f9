"""Aggregates Django does not ship: the median, as PostgreSQL's percentile_cont(0.5) computes
it, taken from how many rows have each value."""

from collections.abc import Mapping
from decimal import Decimal


def median_of_counts(counts: Mapping[Decimal | None, int]) -> Decimal | None:
    """The median of values given as {value: how many rows have it}: the middle value, or the
    mean of the two middle ones, as percentile_cont(0.5) computes it; null values are left out,
    as it leaves them out; None when no value is left.

    Read from a grouped count (`GROUP BY value`), which any database runs: wages take a few
    dozen distinct values over a sponsor's thousands of apprenticeships, and sorting every one
    of them (percentile_cont, PostgreSQL only) took twice as long."""
    ordered = sorted((value, n) for value, n in counts.items() if value is not None and n)
    total = sum(n for _value, n in ordered)
    if not total:
        return None
    low, high = (total - 1) // 2, total // 2  # the positions of the middle one or two
    middle: list[Decimal] = []
    seen = 0
    for value, n in ordered:
        middle += [value for position in (low, high) if seen <= position < seen + n]
        seen += n
        if len(middle) == 2:
            break
    return (middle[0] + middle[1]) / 2
