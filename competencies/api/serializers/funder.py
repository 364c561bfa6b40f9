"""The funders' figures of the summary (competencies/funder.py) as the API writes them."""

from rest_framework import serializers

from portal.api.fields import DecimalField


def _rate(help_text: str):
    return serializers.FloatField(allow_null=True, help_text=help_text)


class _Retention(serializers.Serializer):
    started = serializers.IntegerField(help_text="Apprenticeships that started 90 days ago or more.")
    retained = serializers.IntegerField(help_text="Of those, the ones not cancelled within their first 90 days.")
    rate = _rate("retained / started; null when none started 90 days ago.")


class _Share(serializers.Serializer):
    count = serializers.IntegerField()
    share = _rate("count / participants; null without participants.")


class _Population(_Share):
    name = serializers.CharField()
    criterion = serializers.CharField()


class _Populations(serializers.Serializer):
    participants = serializers.IntegerField(help_text="Every apprenticeship of the summary, whatever its status.")
    in_any = _Share(help_text="Participants in at least one of the active priority populations.")
    populations = _Population(many=True)


class OutcomesSerializer(serializers.Serializer):
    completed = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    completion_rate = _rate("completed / (completed + cancelled); null when none ended.")
    retention_90_days = _Retention()
    wages_of = serializers.IntegerField(
        help_text="Active and completed apprenticeships, whose wages the medians are of."
    )
    median_entry_wage = DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    median_current_wage = DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, help_text="The current wage step's wage, else the entry wage."
    )
    priority_populations = _Populations()
