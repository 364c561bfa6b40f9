"""A migration that adds a "one at a time" constraint to a database already holding doubles
(written by a race before the constraint existed) stops, names them and changes nothing; once
they are resolved it runs. The migrations are found by the constraint they add, whatever their
number."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import AddConstraint
from django.utils import timezone

from apprenticeships.models import OPEN_STATUSES, Apprenticeship
from apprenticeships.selectors import caller_scope
from apprenticeships.services import apprenticeship_transition
from competencies.models import Milestone
from tests import factories


def _adding(constraint: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """(the migration that adds `constraint`, the one before it in its app)."""
    executor = MigrationExecutor(connection)
    for key, migration in executor.loader.disk_migrations.items():
        if any(isinstance(op, AddConstraint) and op.constraint.name == constraint for op in migration.operations):
            parent = next(dep for dep in migration.dependencies if dep[0] == key[0])
            return key, parent
    raise AssertionError(f"no migration adds {constraint}")


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def before(request):
    """The database as it was before the migration adding the constraint: the constraint dropped
    and the migration recorded as not applied, every other migration (later ones included) left
    as it is, so that the current models write the doubles. Back to the latest after."""

    def go(constraint):
        migration, _parent = _adding(constraint)
        executor = MigrationExecutor(connection)
        (operation,) = [
            op
            for op in executor.loader.disk_migrations[migration].operations
            if isinstance(op, AddConstraint) and op.constraint.name == constraint
        ]
        with connection.schema_editor() as editor:
            editor.remove_constraint(apps.get_model(migration[0], operation.model_name), operation.constraint)
        executor.recorder.record_unapplied(*migration)
        request.addfinalizer(_migrate_to_latest)
        return migration

    return go


@pytest.mark.django_db(transaction=True)
def test_two_open_apprenticeships_in_one_program_stop_the_migration_until_one_is_cancelled(
    before, apprenticeship, employer_b, raps_admin
):
    migration = before("apprenticeship_one_open_per_apprentice_program")
    double = factories.ApprenticeshipFactory(
        apprentice=apprenticeship.apprentice, program=apprenticeship.program, employer=employer_b
    )

    with pytest.raises(RuntimeError) as stopped:
        _migrate(migration)

    assert str(apprenticeship.pk) in str(stopped.value)
    assert str(double.pk) in str(stopped.value)
    assert Apprenticeship.objects.filter(pk__in=[apprenticeship.pk, double.pk], status__in=OPEN_STATUSES).count() == 2
    apprenticeship_transition(
        scope=caller_scope(user=raps_admin),
        apprenticeship=double,
        to="cancelled",
        reason="registered twice",
        changed_by=raps_admin,
        exit_reason="other",
    )
    _migrate(migration)


@pytest.mark.django_db(transaction=True)
def test_a_pending_milestone_beside_an_approved_one_stops_the_migration_until_it_is_rejected(
    before, apprenticeship, raps_admin
):
    migration = before("milestone_one_standing_per_definition")
    definition = apprenticeship.program.milestone_definitions.first()
    now = timezone.now()
    approved = Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=definition,
        reached_at=now,
        status="approved",
        decided_by=raps_admin,
        decided_at=now,
    )
    pending = Milestone.objects.create(apprenticeship=apprenticeship, definition=definition, reached_at=now)

    with pytest.raises(RuntimeError) as stopped:
        _migrate(migration)

    assert f"{approved.pk} (approved)" in str(stopped.value)
    assert f"{pending.pk} (pending)" in str(stopped.value)
    Milestone.objects.filter(pk=pending.pk).update(
        status="rejected", note="repeats a decision", decided_by=raps_admin, decided_at=now
    )
    _migrate(migration)
