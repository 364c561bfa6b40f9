"""The task enqueued at commit and the sweep may run at the same moment: each document is filed
once all the same (the apprenticeship's lock; one credential per work process, a constraint).
These commit for real, in their own directory (tests/races/helpers.py says why)."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from apprenticeships.models import Apprenticeship, Document
from competencies.models import CompetencySignOff, HourLog, HourTotals, InterimCredential
from competencies.packet import services
from competencies.services import hour_totals_recompute
from tests.races.helpers import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_runs_at_once_file_one_packet(apprenticeship):
    with transaction.atomic():  # the running totals copy the status (checked at commit)
        Apprenticeship.objects.filter(pk=apprenticeship.pk).update(
            status="completed", ended_on=datetime.date(2026, 11, 30), status_changed_on=datetime.date(2026, 11, 30)
        )
        HourTotals.objects.filter(apprenticeship=apprenticeship).update(status="completed")
    outcomes = at_once(
        lambda: services.packet_issue(apprenticeship_id=apprenticeship.pk),
        lambda: services.packet_issue(apprenticeship_id=apprenticeship.pk),
    )
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    kinds = sorted(Document.objects.filter(apprenticeship=apprenticeship).values_list("kind", flat=True))
    assert kinds == ["completion_application", "transcript"]


def test_two_runs_at_once_issue_one_credential(apprenticeship, employer_a_supervisor):
    front_end = apprenticeship.program.work_processes.get(title="Front end")
    HourLog.objects.bulk_create(
        HourLog(
            apprenticeship=apprenticeship,
            employer_id=apprenticeship.employer_id,
            date=apprenticeship.start_date + datetime.timedelta(days=day),
            hours=Decimal("8"),
            kind="ojt",
            work_process=front_end,
            logged_by=employer_a_supervisor,
            reviewed_by=employer_a_supervisor,
            reviewed_at=timezone.now(),
            status="approved",
        )
        for day in range(150)
    )
    for competency in front_end.competencies.all():
        CompetencySignOff.objects.create(
            apprenticeship=apprenticeship,
            competency=competency,
            signed_off_by=employer_a_supervisor,
            signed_off_at=timezone.now(),
            rating="proficient",
        )
    hour_totals_recompute(apprenticeship=apprenticeship)
    outcomes = at_once(
        lambda: services.credentials_issue_due(apprenticeship_id=apprenticeship.pk),
        lambda: services.credentials_issue_due(apprenticeship_id=apprenticeship.pk),
    )
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert sorted(len(outcome) for outcome in outcomes) == [0, 1]
    assert InterimCredential.objects.filter(apprenticeship=apprenticeship).count() == 1
    assert Document.objects.filter(apprenticeship=apprenticeship, kind="credential").count() == 1
