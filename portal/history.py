"""History helpers shared by every app's services (django-simple-history)."""

from typing import TypeVar

T = TypeVar("T")


def with_reason(instance: T, reason: str, user=None) -> T:
    """Mark the next save of `instance` with a change reason (and who, outside a request).

    Inside an API request simple-history's middleware records the user already; code that runs
    elsewhere (tasks, commands) passes `user` so that history still names someone.
    """
    instance._change_reason = reason
    if user is not None:
        instance._history_user = user
    return instance
