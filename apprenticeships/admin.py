from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Occupation


@admin.register(Occupation)
class OccupationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "onet_soc_code", "rapids_code", "training_approach"]
    list_filter = ["training_approach"]
    search_fields = ["title", "onet_soc_code", "rapids_code"]
