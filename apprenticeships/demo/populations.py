"""Demo data of the demo sponsor's priority populations, defined by its RAPS admin."""

from portal.demo import demo_loader
from sponsors.demo import demo_sponsor

from ..selectors import caller_scope

# The demo sponsor's priority populations: ZIP codes of the demo's neighbourhoods south of
# downtown, and veterans (the summary's `outcomes.priority_populations`).
DEMO_POPULATIONS = [
    {
        "name": "South LA and Compton",
        "description": "Residents of the ZIP codes the county's workforce plan names first.",
        "criterion": "zip_code_in",
        "values": ["90805", "90220", "90301"],
    },
    {"name": "Veterans", "description": "", "criterion": "veteran", "values": []},
    {
        "name": "New hires",
        "description": "Not employed by the employer before.",
        "criterion": "employment_status_in",
        "values": ["NE"],
    },
]


# 38: after the agreement awaiting the employer (37); see apprenticeships/demo/agreements.py.
@demo_loader(order=38)
def load_priority_populations():
    """Defined by the RAPS admin, as `POST priority-populations/` does."""
    from sponsors.models import Membership

    from ..models import PriorityPopulation
    from ..services import population_create

    sponsor = demo_sponsor()
    if PriorityPopulation.objects.filter(sponsor=sponsor).exists():
        return []
    admin_membership = Membership.objects.filter(sponsor=sponsor, role="raps_admin").select_related("user").first()
    assert admin_membership is not None, "the sponsors' demo data has its RAPS admin"
    admin = admin_membership.user
    for population in DEMO_POPULATIONS:
        population_create(scope=caller_scope(user=admin), created_by=admin, sponsor_id=sponsor.pk, **population)
    return []
