"""Writes of the occupation catalog (platform staff)."""

from django.db import transaction

from portal.history import with_reason
from portal.models import User

from ..models import (
    Occupation,
)


def occupation_create(*, created_by: User, **fields) -> Occupation:
    occupation = Occupation(**fields)
    occupation.full_clean()
    with transaction.atomic():
        with_reason(occupation, "added to the catalog", user=created_by).save()
    return occupation


def occupation_update(*, occupation: Occupation, changed_by: User, data: dict) -> Occupation:
    for field, value in data.items():
        setattr(occupation, field, value)
    occupation.full_clean()
    with transaction.atomic():
        with_reason(occupation, "updated", user=changed_by).save()
    return occupation
