"""Every model in the Django admin opens for platform staff: changelist, add, change and history.

The pages are found from `admin.site._registry`, so a newly registered model is covered without
touching this file; it only needs a row, which `one_of_each` makes with its factory from
tests/factories.py.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

PORTAL_APPS = ["portal", "sponsors", "apprenticeships", "competencies", "notifications"]

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _portal_models():
    return [
        model
        for label in PORTAL_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]


@pytest.fixture
def staff_client(client, platform_staff):
    client.force_login(platform_staff)
    return client


def _url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def _keeps_history(model):
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


@pytest.mark.parametrize("model", _portal_models(), ids=lambda model: model._meta.label)
def test_every_portal_model_is_registered_in_the_admin(model):
    assert model in admin.site._registry, f"{model._meta.label} is not registered in the admin"


@pytest.mark.parametrize(
    "model", [model for model in _portal_models() if _keeps_history(model)], ids=lambda model: model._meta.label
)
def test_admin_of_a_model_that_keeps_history_shows_it(model):
    assert isinstance(admin.site._registry.get(model), SimpleHistoryAdmin), (
        f"{model._meta.label} keeps history but its admin does not show it"
    )


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_pages_open_for_platform_staff(staff_client, one_of_each, model):
    record = model._default_manager.order_by("pk").first()
    assert record is not None, f"one_of_each makes no {model._meta.label}: add one"

    pages = {
        "changelist": _url(model, "changelist"),
        "search": _url(model, "changelist") + "?q=a",
        "add": _url(model, "add"),
        "change": _url(model, "change", record.pk),
        "history": _url(model, "history", record.pk),
    }
    if getattr(admin.site._registry[model], "read_only", False):  # the audit trail: nothing to add
        del pages["add"]
    for page, url in pages.items():
        response = staff_client.get(url)

        assert (page, response.status_code) == (page, 200), url


@pytest.mark.parametrize(
    "model",
    [model for model in REGISTERED if isinstance(admin.site._registry[model], SimpleHistoryAdmin)],
    ids=lambda model: model._meta.label,
)
def test_history_page_lists_the_simple_history_records(staff_client, one_of_each, model):
    history = getattr(model, model._meta.simple_history_manager_attribute)
    latest = history.order_by("-history_date").first()
    assert latest is not None, f"one_of_each makes no {model._meta.label} through a save"

    response = staff_client.get(_url(model, "history", latest.instance.pk))

    assert response.status_code == 200
    assert "simple_history/object_history.html" in [template.name for template in response.templates]
    shown = list(response.context["page_obj"].object_list)
    assert latest.history_id in [record.history_id for record in shown]


def test_admin_turns_away_a_signed_in_non_staff_user(client, raps_admin):
    client.force_login(raps_admin)

    response = client.get(reverse("admin:sponsors_sponsor_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
