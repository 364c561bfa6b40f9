"""A milestone carries its apprenticeship's program and employer, so that a sponsor's or an
employer's milestones are found by their own columns. The database holds the copy equal to the
apprenticeship's, and the definition to one of that program's (checked at commit)."""

import pytest
from django.db import IntegrityError, connection, transaction

from competencies.models import Milestone
from tests import factories
from tests.milestones.conftest import reach


def test_a_milestone_copies_its_apprenticeships_program_and_employer(apprenticeship, definitions):
    milestone = reach(apprenticeship, definitions["Halfway"])

    stored = Milestone.objects.get(pk=milestone.pk)
    assert (stored.program_id, stored.employer_id) == (apprenticeship.program_id, apprenticeship.employer_id)


def test_the_database_refuses_a_milestone_whose_employer_is_not_its_apprenticeships(
    apprenticeship, definitions, employer_b
):
    milestone = reach(apprenticeship, definitions["Halfway"])
    with transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(employer=employer_b)
        with pytest.raises(IntegrityError):
            connection.check_constraints()  # what COMMIT checks
        transaction.set_rollback(True)


def test_the_database_refuses_a_milestone_of_another_programs_definition(apprenticeship, sponsor):
    other_program = factories.ProgramFactory(sponsor=sponsor)
    foreign = factories.MilestoneDefinitionFactory(program=other_program)
    with transaction.atomic():
        Milestone.objects.create(apprenticeship=apprenticeship, definition=foreign, reached_at="2026-01-05T10:00Z")
        with pytest.raises(IntegrityError):
            connection.check_constraints()
        transaction.set_rollback(True)


def test_a_milestone_that_names_its_program_to_match_another_definition_is_refused(apprenticeship, sponsor):
    """Naming the definition's program instead of the apprenticeship's does not get round it."""
    other_program = factories.ProgramFactory(sponsor=sponsor)
    foreign = factories.MilestoneDefinitionFactory(program=other_program)
    with transaction.atomic():
        Milestone.objects.create(
            apprenticeship=apprenticeship,
            definition=foreign,
            program=other_program,
            employer_id=apprenticeship.employer_id,
            reached_at="2026-01-05T10:00Z",
        )
        with pytest.raises(IntegrityError):
            connection.check_constraints()
        transaction.set_rollback(True)
