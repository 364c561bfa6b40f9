"""The filters of the RAPIDS files (apprenticeships/rapids/export.py)."""

from rest_framework import serializers

from portal.api.fields import DateField


class RapidsExportFilterSerializer(serializers.Serializer):
    registered_after = DateField(required=False, help_text="Registered in the portal on or after.")
    registered_before = DateField(required=False, help_text="Registered in the portal on or before.")


class RapidsExitsFilterSerializer(serializers.Serializer):
    ended_after = DateField(required=False, help_text="Exits that took effect on or after.")
    ended_before = DateField(required=False, help_text="Exits that took effect on or before.")
