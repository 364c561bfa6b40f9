"""Demo data, contributed by each app.

Each app that has demo data keeps it in its own `demo.py` (or a `demo/` package whose
`__init__.py` imports its modules) and registers a loader with `@demo_loader(order=N)`;
`manage.py load_demo` discovers them (the way the admin discovers `admin.py`) and runs them in
order in one transaction (loaders of one order: by the name of their module, then as
registered). Loaders are idempotent: a second run neither fails nor duplicates. Demo accounts
are never created by migrations or in production.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

DEMO_PASSWORD = "portal-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str


_loaders: list[tuple[int, str, Callable[[], list[DemoAccount]]]] = []


def demo_loader(*, order: int):
    def register(function):
        _loaders.append((order, function.__module__, function))
        return function

    return register


def registered_loaders():
    return [function for _order, _module, function in sorted(_loaders, key=lambda item: (item[0], item[1]))]


@functools.cache
def _demo_password_hash() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)


def demo_user(email: str, full_name: str, **extra):
    """The demo account for `email`, created once, with a verified address and the demo password."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from portal.history import with_reason

    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        # One hash for every demo account: hashing is slow on purpose, and they share the password.
        user = User(email=email, full_name=full_name, password=_demo_password_hash(), **extra)
        with_reason(user, "demo data").save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def get_or_create(model, lookup: dict, defaults: dict):
    """The demo record matching `lookup`, created (with a history reason) if missing."""
    from portal.history import with_reason

    found = model.objects.filter(**lookup).first()
    if found is None:
        found = with_reason(model(**lookup, **defaults), "demo data")
        found.save()
    return found
