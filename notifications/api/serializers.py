from rest_framework import serializers

from ..models import Event, Notification


class NotificationSerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "link", "subject", "created_at", "read_at", "email_state"]
        read_only_fields = fields

    def get_subject(self, notification) -> dict | None:
        if not notification.subject_type_id:
            return None
        return {"type": notification.subject_type.model, "id": notification.subject_id}


class PreferenceSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=Event.choices)
    label = serializers.CharField(read_only=True)
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()


class ReadAllSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()
