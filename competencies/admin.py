from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import HTTPS_URL_FIELDS

from .models import CompetencySignOff, HourLog


@admin.register(HourLog)
class HourLogAdmin(SimpleHistoryAdmin):
    """Read-mostly: an approved log is never edited or deleted, only voided through the API."""

    list_display = ["apprenticeship", "date", "hours", "kind", "status", "logged_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["apprenticeship", "logged_by"]
    raw_id_fields = ["apprenticeship", "work_process", "logged_by", "reviewed_by"]
    date_hierarchy = "date"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CompetencySignOff)
class CompetencySignOffAdmin(SimpleHistoryAdmin):
    list_display = ["competency", "apprenticeship", "rating", "signed_off_by", "signed_off_at"]
    list_select_related = ["competency", "apprenticeship", "signed_off_by"]
    raw_id_fields = ["apprenticeship", "competency", "signed_off_by"]
    formfield_overrides = HTTPS_URL_FIELDS
