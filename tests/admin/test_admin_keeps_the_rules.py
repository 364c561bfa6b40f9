"""The Django admin keeps the portal's rules (portal/admin.py): nothing the portal keeps is
deleted there, the running totals are read-only, every change made there is in the record's
history with the staff member and the reason they typed, and the demo's platform staff edit the
catalog without being superusers."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from apprenticeships.models import Occupation, Program
from competencies.models import HourTotals, WorkProcessTotal
from portal.admin import KeptAdmin
from portal.demo import DEMO_PASSWORD
from portal.models import User
from sponsors.demo import PLATFORM_STAFF_EMAIL
from sponsors.models import Sponsor
from tests.admin.test_admin_pages import PORTAL_APPS, REGISTERED, _url

PORTAL_MODELS = [model for model in REGISTERED if model._meta.app_label in PORTAL_APPS]
TOTALS = [HourTotals, WorkProcessTotal]


@pytest.fixture
def superuser_client(client, platform_staff):
    """Even a superuser: the admin's own permissions refuse, not the user's."""
    assert platform_staff.is_superuser
    client.force_login(platform_staff)
    return client


@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda model: model._meta.label)
def test_nothing_the_portal_keeps_is_deleted_in_the_admin(superuser_client, one_of_each, model):
    record = model._default_manager.order_by("pk").first()
    count = model._default_manager.count()

    page = superuser_client.get(_url(model, "delete", record.pk))
    posted = superuser_client.post(_url(model, "delete", record.pk), {"post": "yes"})
    changelist = superuser_client.get(_url(model, "changelist"))

    assert (page.status_code, posted.status_code) == (403, 403)
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.context["cl"].model_admin.get_actions(changelist.wsgi_request)
    assert b'value="delete_selected"' not in changelist.content
    assert model._default_manager.count() == count


@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda model: model._meta.label)
def test_delete_selected_posted_anyway_deletes_nothing(superuser_client, one_of_each, model):
    record = model._default_manager.order_by("pk").first()
    count = model._default_manager.count()

    superuser_client.post(
        _url(model, "changelist"), {"action": "delete_selected", "_selected_action": [str(record.pk)], "post": "yes"}
    )

    assert model._default_manager.count() == count


@pytest.mark.parametrize("model", TOTALS, ids=lambda model: model._meta.label)
def test_the_running_totals_are_read_only_in_the_admin(superuser_client, one_of_each, model):
    record = model._default_manager.order_by("pk").first()
    model_admin = admin.site._registry[model]
    request = superuser_client.get(_url(model, "changelist")).wsgi_request

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, record)
    assert not model_admin.has_delete_permission(request, record)
    assert superuser_client.get(_url(model, "add")).status_code == 403
    assert superuser_client.post(_url(model, "change", record.pk), {"reason": "try"}).status_code == 403


def occupation_form(occupation: Occupation, **changes) -> dict:
    return {
        "title": occupation.title,
        "onet_soc_code": occupation.onet_soc_code,
        "rapids_code": occupation.rapids_code,
        "training_approach": occupation.training_approach,
        "description": occupation.description,
        **changes,
    }


def test_an_admin_edit_is_in_history_with_who_and_the_reason(superuser_client, platform_staff, program):
    occupation = program.occupation

    response = superuser_client.post(
        _url(Occupation, "change", occupation.pk),
        occupation_form(occupation, description="Builds web front ends.", reason="catalog review 2026"),
    )

    assert response.status_code == 302
    latest = occupation.history.order_by("-history_date").first()
    assert (latest.description, latest.history_change_reason, latest.history_user) == (
        "Builds web front ends.",
        "catalog review 2026",
        platform_staff,
    )


def test_an_admin_edit_without_a_reason_is_refused_and_writes_nothing(superuser_client, program):
    occupation = program.occupation
    rows = occupation.history.count()

    response = superuser_client.post(
        _url(Occupation, "change", occupation.pk), occupation_form(occupation, description="Changed.")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"reason": ["This field is required."]}
    assert occupation.history.count() == rows
    occupation.refresh_from_db()
    assert occupation.description != "Changed."


def test_the_reason_is_asked_on_every_kept_models_add_and_change_form(superuser_client, one_of_each):
    for model in PORTAL_MODELS:
        model_admin = admin.site._registry[model]
        if not isinstance(model_admin, KeptAdmin):
            continue
        record = model._default_manager.order_by("pk").first()
        request = superuser_client.get(_url(model, "changelist")).wsgi_request
        for obj in (None, record):
            form = model_admin.get_form(request, obj)
            assert form.base_fields["reason"].required, model._meta.label


def test_inline_rows_saved_with_their_program_carry_the_reason(superuser_client, program):
    process = program.work_processes.order_by("position", "title").first()
    page = superuser_client.get(_url(Program, "change", program.pk))
    data = {}
    for formset in [page.context["adminform"].form, *page.context["inline_admin_formsets"]]:
        form_list = (
            [formset] if not hasattr(formset, "formset") else [formset.formset.management_form, *formset.formset.forms]
        )
        for form in form_list:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is not None:
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
    prefix = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is type(process))
    index = next(
        i
        for i, f in enumerate(
            next(f for f in page.context["inline_admin_formsets"] if f.formset.prefix == prefix).formset.forms
        )
        if f.instance.pk == process.pk
    )
    data[f"{prefix}-{index}-target_hours"] = str(process.target_hours + 10)
    data["reason"] = "schedule corrected"

    response = superuser_client.post(_url(Program, "change", program.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    latest = process.history.order_by("-history_date").first()
    assert (latest.target_hours, latest.history_change_reason) == (process.target_hours + 10, "schedule corrected")


@pytest.mark.django_db
def test_the_demos_platform_staff_is_no_superuser_and_edits_the_catalog():
    call_command("load_demo", stdout=io.StringIO())
    staff = User.objects.get(email=PLATFORM_STAFF_EMAIL)
    client = Client()
    assert client.login(username=PLATFORM_STAFF_EMAIL, password=DEMO_PASSWORD)
    occupation = Occupation.objects.filter(programs__isnull=False).first()

    edited = client.post(
        _url(Occupation, "change", occupation.pk),
        occupation_form(occupation, description="Reviewed.", reason="demo check"),
    )
    added = client.get(_url(Occupation, "add"))
    sponsor = Sponsor.objects.first()

    assert (staff.is_staff, staff.is_superuser) == (True, False)
    assert edited.status_code == 302
    assert occupation.history.order_by("-history_date").first().history_change_reason == "demo check"
    assert added.status_code == 200
    assert client.get(_url(Occupation, "delete", occupation.pk)).status_code == 403
    assert client.get(_url(Sponsor, "change", sponsor.pk)).status_code == 403
    assert client.get(reverse("admin:competencies_hourlog_changelist")).status_code == 403


@pytest.mark.django_db
def test_loading_the_demo_again_takes_superuser_from_platform_staff_loaded_before():
    call_command("load_demo", stdout=io.StringIO())
    User.objects.filter(email=PLATFORM_STAFF_EMAIL).update(is_superuser=True)

    call_command("load_demo", stdout=io.StringIO())

    staff = User.objects.get(email=PLATFORM_STAFF_EMAIL)
    assert not staff.is_superuser
    assert staff.history.order_by("-history_date").first().history_change_reason.startswith("demo data")


def test_a_password_set_in_the_admin_asks_its_reason_and_is_in_history(superuser_client, platform_staff, outsider):
    url = reverse("admin:auth_user_password_change", args=[outsider.pk])
    rows = outsider.history.count()

    refused = superuser_client.post(
        url, {"password1": "A-new-long-passphrase-42", "password2": "A-new-long-passphrase-42"}
    )
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    assert b'name="reason"' in superuser_client.get(url).content  # the page asks it
    assert outsider.history.count() == rows

    response = superuser_client.post(
        url,
        {"password1": "A-new-long-passphrase-42", "password2": "A-new-long-passphrase-42", "reason": "locked out"},
    )

    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.check_password("A-new-long-passphrase-42")
    latest = outsider.history.order_by("-history_date").first()
    assert (latest.history_change_reason, latest.history_user) == ("locked out", platform_staff)
