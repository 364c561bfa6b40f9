"""The review queue and the bulk decisions as the API reads and writes them."""

from functools import cached_property

from django.utils import timezone
from rest_framework import serializers

from portal.api.fields import DecimalField
from portal.api.serializers import instant


class QueuePersonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    email = serializers.EmailField()


class QueueNamedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()


class QueueEmployerSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class QueueHourLogSerializer(serializers.Serializer):
    """What a submitted log asks."""

    date = serializers.DateField()
    hours = DecimalField(max_digits=4, decimal_places=2)
    kind = serializers.CharField()
    work_process = QueueNamedSerializer(allow_null=True, help_text="OJT: its work process; RTI: null.")
    course = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)


class QueueMilestoneSerializer(serializers.Serializer):
    """What a pending milestone asks: its definition, and the figures that reached it."""

    name = serializers.CharField()
    kind = serializers.CharField()
    threshold_hours = DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    basis = serializers.CharField(allow_blank=True, help_text='The figures that reached it ("ojt=1000.00").')


class QueueActionsSerializer(serializers.Serializer):
    approve = serializers.CharField(help_text="POST here to approve it.")
    reject = serializers.CharField(help_text='POST {"reason"} here to reject it.')


class ReviewQueueItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["hour_log", "milestone"])
    id = serializers.UUIDField()
    apprenticeship = serializers.UUIDField()
    apprentice = QueuePersonSerializer()
    program = QueueNamedSerializer()
    employer = QueueEmployerSerializer()
    waiting_since = serializers.DateTimeField(help_text="Submitted (a log) or reached (a milestone).")
    waiting_days = serializers.IntegerField(help_text="Whole days since then.")
    hour_log = QueueHourLogSerializer(allow_null=True, help_text="An hour log: what it asks; else null.")
    milestone = QueueMilestoneSerializer(allow_null=True, help_text="A milestone: what it asks; else null.")
    actions = QueueActionsSerializer()

    def to_representation(self, item):
        """Written out (a page of 50 items, each of nested parts): the fields above are the
        schema, and tests/api/test_written_out_serializers.py holds the two equal."""
        log, milestone = item["hour_log"], item["milestone"]
        return {
            "kind": item["kind"],
            "id": str(item["id"]),
            "apprenticeship": str(item["apprenticeship"]),
            "apprentice": {**item["apprentice"], "id": str(item["apprentice"]["id"])},
            "program": {**item["program"], "id": str(item["program"]["id"])},
            "employer": {**item["employer"], "id": str(item["employer"]["id"])},
            "waiting_since": instant(item["waiting_since"], self._time_zone),
            "waiting_days": item["waiting_days"],
            "hour_log": log
            and {
                **log,
                "date": log["date"].isoformat(),
                "hours": f"{log['hours']:.2f}",
                "work_process": log["work_process"] and {**log["work_process"], "id": str(log["work_process"]["id"])},
            },
            "milestone": milestone
            and {
                **milestone,
                "threshold_hours": None
                if milestone["threshold_hours"] is None
                else f"{milestone['threshold_hours']:.2f}",
            },
            "actions": item["actions"],
        }

    @cached_property
    def _time_zone(self):
        return timezone.get_current_timezone()


class ReviewQueueCountsSerializer(serializers.Serializer):
    hour_logs = serializers.IntegerField()
    milestones = serializers.IntegerField()


class ReviewQueuePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(required=False, help_text="Every item waiting; absent with `cursor` paging.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    counts = ReviewQueueCountsSerializer(help_text="Everything waiting, by kind (not only this page).")
    results = ReviewQueueItemSerializer(many=True)


class BulkDecisionSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.UUIDField(), allow_empty=False, help_text="Each id once.")


class BulkRejectSerializer(BulkDecisionSerializer):
    reason = serializers.CharField(max_length=2000)


class BulkMilestoneApproveSerializer(BulkDecisionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
