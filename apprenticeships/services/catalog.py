"""Writes of the occupation catalog (platform staff)."""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.errors import Forbidden
from portal.history import with_reason
from portal.models import User
from portal.tenancy import Scope

from ..models import (
    Apprenticeship,
    Occupation,
)
from .signatures import agreements_refresh


def check_may_change_catalog(*, scope: Scope) -> None:
    """Forbidden to anyone but platform staff: the API asks before it reads a new occupation, so
    that such a caller is refused, not coached."""
    if not scope.is_platform_staff:
        raise Forbidden(_("Only platform staff change the occupation catalog."))


def occupation_create(*, scope: Scope, created_by: User, **fields) -> Occupation:
    check_may_change_catalog(scope=scope)
    occupation = Occupation(**fields)
    occupation.full_clean()
    with transaction.atomic():
        with_reason(occupation, "added to the catalog", user=created_by).save()
    return occupation


def occupation_update(*, scope: Scope, occupation: Occupation, changed_by: User, data: dict) -> Occupation:
    check_may_change_catalog(scope=scope)
    for field, value in data.items():
        setattr(occupation, field, value)
    occupation.full_clean()
    with transaction.atomic():
        with_reason(occupation, "updated", user=changed_by).save()
        # Its title and codes are in the agreements of its programs' apprenticeships.
        agreements_refresh(Apprenticeship.objects.filter(program__occupation=occupation), changed_by=changed_by)
    return occupation
