from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import Written, WrittenOut, id_of, instant_of

from ..models import PREFERENCE_EVENTS, Notification


def _subject(_serializer, subject_type_id, model, subject_id) -> dict | None:
    return None if subject_type_id is None else {"type": model, "id": subject_id}


# The fields of a notification as the API writes it, in order: the one list (WrittenOut).
NOTIFICATION_FIELDS = {
    "id": id_of("id"),
    "event": Written("event"),
    "title": Written("title"),
    "body": Written("body"),
    "link": Written("link"),
    "subject": Written("subject_type_id", "subject_type__model", "subject_id", write=_subject),
    "created_at": instant_of("created_at"),
    "read_at": instant_of("read_at"),
    "email_state": Written("email_state"),
}


class SubjectSerializer(serializers.Serializer):
    """The record a notification is about: its kind (`hourlog`, `milestone`...) and id."""

    type = serializers.CharField()
    id = serializers.UUIDField()


class NotificationSerializer(WrittenOut, serializers.ModelSerializer):
    """Written out (WrittenOut): the bell is read on every page a user opens."""

    WRITTEN = NOTIFICATION_FIELDS
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = list(NOTIFICATION_FIELDS)
        read_only_fields = fields

    @extend_schema_field(SubjectSerializer(allow_null=True))
    def get_subject(self, notification) -> dict | None:
        if not notification.subject_type_id:
            return None
        return {"type": notification.subject_type.model, "id": notification.subject_id}


class PreferenceSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=[(event.value, event.label) for event in PREFERENCE_EVENTS])
    # A declared field, which DRF takes out of the class body: it hides no Field.label.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()


class ReadAllSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()
