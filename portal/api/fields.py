"""Numbers and dates read as the API writes them: ASCII digits, nothing else.

Python reads more than a client means to send: `Decimal("1_0")` is 10 and `Decimal("١")` is 1
(any Unicode digit), and Django's date parsing matches `\\d`, which takes full-width digits
("２０２５-０１-０６"). Such input is refused: a number or a date that a person would not read as
the value stored is not one. Every serializer field, model serializer and filter that reads a
decimal or a date uses these (tests/security/test_strict_input.py checks that none is missed).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django_filters import filters as django_filters
from django_filters.fields import DateRangeField as _DateRangeField
from django_filters.fields import RangeField
from rest_framework import serializers

ASCII_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
ASCII_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_ascii_decimal(value) -> bool:
    """A JSON number, or a text of ASCII digits with an optional sign and decimal point."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        value = str(value)
    return isinstance(value, str) and ASCII_DECIMAL.fullmatch(value.strip()) is not None


def is_ascii_iso_date(value: str) -> bool:
    return ASCII_ISO_DATE.fullmatch(value) is not None


class DecimalField(serializers.DecimalField):
    def to_internal_value(self, data):
        if not is_ascii_decimal(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class DateField(serializers.DateField):
    def to_internal_value(self, value):
        if isinstance(value, str) and not is_ascii_iso_date(value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


# --- query-parameter filters (django-filter reads them with Django form fields) -----------------


class DateFormField(forms.DateField):
    def to_python(self, value):
        # Django's own parsing also takes other formats (01/06/2025) and any Unicode digit.
        if isinstance(value, str) and value.strip() and not is_ascii_iso_date(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class DateRangeFormField(_DateRangeField):
    def __init__(self, *args, **kwargs):
        # As DateRangeField's own __init__, with these two fields in place of Django's.
        RangeField.__init__(self, (DateFormField(), DateFormField()), *args, **kwargs)


class DateFilter(django_filters.DateFilter):
    field_class = DateFormField


class DateFromToRangeFilter(django_filters.DateFromToRangeFilter):
    """?<name>_after=&<name>_before=, ISO dates in ASCII digits."""

    field_class = DateRangeFormField
