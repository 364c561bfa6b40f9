"""Fixtures of the milestone list tests: milestones stored directly (how they are reached is
tests/milestone_flow's), on apprenticeships of every scope."""

import datetime

import pytest
from django.utils import timezone

from competencies.models import Milestone
from tests import factories

MILESTONES = "/api/v1/milestones/"


def reach(apprenticeship, definition, *, status="pending", decided_by=None, days_ago=0):
    """A milestone of `definition` reached by `apprenticeship`, stored directly; a decided one
    names who decided and when (a rejection says why)."""
    decided = status in ("approved", "rejected")
    return Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=definition,
        reached_at=timezone.now() - datetime.timedelta(days=days_ago),
        status=status,
        decided_by=decided_by if decided else None,
        decided_at=timezone.now() if decided else None,
        note="Hours not yet verified" if status == "rejected" else "",
    )


@pytest.fixture
def definitions(program):
    return {definition.name: definition for definition in program.milestone_definitions.all()}


@pytest.fixture
def other_sponsors_apprenticeship(other_sponsor, employer_c):
    """An apprenticeship in the other sponsor's program at employer C, with its own milestone
    definition."""
    program = factories.ProgramFactory(sponsor=other_sponsor)
    factories.MilestoneDefinitionFactory(program=program, name="Other halfway", kind="ojt_hours", threshold_hours=1000)
    return factories.ApprenticeshipFactory(program=program, employer=employer_c)


@pytest.fixture
def milestones(apprenticeship, other_apprenticeship, other_sponsors_apprenticeship, definitions, raps_admin):
    """The apprentice's three milestones at employer A (pending, approved, rejected), one pending
    at employer B, one pending at the other sponsor."""
    return {
        "a_pending": reach(apprenticeship, definitions["Halfway"], days_ago=1),
        "a_approved": reach(
            apprenticeship, definitions["Probation complete"], status="approved", decided_by=raps_admin, days_ago=30
        ),
        "a_rejected": reach(
            apprenticeship, definitions["Halfway"], status="rejected", decided_by=raps_admin, days_ago=10
        ),
        "b_pending": reach(other_apprenticeship, definitions["Probation complete"], days_ago=2),
        "other_sponsor_pending": reach(
            other_sponsors_apprenticeship,
            other_sponsors_apprenticeship.program.milestone_definitions.get(),
            days_ago=3,
        ),
    }
