"""Errors that services raise, independent of the web layer.

Bad input is Django's own `ValidationError` (with a dict: field -> messages); a record whose
state forbids the action is `Conflict`. The API's exception handler maps them to 400 and 409.
"""


class Conflict(Exception):
    """The record's state forbids this action (HTTP 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Forbidden(Exception):
    """The caller can see the record but may not do this (HTTP 403)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
