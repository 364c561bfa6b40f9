"""The completion packet's and the interim credentials' answers: where each document is in the
vault, its verification code and issue date."""

from rest_framework import serializers

from apprenticeships.models import display_code


class PacketDocumentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    verification_code = serializers.CharField()
    display_code = serializers.SerializerMethodField()
    issued_on = serializers.DateField()

    def get_display_code(self, document) -> str:
        return display_code(document.verification_code)


class CompletionPacketSerializer(serializers.Serializer):
    apprenticeship = serializers.UUIDField()
    complete = serializers.BooleanField(help_text="Both documents are filed.")
    transcript = PacketDocumentSerializer(allow_null=True)
    completion_application = PacketDocumentSerializer(allow_null=True)


class InterimCredentialSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    work_process = serializers.UUIDField(source="work_process_id")
    work_process_title = serializers.CharField(source="work_process.title")
    issued_on = serializers.DateField()
    requested_by = serializers.UUIDField(source="requested_by_id", allow_null=True)
    document = PacketDocumentSerializer()


class CredentialRequestSerializer(serializers.Serializer):
    work_process = serializers.UUIDField()
