"""Completing an apprenticeship leaves nothing to decide: approving its completion milestone
closes every other pending milestone as superseded, with the reason in its note and history;
decisions already taken stay as they were."""

import pytest
from django.db import IntegrityError

from competencies.models import Milestone
from tests.milestone_flow.helpers import milestones_of


def test_approving_completion_supersedes_every_other_pending_milestone_with_its_reason(
    raps_admin, apprenticeship, completed
):
    assert sorted(milestones_of(apprenticeship)) == [
        ("Completion", "approved"),
        ("Halfway", "rejected"),
        ("Probation complete", "approved"),
        ("Wage step 2", "approved"),
        ("Wage step 3", "superseded"),
    ]
    superseded = Milestone.objects.get(pk=completed["Wage step 3"].pk)
    assert superseded.note == "Superseded: the apprenticeship was completed (its completion milestone was approved)."
    assert (superseded.decided_by, superseded.decided_at) == (None, None)  # closed, not decided
    entry = superseded.history.first()
    assert entry.history_change_reason == "superseded: apprenticeship completed"
    assert entry.history_user == raps_admin
    rejected = Milestone.objects.get(pk=completed["Halfway"].pk)
    assert rejected.note == "Log audit"


def test_a_superseded_milestone_says_why_in_the_database(apprenticeship, completed):
    with pytest.raises(IntegrityError):
        Milestone.objects.filter(pk=completed["Wage step 3"].pk).update(note="")
