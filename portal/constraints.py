"""The database's refusal of a race, answered as the service's own check answers it.

A service checks its "one at a time" rules before it writes, under a lock where it can, and a
named constraint in the models holds each rule whatever the code does. When two requests race
past the check, the database refuses the second write (IntegrityError): `refused_as` turns the
refusal of a named constraint into the error the sequential check gives (a 400 naming the field
and the reason, or a 409), so a race never answers 500 nor a vaguer message than a retry would.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from django.db import IntegrityError, transaction


def constraint_name(error: IntegrityError) -> str:
    """The name of the constraint that refused the write, "" when the driver does not say (SQLite)."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


@contextmanager
def refused_as(refusals: Mapping[str, Callable[[], Exception]]) -> Iterator[None]:
    """Run the block in a savepoint; raise `refusals[name]()` (from the IntegrityError) when the
    constraint `name` refuses one of its writes. Another constraint's refusal goes on as it is
    (the API answers it with the generic 409)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        refusal = refusals.get(constraint_name(error))
        if refusal is None:
            raise
        raise refusal() from error
