"""A notification is written in the transaction of its event: an event that rolls back leaves no
notification and sends no e-mail."""

import pytest
from django.core import mail
from django.db import transaction

from competencies.models import HourLog
from competencies.services import hour_log_approve, milestone_approve
from notifications.models import Notification
from tests import factories
from tests.hour_logs.records import scope_of
from tests.milestone_flow.helpers import apprenticeship_url, give_credit_quietly, milestone_url
from tests.notifications.helpers import EMPLOYER_A_STAFF


def test_a_bulk_request_with_one_bad_item_writes_no_notification(
    client_for, everyone, apprentice, ojt, django_capture_on_commit_callbacks
):
    items = [ojt(date="2025-03-03"), ojt(date="2025-03-04"), ojt(date="2025-03-05", hours="7.30")]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(apprentice).post("/api/v1/hour-logs/bulk/", items, format="json")

    assert response.status_code == 400
    assert response.json()["items"][:2] == [{}, {}]
    assert not HourLog.objects.exists()
    assert not Notification.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_a_bulk_request_that_breaks_the_daily_limit_together_writes_no_notification(
    client_for, everyone, employer_a_supervisor, ojt, django_capture_on_commit_callbacks
):
    items = [ojt(hours="16"), ojt(hours="16")]  # 32 h on one day

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(employer_a_supervisor).post("/api/v1/hour-logs/bulk/", items, format="json")

    assert response.status_code == 400
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_same_bulk_request_without_the_bad_item_notifies_and_emails(
    client_for, everyone, apprentice, ojt, django_capture_on_commit_callbacks
):
    items = [ojt(date="2025-03-03"), ojt(date="2025-03-04")]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(apprentice).post("/api/v1/hour-logs/bulk/", items, format="json")

    assert response.status_code == 201
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == EMPLOYER_A_STAFF
    assert sorted(message.to[0] for message in mail.outbox) == sorted(EMPLOYER_A_STAFF)


def test_an_approval_whose_transaction_rolls_back_leaves_no_notification_and_sends_nothing(
    everyone, apprentice, employer_a_supervisor, ojt, log_as, django_capture_on_commit_callbacks
):
    log = HourLog.objects.get(pk=log_as(apprentice, ojt())["id"])
    Notification.objects.all().delete()  # the submission's own

    written_inside = []

    def approve_then_fail():
        with transaction.atomic():
            hour_log_approve(scope=scope_of(employer_a_supervisor), log=log, reviewer=employer_a_supervisor)
            written_inside.extend(Notification.objects.filter(event="hours_approved"))
            raise RuntimeError("the request failed after the approval")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        approve_then_fail()

    assert [n.recipient.email for n in written_inside] == ["apprentice@example.org"]  # written with the event...

    assert not Notification.objects.exists()  # ...and gone with it
    assert mail.outbox == []
    log.refresh_from_db()
    assert log.status == "submitted"


def test_a_milestone_approval_whose_transaction_rolls_back_leaves_no_notification(
    client_for, everyone, raps_admin, apprenticeship, django_capture_on_commit_callbacks
):
    client_for(raps_admin).patch(
        apprenticeship_url(apprenticeship),
        {"ojt_credit_hours": "500", "credit_basis": "Prior experience on file"},
        format="json",
    )
    milestone = apprenticeship.milestones.get()
    before = Notification.objects.count()

    def approve_then_fail():
        with transaction.atomic():
            milestone_approve(scope=scope_of(raps_admin), milestone=milestone, decided_by=raps_admin)
            raise RuntimeError("the request failed after the decision")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        approve_then_fail()

    assert Notification.objects.count() == before
    assert not Notification.objects.filter(event="milestone_approved").exists()
    assert mail.outbox == []


def test_a_refused_completion_writes_no_notification(
    client_for, everyone, raps_admin, employer_a_supervisor, apprenticeship, program
):
    """The completion milestone is approved (saved) before the apprenticeship's state refuses it:
    the whole decision rolls back, its notifications with it."""
    factories.MilestoneDefinitionFactory(program=program, name="Completion", kind="completion", threshold_hours=None)
    as_admin = client_for(raps_admin)
    # Every hour credited (more than a registration may credit: set straight in the database).
    give_credit_quietly(apprenticeship, ojt="2000", rti="180")
    for process in program.work_processes.all():
        for competency in process.competencies.all():
            client_for(employer_a_supervisor).post(
                "/api/v1/competency-signoffs/",
                {"apprenticeship": str(apprenticeship.id), "competency": str(competency.id), "rating": "expert"},
            )
    as_admin.post(apprenticeship_url(apprenticeship, "transition"), {"to": "suspended", "reason": "Leave"})
    completion = apprenticeship.milestones.get(definition__name="Completion")
    before = set(Notification.objects.values_list("pk", flat=True))

    response = as_admin.post(milestone_url(completion, "approve"))

    assert response.status_code == 409
    assert set(Notification.objects.values_list("pk", flat=True)) == before
