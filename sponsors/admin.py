from django.contrib import admin

from portal.admin import KeptAdmin, KeptInline

from .models import Employer, Fund, Invitation, Membership, Participation, Sponsor


class ParticipationInline(KeptInline):
    model = Participation


@admin.register(Sponsor)
class SponsorAdmin(KeptAdmin):
    list_display = [
        "name",
        "registration_number",
        "registration_agency",
        "agency_state",
        "sponsor_type",
        "registration_date",
    ]
    search_fields = ["name", "registration_number"]
    list_filter = ["registration_agency", "sponsor_type"]


@admin.register(Employer)
class EmployerAdmin(KeptAdmin):
    list_display = ["name", "ein", "city", "state", "naics_code"]
    search_fields = ["name", "ein"]
    inlines = [ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(KeptAdmin):
    list_display = ["employer", "sponsor", "joined_on"]
    list_select_related = ["employer", "sponsor"]


@admin.register(Membership)
class MembershipAdmin(KeptAdmin):
    list_display = ["user", "role", "sponsor", "employer", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "sponsor", "employer"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(KeptAdmin):
    list_display = ["email", "role", "sponsor", "employer", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    readonly_fields = ["token_hash", "accepted_at", "accepted_by"]
    list_select_related = ["sponsor", "employer"]


@admin.register(Fund)
class FundAdmin(KeptAdmin):
    list_display = ["name", "sponsor", "source", "amount", "period_start", "period_end"]
    list_filter = ["source"]
    list_select_related = ["sponsor"]
    search_fields = ["name", "source"]
