from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import KeptAdmin, KeptInline, ReadOnlyAdmin

from . import record
from .models import (
    AgreementSignature,
    AgreementVersion,
    AidRequest,
    ApprenticeRegistration,
    Apprenticeship,
    Competency,
    Document,
    DocumentDownload,
    MilestoneDefinition,
    Occupation,
    PriorityPopulation,
    Program,
    WageStep,
    WorkProcess,
)


@admin.register(Occupation)
class OccupationAdmin(KeptAdmin):
    list_display = ["title", "onet_soc_code", "rapids_code", "training_approach"]
    list_filter = ["training_approach"]
    search_fields = ["title", "onet_soc_code", "rapids_code"]


class WorkProcessInline(KeptInline):
    model = WorkProcess


class WageStepInline(KeptInline):
    model = WageStep


class MilestoneDefinitionInline(KeptInline):
    model = MilestoneDefinition


@admin.register(Program)
class ProgramAdmin(KeptAdmin):
    list_display = ["title", "sponsor", "training_approach", "ojt_hours_required", "rti_hours_required", "term_months"]
    list_filter = ["training_approach", "sponsor"]
    list_select_related = ["sponsor"]
    search_fields = ["title"]
    inlines = [WorkProcessInline, WageStepInline, MilestoneDefinitionInline]


@admin.register(WorkProcess)
class WorkProcessAdmin(KeptAdmin):
    list_display = ["title", "program", "target_hours"]
    list_select_related = ["program"]
    search_fields = ["title"]


@admin.register(Competency)
class CompetencyAdmin(KeptAdmin):
    list_display = ["code", "title", "work_process"]
    list_select_related = ["work_process"]
    search_fields = ["code", "title"]


@admin.register(WageStep)
class WageStepAdmin(KeptAdmin):
    list_display = ["name", "program", "starts_at_ojt_hours", "wage"]
    list_select_related = ["program"]


@admin.register(MilestoneDefinition)
class MilestoneDefinitionAdmin(KeptAdmin):
    list_display = ["name", "program", "kind", "threshold_hours"]
    list_filter = ["kind"]
    list_select_related = ["program"]


@admin.register(Apprenticeship)
class ApprenticeshipAdmin(KeptAdmin):
    list_display = ["apprentice", "program", "employer", "status", "start_date", "expected_end_date"]
    list_filter = ["status"]
    list_select_related = ["apprentice", "program", "employer"]
    search_fields = ["apprentice__email", "apprentice__full_name", "rapids_apprentice_id"]
    raw_id_fields = ["apprentice", "mentor"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # Every apprenticeship has its running totals, which the sponsor's numbers count.
            record.apprenticeship_registered(obj)

    def get_readonly_fields(self, request, obj=None):
        # Status moves only through the services (their rules, notices and running totals);
        # program and employer never change: hour logs and totals refer to them.
        return ["program", "employer", "status"] if obj is not None else []


@admin.register(ApprenticeRegistration)
class ApprenticeRegistrationAdmin(KeptAdmin):
    list_display = ["first_name", "last_name", "apprenticeship"]
    exclude = ["ssn"]  # never shown whole, not even to platform staff
    readonly_fields = ["ssn_last4"]
    search_fields = ["first_name", "last_name"]
    raw_id_fields = ["apprenticeship"]


@admin.register(Document)
class DocumentAdmin(KeptAdmin):
    """The vault: the file, its proof (size, SHA-256) and where it belongs never change here;
    the title, description and status (with its reason) may."""

    list_display = ["title", "kind", "apprenticeship", "status", "content_type", "size", "created_at"]
    list_filter = ["kind", "status", "generated"]
    search_fields = ["title", "filename", "verification_code", "sha256"]
    readonly_fields = [
        "apprenticeship",
        "kind",
        "file",
        "filename",
        "content_type",
        "size",
        "sha256",
        "supersedes",
        "uploaded_by",
        "generated",
        "verification_code",
        "issued_on",
    ]

    read_only = True  # nothing added here: documents are filed through the API (content checked) or generated

    def has_add_permission(self, request):
        return False


@admin.register(DocumentDownload)
class DocumentDownloadAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["document", "downloaded_by", "ip_address", "created_at"]


@admin.register(AidRequest)
class AidRequestAdmin(KeptAdmin):
    list_display = ["apprenticeship", "barrier_category", "amount_requested", "amount_approved", "status", "fund"]
    list_filter = ["status", "barrier_category"]
    list_select_related = ["apprenticeship__apprentice", "fund"]
    raw_id_fields = ["apprenticeship", "requested_by", "decided_by", "paid_by", "documents"]

    def get_readonly_fields(self, request, obj=None):
        # Decisions and payments go through the services, which hold the cap and the fund's
        # balance under their locks: the admin corrects the words, never the money or the state.
        decided = ["status", "amount_approved", "decided_by", "decided_at", "paid_on", "payment_method", "paid_by"]
        return [*decided, "fund", "amount_requested", "apprenticeship"] if obj is not None else decided


class _WrittenThroughTheApi(KeptAdmin):
    """Records whose rules live in their services (a signature's SHA-256 and consent, a version's
    PDF, a population's criteria checked against the registration's codes): shown here with their
    history, written only through the API."""

    read_only = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AgreementVersion)
class AgreementVersionAdmin(_WrittenThroughTheApi):
    list_display = ["apprenticeship", "number", "status", "sha256", "created_at"]
    list_filter = ["status"]
    list_select_related = ["apprenticeship__apprentice"]


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(_WrittenThroughTheApi):
    list_display = ["version", "role", "signer", "typed_name", "signed_at"]
    list_filter = ["role"]
    list_select_related = ["version__apprenticeship__apprentice", "signer"]


@admin.register(PriorityPopulation)
class PriorityPopulationAdmin(_WrittenThroughTheApi):
    list_display = ["name", "sponsor", "criterion", "active"]
    list_filter = ["criterion", "active"]
    search_fields = ["name"]
