"""The demo data has a completed apprenticeship with nothing left to decide: its graduate's
milestones still pending at completion are superseded and visible, and the wage step is the last
one reached."""

import io

import pytest
from django.core.management import call_command

from apprenticeships.models import Apprenticeship
from competencies.models import Milestone
from portal.models import User
from tests.milestone_flow.helpers import MILESTONES


@pytest.mark.django_db
def test_the_demo_graduate_has_no_pending_milestone_and_the_superseded_ones_are_visible(client_for):
    call_command("load_demo", stdout=io.StringIO())
    graduate = Apprenticeship.objects.get(apprentice__email="graduate@demo.example")
    as_admin = client_for(User.objects.get(email="raps.admin@demo.example"))

    pending = as_admin.get(MILESTONES, {"status": "pending", "apprenticeship": str(graduate.id)}).json()
    superseded = as_admin.get(MILESTONES, {"status": "superseded", "apprenticeship": str(graduate.id)}).json()

    assert graduate.status == "completed"
    assert pending["count"] == 0
    assert superseded["count"] >= 1
    assert graduate.current_wage_step == graduate.program.wage_steps.order_by("starts_at_ojt_hours").last()
    # Every pending milestone of the demo is one somebody can still decide.
    assert (
        not Milestone.objects.filter(status="pending")
        .exclude(apprenticeship__status__in=["registered", "active", "suspended"])
        .exists()
    )
