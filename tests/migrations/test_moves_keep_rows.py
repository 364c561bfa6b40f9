"""The re-cut moved the running totals and the milestones from the apprenticeships app to the
competencies app: migrating a database of the earlier layout keeps every row, and a notification
about a milestone still finds it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from competencies.models import HourTotals, Milestone, WorkProcessTotal
from notifications.models import Notification
from tests import factories

BEFORE = [("apprenticeships", "0011_milestone_copy_program_employer"), ("competencies", "0003_hour_log_employer")]
MOVED = ["milestone", "historicalmilestone", "hourtotals", "workprocesstotal"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _tables():
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_migrating_from_the_earlier_layout_keeps_every_row_and_every_subject(apprenticeship, raps_admin):
    definition = factories.MilestoneDefinitionFactory(program=apprenticeship.program)
    milestone = Milestone.objects.create(
        apprenticeship=apprenticeship, definition=definition, reached_at=timezone.now(), basis="ojt=1000.00"
    )
    told = factories.NotificationFactory(
        recipient=raps_admin, subject_type=ContentType.objects.get_for_model(milestone), subject_id=str(milestone.pk)
    )
    process = apprenticeship.program.work_processes.first()
    WorkProcessTotal.objects.create(apprenticeship=apprenticeship, work_process=process, approved_hours=8)
    before = {
        "totals": list(HourTotals.objects.values_list("apprenticeship_id", "status", "ojt_approved")),
        "milestones": list(Milestone.objects.values_list("id", "status", "basis")),
        "history": Milestone.history.count(),
        "process totals": list(WorkProcessTotal.objects.values_list("apprenticeship_id", "approved_hours")),
    }

    try:
        _migrate(BEFORE)
        assert {"apprenticeships_milestone", "apprenticeships_hourtotals"} <= _tables()
        assert "competencies_milestone" not in _tables()
        # As a database of the earlier layout has them: the moved models' content types were the
        # apprenticeships app's.
        ContentType.objects.filter(app_label="competencies", model__in=MOVED).update(app_label="apprenticeships")
    finally:
        call_command("migrate", verbosity=0)
    ContentType.objects.clear_cache()

    assert {"competencies_milestone", "competencies_hourtotals", "competencies_workprocesstotal"} <= _tables()
    assert not {"apprenticeships_milestone", "apprenticeships_hourtotals"} & _tables()
    after = {
        "totals": list(HourTotals.objects.values_list("apprenticeship_id", "status", "ojt_approved")),
        "milestones": list(Milestone.objects.values_list("id", "status", "basis")),
        "history": Milestone.history.count(),
        "process totals": list(WorkProcessTotal.objects.values_list("apprenticeship_id", "approved_hours")),
    }
    assert after == before
    assert Notification.objects.get(pk=told.pk).subject == milestone
    assert not ContentType.objects.filter(app_label="apprenticeships", model__in=MOVED).exists()
