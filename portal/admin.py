from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.http import HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from .adapters import LoginAttempt, SignInUnavailable, TooManyLoginAttempts
from .models import AuditEntry, IdempotentRequest, User

# URLs typed without a scheme are https (Django 6's default, opted into now).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")
        field_classes: dict = {}


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "usable_password", "password1", "password2"]})
    ]


def throttled_admin_login(request, extra_context=None):
    """The admin's sign-in, counted with the API's (portal.adapters): wrong passwords for an
    account, from an address, or from anywhere, end in a 429 like the API's login."""
    if request.method != "POST":
        return admin.site.login(request, extra_context)
    try:
        attempt = LoginAttempt(request, request.POST.get("username", ""))
    except SignInUnavailable as refused:  # the cache that counts attempts is down: fail closed
        response = HttpResponse(
            "Sign-in is unavailable for a moment. Try again shortly.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(refused.retry_after)
        return response
    except TooManyLoginAttempts as refused:
        response = HttpResponse(
            "Too many failed login attempts. Try again later.", status=429, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(refused.retry_after)
        return response
    response = admin.site.login(request, extra_context)
    if request.user.is_authenticated and request.user.is_staff:
        attempt.succeeded()
    return response


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail's index: read-only, written with the history rows it indexes."""

    read_only = True
    list_display = ("at", "record_type", "record_id", "action", "actor", "reason")
    list_filter = ("record_type", "action")
    search_fields = ("reason",)
    list_select_related = ("actor",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(admin.ModelAdmin):
    """The answers kept for Idempotency-Key retries (portal/idempotency.py): read-only, written by
    the requests they answer, deleted after IDEMPOTENCY_KEY_TTL."""

    read_only = True
    list_display = ("created_at", "user", "method", "path", "status", "key")
    list_filter = ("method", "status")
    search_fields = ("key", "path")
    list_select_related = ("user",)
    exclude = ("body",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
