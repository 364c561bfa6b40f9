from rest_framework import serializers

from ..models import Occupation


class OccupationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Occupation
        fields = ["id", "title", "onet_soc_code", "rapids_code", "training_approach", "description"]
        read_only_fields = ["id"]
