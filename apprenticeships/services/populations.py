"""Writes of a sponsor's priority populations (its RAPS administrators): added, changed, made
inactive; never deleted, so that the history says what a past summary counted."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.constraints import refused_as
from portal.errors import Forbidden
from portal.history import with_reason
from portal.models import User
from portal.tenancy import Scope
from sponsors.selectors import sponsor_acted_for

from ..models import PriorityPopulation


def _name_taken() -> ValidationError:
    return ValidationError({"name": [_("The sponsor has an active population of this name.")]})


def check_may_manage_populations(*, scope: Scope) -> None:
    """Forbidden to anyone but RAPS administrators, asked before the body is read."""
    if not scope.admin_sponsor_ids:
        raise Forbidden(_("Only RAPS administrators define priority populations."))


def _saved(population: PriorityPopulation, reason: str, user: User) -> PriorityPopulation:
    population.full_clean(validate_constraints=False)
    taken = PriorityPopulation.objects.filter(sponsor_id=population.sponsor_id, name=population.name, active=True)
    if population.active and taken.exclude(pk=population.pk).exists():
        raise _name_taken()
    # Two at once past the check: the constraint refuses the second, answered as the check is.
    with refused_as({"priority_population_active_name_unique": _name_taken}):
        with_reason(population, reason, user=user).save()
    return population


def population_create(*, scope: Scope, created_by: User, sponsor_id=None, **fields) -> PriorityPopulation:
    """A new priority population of the sponsor the RAPS admin writes for."""
    check_may_manage_populations(scope=scope)
    sponsor = sponsor_acted_for(scope=scope, sponsor_id=sponsor_id)
    return _saved(PriorityPopulation(sponsor=sponsor, **fields), "priority population defined", created_by)


def population_update(
    *, scope: Scope, population: PriorityPopulation, changed_by: User, data: dict
) -> PriorityPopulation:
    """Change a population (its name, criterion, values) or make it inactive (`active`: false)."""
    if not scope.is_raps_admin(population.sponsor_id):
        raise Forbidden(_("Only the sponsor's RAPS administrators change its priority populations."))
    changed = {field: value for field, value in data.items() if getattr(population, field) != value}
    if not changed:
        return population
    for field, value in changed.items():
        setattr(population, field, value)
    reason = "priority population made inactive" if changed.get("active") is False else "priority population changed"
    return _saved(population, reason, changed_by)
