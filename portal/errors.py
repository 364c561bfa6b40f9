"""Errors that services raise, independent of the web layer.

Bad input is Django's own `ValidationError` (with a dict: field -> messages); a record whose
state forbids the action is `Conflict`. The API's exception handler maps them to 400 and 409.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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


class TooLarge(Exception):
    """The request holds more than the service takes (HTTP 413)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StructuredValidationError(ValidationError):
    """Bad input whose answer is not `{field: [messages]}`: the body as the service writes it
    (the errors of each line of a file, with the line's number). Django's ValidationError holds
    only messages, so this one carries the body (`detail`) as is; the API answers it with 400."""

    def __init__(self, detail: dict):
        super().__init__(_("The input is not valid."))
        self.detail = detail
