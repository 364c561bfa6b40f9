"""Small-cell suppression of a table of counts of people, so that no published figure tells
about fewer than `threshold` people, directly or by subtraction.

1. Primary: a count from 1 to threshold - 1 is suppressed. Zero is not a small cell (it counts
   nobody), but see 2.
2. Whole rows: where a row's head count (the people of a group) is suppressed, every count of
   the row is suppressed, zeros included, so that a 0 cannot tell what every member of a small
   group did ("none of them completed").
3. Complementary: for each known sum (a row's head is the sum of its parts, a breakdown's total
   the sum of its groups, a sponsor's figure its part's plus the rest's), no sum may have
   exactly one suppressed cell, or subtraction would give it back. While one has, the smallest
   other cell of that sum is suppressed too (the smallest non-zero first, so that as little as
   possible is hidden; a part before the total), and the rule runs again until every sum holds. Cells that are never
   published but could be worked out (the rest of the sponsor beyond a filter) are cells here
   too, so that the rest is protected like the rest.

The algorithm knows nothing of apprenticeships: cells are keys, sums are lists of keys."""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

Cell = TypeVar("Cell", bound=Hashable)


def suppressed_cells(
    values: Mapping[Cell, int],
    *,
    threshold: int,
    # Each known sum: (the total's cell, the cells that add up to it).
    sums: Iterable[tuple[Cell, Sequence[Cell]]],
    # Each row: (its head cell, the row's other cells).
    rows: Iterable[tuple[Cell, Sequence[Cell]]] = (),
    preference: Mapping[Cell, int] | None = None,
) -> set[Cell]:
    """The cells to suppress. `preference` breaks ties between complements of the same count:
    the lower is suppressed first."""
    sums, rows = list(sums), list(rows)
    preference = preference or {}
    hidden = {cell for cell, value in values.items() if 0 < value < threshold}
    changed = True
    while changed:
        changed = False
        for head, members in rows:
            if head in hidden and not hidden.issuperset(members):
                hidden.update(members)
                changed = True
        for total, parts in sums:
            cells = [total, *parts]
            if sum(cell in hidden for cell in cells) != 1:
                continue
            shown = [cell for cell in cells if cell not in hidden]
            complement = min(
                shown,
                key=lambda cell: (
                    values[cell] == 0,
                    values[cell],
                    cell == total,  # a part before the total, which other sums share
                    preference.get(cell, 0),
                    cells.index(cell),
                ),
            )
            hidden.add(complement)
            changed = True
    return hidden
