from rest_framework import serializers

from portal.api.serializers import WrittenOut

from ..models import PREFERENCE_EVENTS, Notification


class NotificationSerializer(WrittenOut, serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "link", "subject", "created_at", "read_at", "email_state"]
        read_only_fields = fields

    def get_subject(self, notification) -> dict | None:
        if not notification.subject_type_id:
            return None
        return {"type": notification.subject_type.model, "id": notification.subject_id}

    def to_representation(self, notification):
        """Written out: the bell is read on every page a user opens, and DRF's per-field
        machinery cost more than its query. The fields above stay the schema; a test holds the
        two equal (tests/api/test_written_out_serializers.py)."""
        return {
            "id": str(notification.id),
            "event": notification.event,
            "title": notification.title,
            "body": notification.body,
            "link": notification.link,
            "subject": self.get_subject(notification),
            "created_at": self.instant(notification.created_at),
            "read_at": self.instant(notification.read_at),
            "email_state": notification.email_state,
        }


class PreferenceSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=[(event.value, event.label) for event in PREFERENCE_EVENTS])
    # A declared field, which DRF takes out of the class body: it hides no Field.label.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()


class ReadAllSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()
