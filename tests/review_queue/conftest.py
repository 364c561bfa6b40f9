"""Fixtures of the review-queue tests: the milestone tests' definitions and the other sponsor's
apprenticeship."""

from tests.milestones import conftest as milestones

definitions, other_sponsors_apprenticeship = milestones.definitions, milestones.other_sponsors_apprenticeship
