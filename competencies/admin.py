from django.contrib import admin

from portal.admin import HTTPS_URL_FIELDS, KeptAdmin, ReadOnlyAdmin

from .models import (
    CompetencySignOff,
    HourImport,
    HourLog,
    HourTotals,
    InterimCredential,
    Milestone,
    ProgressReview,
    ReviewRating,
    WorkProcessTotal,
)


@admin.register(HourLog)
class HourLogAdmin(KeptAdmin):
    """Read-mostly: an approved log is never edited or deleted, only voided through the API."""

    list_display = ["apprenticeship", "date", "hours", "kind", "status", "logged_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["apprenticeship", "logged_by"]
    raw_id_fields = ["apprenticeship", "work_process", "logged_by", "reviewed_by"]
    date_hierarchy = "date"

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HourImport)
class HourImportAdmin(KeptAdmin):
    """The record of each import: written by the import, never changed or deleted."""

    read_only = True
    list_display = ["file_name", "sponsor", "imported_by", "created_at", "rows_written", "rows_skipped"]
    list_select_related = ["sponsor", "imported_by"]
    search_fields = ["file_name", "checksum"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CompetencySignOff)
class CompetencySignOffAdmin(KeptAdmin):
    list_display = ["competency", "apprenticeship", "rating", "signed_off_by", "signed_off_at"]
    list_select_related = ["competency", "apprenticeship", "signed_off_by"]
    raw_id_fields = ["apprenticeship", "competency", "signed_off_by"]
    formfield_overrides = HTTPS_URL_FIELDS


@admin.register(Milestone)
class MilestoneAdmin(KeptAdmin):
    list_display = ["definition", "apprenticeship", "status", "reached_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["definition", "apprenticeship"]
    raw_id_fields = ["apprenticeship", "decided_by"]
    # The copy of the apprenticeship's program and employer is filled on save, and a milestone
    # never moves to another apprenticeship or definition (the database holds them together).
    readonly_fields = ["program", "employer"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "apprenticeship", "definition"] if obj else self.readonly_fields


@admin.register(HourTotals)
class HourTotalsAdmin(ReadOnlyAdmin):
    """Derived from the logs, rebuilt by competencies.services.hour_totals_recompute: read-only."""

    list_display = ["apprenticeship", "ojt_approved", "ojt_pending", "rti_approved", "rti_pending", "last_logged_on"]
    raw_id_fields = ["apprenticeship"]


@admin.register(WorkProcessTotal)
class WorkProcessTotalAdmin(ReadOnlyAdmin):
    """Derived from the logs and sign-offs (as the hour totals): read-only."""

    list_display = ["apprenticeship", "work_process", "approved_hours"]
    raw_id_fields = ["apprenticeship", "work_process"]


class _WrittenThroughTheApi(KeptAdmin):
    """Progress reviews and their ratings: written by the mentor and signed by the apprentice
    through the API (an acknowledged review is final), shown here with their history."""

    read_only = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgressReview)
class ProgressReviewAdmin(_WrittenThroughTheApi):
    list_display = ["apprenticeship", "reason", "period", "due_on", "status", "written_by", "acknowledged_at"]
    list_filter = ["status", "reason"]
    list_select_related = ["apprenticeship", "written_by"]


@admin.register(ReviewRating)
class ReviewRatingAdmin(_WrittenThroughTheApi):
    list_display = ["review", "work_process", "rating"]
    list_select_related = ["review", "work_process"]


@admin.register(InterimCredential)
class InterimCredentialAdmin(_WrittenThroughTheApi):
    """Issued by the portal when a work process completes (or asked for by a RAPS admin through
    the API); its certificate is a document of the vault."""

    list_display = ["apprenticeship", "work_process", "issued_on", "requested_by"]
    list_select_related = ["apprenticeship", "work_process", "requested_by"]
