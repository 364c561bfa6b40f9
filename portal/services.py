"""Writes of the portal's own records (the user)."""

from portal.history import with_reason
from portal.models import User


def user_language_set(*, user: User, language: str) -> User:
    """The language of the portal's answers and notices to `user` (one of settings.LANGUAGES)."""
    if user.language != language:
        user.language = language
        with_reason(user, "language changed", user=user).save(update_fields=["language"])
    return user
