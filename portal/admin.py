"""The Django admin of platform staff, and the rules every portal model's admin keeps
(docs/operations.md, "The admin"):

- nothing the portal keeps is deleted there (no delete view, no "delete selected" action):
  records are withdrawn, voided, cancelled or superseded with a reason, through the API;
- every add and change made there is in the record's history with the staff member and the
  reason they typed (a required "reason" field on the form);
- what is derived (the running totals) is read-only entirely.
"""

import functools

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.db import models
from django.http import HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from .adapters import LoginAttempt, SignInUnavailable, TooManyLoginAttempts
from .models import AuditEntry, IdempotentRequest, User

# URLs typed without a scheme are https (Django 6's default, opted into now).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


REASON_HELP = "Why this change is made: kept in the record's history with your name."


@functools.cache
def with_reason_field(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """`form_class` with a required "reason", which the admin stores as the history reason."""
    reason = forms.CharField(max_length=100, help_text=REASON_HELP, widget=forms.TextInput(attrs={"size": 80}))
    return type(form_class.__name__, (form_class,), {"reason": reason, "__module__": form_class.__module__})


class KeptAdmin(SimpleHistoryAdmin):
    """The admin of a model the portal keeps: no delete, and every save with its reason."""

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = with_reason_field(self.form)  # type: ignore[has-type]
        if hasattr(self, "add_form"):  # the user admin's form of a new account
            self.add_form = with_reason_field(self.add_form)  # type: ignore[has-type]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if "reason" not in flatten_fieldsets(fieldsets):
            fieldsets.append(("Why", {"fields": ["reason"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        # The admin's views always pass their form; code calling this without one still leaves
        # a reason that says where the change was made.
        obj._change_reason = form.cleaned_data["reason"] if form is not None else "changed in the admin"
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # The inlines' rows are saved with the reason of the form they are part of.
        for inline_form in formset.forms:
            inline_form.instance._change_reason = form.cleaned_data["reason"]
            inline_form.instance._history_user = request.user
        super().save_formset(request, form, formset, change)


class KeptInline(admin.TabularInline):
    """An inline of a kept model: rows are added and changed, never deleted."""

    extra = 0

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted in the admin (records the portal writes itself)."""

    read_only = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class PasswordSetForm(AdminPasswordChangeForm):
    """The admin's "set password" page, which asks its reason as every admin change does (the
    password itself is never in history; the change is, with who and why)."""

    reason = forms.CharField(max_length=100, help_text=REASON_HELP, widget=forms.TextInput(attrs={"size": 80}))

    def save(self, commit=True):
        self.user._change_reason = self.cleaned_data["reason"]
        return super().save(commit)


@admin.register(User)
class UserAdmin(KeptAdmin, DjangoUserAdmin):
    """Accounts are deactivated (is_active), never deleted: their records name them."""

    form = UserEditForm
    add_form = UserCreateForm
    change_password_form = PasswordSetForm
    change_user_password_template = "admin/portal/user/change_password.html"
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
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit trail's index: read-only, written with the history rows it indexes."""

    list_display = ("at", "record_type", "record_id", "action", "actor", "reason")
    list_filter = ("record_type", "action")
    search_fields = ("reason",)
    list_select_related = ("actor",)


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(ReadOnlyAdmin):
    """The answers kept for Idempotency-Key retries (portal/idempotency.py): read-only, written by
    the requests they answer, deleted after IDEMPOTENCY_KEY_TTL."""

    list_display = ("created_at", "user", "method", "path", "status", "key")
    list_filter = ("method", "status")
    search_fields = ("key", "path")
    list_select_related = ("user",)
    exclude = ("body",)
