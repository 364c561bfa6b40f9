"""The busiest reads (hour logs, milestones, notifications, progress, the summary) write their
records out field by field instead of through DRF's per-field machinery. Their output must stay
exactly what the declared fields (the OpenAPI schema) say: the same keys, values and formats."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from apprenticeships.models import Apprenticeship, ExitReason
from apprenticeships.selectors import caller_scope
from competencies import reports, selectors
from competencies.api.serializers import HourLogSerializer, MilestoneSerializer, ProgressSerializer, SummarySerializer
from competencies.models import Milestone
from notifications.api.serializers import NotificationSerializer
from portal.api.serializers import instant
from tests import factories

DECIDED = datetime.datetime(2025, 3, 10, 17, 30, 5, 123456, tzinfo=datetime.UTC)


def as_json(data) -> dict:
    return json.loads(JSONRenderer().render(data))


def declared(serializer_class, instance) -> dict:
    """What DRF itself writes from the declared fields."""
    return as_json(serializers.ModelSerializer.to_representation(serializer_class(), instance))


def written_out(serializer_class, instance) -> dict:
    return as_json(serializer_class(instance).data)


@pytest.fixture
def reviewed_log(apprenticeship, employer_a_supervisor):
    return factories.HourLogFactory(
        apprenticeship=apprenticeship,
        hours=Decimal("7.25"),
        status="rejected",
        reviewed_by=employer_a_supervisor,
        reviewed_at=DECIDED,
        review_note="Not a work day",
        description="Built the sign-up form",
    )


def test_an_hour_log_is_written_as_its_declared_fields(apprenticeship, reviewed_log):
    submitted_rti = factories.HourLogFactory(apprenticeship=apprenticeship, kind="rti", course="JavaScript I")

    for log in (reviewed_log, submitted_rti):
        output = written_out(HourLogSerializer, log)
        assert output == declared(HourLogSerializer, log)
        assert list(output) == HourLogSerializer.Meta.fields
    assert written_out(HourLogSerializer, reviewed_log)["hours"] == "7.25"
    assert written_out(HourLogSerializer, submitted_rti)["work_process"] is None


def test_an_hour_log_read_as_a_model_is_written_as_its_list_row(apprenticeship, reviewed_log):
    """A log read as a model (alone, or the 200 of a bulk decision's answer) is written straight
    from the model, a list page's row from the row: the two write the same."""
    submitted_rti = factories.HourLogFactory(apprenticeship=apprenticeship, kind="rti", course="JavaScript I")

    for log in (reviewed_log, submitted_rti):
        assert written_out(HourLogSerializer, log) == written_out(HourLogSerializer, HourLogSerializer.row_of(log))


def test_a_milestone_is_written_as_its_declared_fields(apprenticeship, raps_admin):
    definition = factories.MilestoneDefinitionFactory(program=apprenticeship.program, threshold_hours=Decimal("500"))
    pending = Milestone.objects.create(
        apprenticeship=apprenticeship, definition=definition, reached_at=timezone.now(), basis="ojt=500.00"
    )
    # Another definition: one standing (pending or approved) milestone per definition.
    decided_definition = factories.MilestoneDefinitionFactory(
        program=apprenticeship.program, threshold_hours=Decimal("500")
    )
    approved = Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=decided_definition,
        reached_at=DECIDED,
        status="approved",
        decided_by=raps_admin,
        decided_at=DECIDED,
        note="Well done",
        basis="ojt=501.00",
    )

    completion = Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=factories.MilestoneDefinitionFactory(
            program=apprenticeship.program, kind="completion", threshold_hours=None
        ),
        reached_at=timezone.now(),
    )

    for milestone in (pending, approved, completion):
        output = written_out(MilestoneSerializer, milestone)
        assert output == declared(MilestoneSerializer, milestone)
        assert list(output) == MilestoneSerializer.Meta.fields
    assert written_out(MilestoneSerializer, approved)["threshold_hours"] == "500.00"
    assert written_out(MilestoneSerializer, completion)["threshold_hours"] is None


def test_a_notification_is_written_as_its_declared_fields(apprentice, apprenticeship):
    plain = factories.NotificationFactory(recipient=apprentice)
    about_a_record = factories.NotificationFactory(
        recipient=apprentice,
        link="https://portal.example.org/apprenticeships/1",
        subject_type=ContentType.objects.get_for_model(Apprenticeship),
        subject_id=str(apprenticeship.pk),
        read_at=DECIDED,
    )

    for notification in (plain, about_a_record):
        output = written_out(NotificationSerializer, notification)
        assert output == declared(NotificationSerializer, notification)
        assert list(output) == NotificationSerializer.Meta.fields
    assert written_out(NotificationSerializer, about_a_record)["subject"] == {
        "type": "apprenticeship",
        "id": str(apprenticeship.pk),
    }


def test_progress_is_written_as_its_declared_fields(apprentice, apprenticeship, reviewed_log):
    scope = caller_scope(user=apprentice)
    progress = selectors.apprenticeship_progress(
        apprenticeship=selectors.progress_apprenticeships(scope=scope).get(pk=apprenticeship.pk)
    )
    output = as_json(ProgressSerializer(progress).data)
    generic = as_json(serializers.Serializer.to_representation(ProgressSerializer(), progress))

    precise = ["apprenticeship", "status", "ojt", "rti", "work_processes", "competencies"]
    assert {key: output[key] for key in precise} == {key: generic[key] for key in precise}
    assert list(output) == list(ProgressSerializer().fields)
    assert output["work_processes"]
    assert output["ojt"]["required"].endswith(".00")


def test_the_summary_is_written_as_its_declared_fields(sponsor, apprenticeship, other_apprenticeship):
    summary = reports.summary(sponsor_id=sponsor.pk)
    output = as_json(SummarySerializer(summary).data)

    assert output == as_json(serializers.Serializer.to_representation(SummarySerializer(), summary))
    assert len(output["by_employer"]) == 2


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "UTC", "Asia/Kolkata"])
def test_an_instant_is_written_as_drfs_datetime_field_writes_it(zone):
    drf = serializers.DateTimeField()
    values = [
        DECIDED,
        datetime.datetime(2026, 7, 1, 0, 0, tzinfo=datetime.UTC),  # summer time in Los Angeles
        datetime.datetime(2026, 1, 1, 8, 0, 0, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
    ]
    with timezone.override(zone):
        for value in values:
            assert instant(value) == drf.to_representation(value)
        assert instant(None) is None
    with timezone.override("UTC"):
        assert instant(DECIDED) == "2025-03-10T17:30:05.123456Z"


@pytest.mark.parametrize(
    ("zone", "reviewed_at"),
    [("UTC", "2025-03-10T17:30:05.123456Z"), ("Asia/Kolkata", "2025-03-10T23:00:05.123456+05:30")],
)
def test_a_page_of_records_is_written_in_the_time_zone_current_when_it_is_written(zone, reviewed_at, reviewed_log):
    """A serializer reads the current time zone once for all its records (WrittenOut): the one
    current when the response is written, as DRF's fields would."""
    with timezone.override(zone):
        page = as_json(HourLogSerializer([reviewed_log, reviewed_log], many=True).data)
        alone = declared(HourLogSerializer, reviewed_log)
    assert page == [alone, alone]
    assert page[0]["reviewed_at"] == reviewed_at


def test_a_listed_hour_log_is_written_as_the_same_log_read_alone(
    client_for, employer_a_supervisor, apprenticeship, reviewed_log
):
    """A page of logs is read as rows, not models: each listed log is what its own URL shows."""
    submitted = factories.HourLogFactory(apprenticeship=apprenticeship, kind="rti", course="JavaScript I")
    client = client_for(employer_a_supervisor)

    listed = {row["id"]: row for row in client.get("/api/v1/hour-logs/").json()["results"]}

    assert set(listed) == {str(reviewed_log.id), str(submitted.id)}
    for log in (reviewed_log, submitted):
        assert listed[str(log.id)] == client.get(f"/api/v1/hour-logs/{log.id}/").json()
    assert listed[str(reviewed_log.id)]["reviewed_by"]["name"] == employer_a_supervisor.display_name
    assert listed[str(submitted.id)]["reviewed_by"] is None


def test_a_listed_milestone_is_written_as_the_same_milestone_read_alone(client_for, apprenticeship, raps_admin):
    """A page of milestones is read as rows, not models: each is what its own URL shows."""
    definition = factories.MilestoneDefinitionFactory(
        program=apprenticeship.program, threshold_hours=None, kind="completion"
    )
    hours = factories.MilestoneDefinitionFactory(program=apprenticeship.program, threshold_hours=Decimal("500"))
    pending = Milestone.objects.create(apprenticeship=apprenticeship, definition=definition, reached_at=timezone.now())
    approved = Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=hours,
        reached_at=DECIDED,
        status="approved",
        decided_by=raps_admin,
        decided_at=DECIDED,
        note="Well done",
    )
    client = client_for(raps_admin)

    listed = {row["id"]: row for row in client.get("/api/v1/milestones/").json()["results"]}

    assert set(listed) == {str(pending.id), str(approved.id)}
    for milestone in (pending, approved):
        assert listed[str(milestone.id)] == client.get(f"/api/v1/milestones/{milestone.id}/").json()
    assert listed[str(approved.id)]["threshold_hours"] == "500.00"
    assert listed[str(pending.id)]["threshold_hours"] is None


def _apprenticeship_as(serializer_class, instance, *, personal: bool, sponsor_admin: bool):
    context = {"may_read_personal": lambda _a: personal, "is_sponsor_admin": lambda _a: sponsor_admin}
    written = as_json(serializer_class(instance, context=context).data)
    drf = as_json(serializers.ModelSerializer.to_representation(serializer_class(context=context), instance))
    return written, drf


def test_an_apprenticeship_is_written_as_its_declared_fields(apprenticeship, other_apprenticeship, raps_admin):
    from apprenticeships.api.serializers import ApprenticeshipSerializer
    from apprenticeships.selectors import apprenticeship_list

    apprenticeship.mentor = raps_admin
    apprenticeship.ojt_credit_hours, apprenticeship.credit_basis = Decimal("120.5"), "A year of help-desk work"
    apprenticeship.save()
    registration = apprenticeship.registration
    registration.prior_wage, registration.wioa_participant, registration.middle_name = Decimal("18.5"), True, "Q"
    registration.save()
    factories.put_in_status(
        other_apprenticeship,
        "cancelled",
        ended_on=datetime.date(2025, 6, 30),
        exit_reason=ExitReason.values[0],
        cancellation_reason="Moved away",
    )
    rows = {row.pk: row for row in apprenticeship_list(scope=caller_scope(user=raps_admin))}
    assert set(rows) >= {apprenticeship.pk, other_apprenticeship.pk}

    for row in (rows[apprenticeship.pk], rows[other_apprenticeship.pk]):
        for personal, sponsor_admin in ((True, True), (True, False), (False, False)):
            written, drf = _apprenticeship_as(
                ApprenticeshipSerializer, row, personal=personal, sponsor_admin=sponsor_admin
            )
            assert written == drf
            assert list(written) == ApprenticeshipSerializer.Meta.fields
    written, _ = _apprenticeship_as(
        ApprenticeshipSerializer, rows[apprenticeship.pk], personal=True, sponsor_admin=True
    )
    assert (written["ojt_credit_hours"], written["registration"]["prior_wage"]) == ("120.50", "18.50")
    assert written["registration"]["date_of_birth"] == "2000-05-17"
    assert written["ssn_masked"] == "***-**-6789"
    names_only, _ = _apprenticeship_as(
        ApprenticeshipSerializer, rows[apprenticeship.pk], personal=False, sponsor_admin=False
    )
    assert names_only["registration"] == {
        "first_name": "Ari",
        "middle_name": "Q",
        "last_name": "Apprentice",
        "suffix": "",
    }
    assert names_only["ssn_masked"] is None


def test_a_review_queue_item_is_written_as_its_declared_fields(apprenticeship, employer_a_supervisor, raps_admin):
    from competencies.api.serializers import ReviewQueueItemSerializer

    log = factories.HourLogFactory(apprenticeship=apprenticeship, hours=Decimal("7.5"), description="Forms")
    rti = factories.HourLogFactory(apprenticeship=apprenticeship, kind="rti", course="JavaScript I")
    definition = factories.MilestoneDefinitionFactory(program=apprenticeship.program, threshold_hours=Decimal("500"))
    reached = Milestone.objects.create(
        apprenticeship=apprenticeship, definition=definition, reached_at=DECIDED, basis="ojt=500.00"
    )
    completion = Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=factories.MilestoneDefinitionFactory(
            program=apprenticeship.program, kind="completion", threshold_hours=None
        ),
        reached_at=timezone.now(),
    )
    rows = [(item.pk, kind, item.created_at) for item, kind in ((log, "hour_log"), (rti, "hour_log"))] + [
        (item.pk, "milestone", item.reached_at) for item in (reached, completion)
    ]
    items = selectors.review_queue_items(rows)
    for item in items:
        item["actions"] = {"approve": f"/x/{item['id']}/approve/", "reject": f"/x/{item['id']}/reject/"}
    assert len(items) == 4

    for item in items:
        written = as_json(ReviewQueueItemSerializer(item).data)
        assert written == as_json(serializers.Serializer.to_representation(ReviewQueueItemSerializer(), item))
        assert list(written) == list(ReviewQueueItemSerializer().fields)
    assert as_json(ReviewQueueItemSerializer(items[0]).data)["hour_log"]["hours"] == "7.50"
    assert as_json(ReviewQueueItemSerializer(items[1]).data)["hour_log"]["work_process"] is None
    assert as_json(ReviewQueueItemSerializer(items[2]).data)["milestone"]["threshold_hours"] == "500.00"
    assert as_json(ReviewQueueItemSerializer(items[3]).data)["milestone"]["threshold_hours"] is None
