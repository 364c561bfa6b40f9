from django.contrib import admin

from portal.admin import HTTPS_URL_FIELDS, KeptAdmin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(KeptAdmin):
    list_display = ["title", "recipient", "event", "created_at", "read_at", "email_state", "email_attempts"]
    list_filter = ["event", "email_state"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient"]
    formfield_overrides = HTTPS_URL_FIELDS


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(KeptAdmin):
    list_display = ["user", "event", "in_app", "email"]
    list_filter = ["event"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
