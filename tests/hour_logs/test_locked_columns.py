"""The writes of hours lock the apprenticeship reading only the columns they use
(competencies/services.py, _LOCKED_COLUMNS): a column left out would cost a query of its own each
time it is read. Each write below, through the rules, the running totals, the notices and the
milestones it reaches, reads no column a second time."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import models

from apprenticeships.models import Competency
from competencies import services
from competencies.models import HourLog
from competencies.services import HourEntry
from tests.hour_logs.records import scope_of
from tests.milestone_flow.helpers import give_credit_quietly


@pytest.fixture
def columns_read_later(monkeypatch):
    """Every column that a model read without it loads on its own (Django's deferred loading)."""
    loaded = []
    refresh = models.Model.refresh_from_db

    def record(self, using=None, fields=None, **kwargs):
        loaded.append((type(self).__name__, tuple(fields or ())))
        return refresh(self, using=using, fields=fields, **kwargs)

    monkeypatch.setattr(models.Model, "refresh_from_db", record)
    return loaded


def entry(apprenticeship, *, kind="ojt", work_process=None, day=date(2025, 3, 3), hours="8"):
    return HourEntry(
        apprenticeship_id=apprenticeship.pk,
        date=day,
        hours=Decimal(hours),
        kind=kind,
        work_process=str(work_process.pk) if work_process else None,
        course="" if work_process else "JavaScript I",
    )


def test_an_apprentices_submissions_of_ojt_and_of_rti(columns_read_later, apprentice, apprenticeship, front_end):
    services.hour_log_create(
        scope=scope_of(apprentice), logged_by=apprentice, entry=entry(apprenticeship, work_process=front_end)
    )
    services.hour_log_create(scope=scope_of(apprentice), logged_by=apprentice, entry=entry(apprenticeship, kind="rti"))

    assert columns_read_later == []


def test_staff_logging_hours_that_reach_a_milestone(
    columns_read_later, employer_a_supervisor, raps_admin, apprenticeship, front_end
):
    give_credit_quietly(apprenticeship, ojt=496)

    services.hour_log_create(
        scope=scope_of(employer_a_supervisor),
        logged_by=employer_a_supervisor,
        entry=entry(apprenticeship, work_process=front_end),
    )
    services.hour_log_create(scope=scope_of(raps_admin), logged_by=raps_admin, entry=entry(apprenticeship, kind="rti"))

    assert apprenticeship.milestones.filter(definition__name="Probation complete", status="pending").exists()
    assert columns_read_later == []


def test_an_edit_an_approval_a_rejection_and_a_void(
    columns_read_later, apprentice, employer_a_supervisor, apprenticeship, front_end
):
    submit = services.hour_log_create
    first, second = (
        submit(
            scope=scope_of(apprentice),
            logged_by=apprentice,
            entry=entry(apprenticeship, work_process=front_end, day=day),
        )
        for day in (date(2025, 3, 3), date(2025, 3, 4))
    )
    staff = scope_of(employer_a_supervisor)

    services.hour_log_update(
        scope=scope_of(apprentice), log=first, changed_by=apprentice, changes={"hours": Decimal("7.5")}
    )
    services.hour_log_approve(scope=staff, log=first, reviewer=employer_a_supervisor)
    services.hour_log_reject(scope=staff, log=second, reviewer=employer_a_supervisor, reason="Not that day.")
    services.hour_log_void(
        scope=staff, log=HourLog.objects.get(pk=first.pk), voided_by=employer_a_supervisor, reason="Twice."
    )

    assert columns_read_later == []


def test_a_sign_off(columns_read_later, employer_a_supervisor, apprenticeship):
    competency = Competency.objects.filter(work_process__program=apprenticeship.program).first()

    services.competency_sign_off(
        scope=scope_of(employer_a_supervisor),
        apprenticeship=apprenticeship,
        competency=competency,
        signed_off_by=employer_a_supervisor,
        rating="proficient",
    )

    assert columns_read_later == []
