"""Every write of the demo loader is in history, as a write through the services is: each row
of a model that keeps history has its history, and its newest history row is what it holds now
(the notifications' read and delivery states included)."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from notifications.models import Notification

PORTAL_APPS = ["portal", "sponsors", "apprenticeships", "competencies", "notifications"]
COMPARED = ["read_at", "email_state", "email_attempts", "email_sent_at", "email_last_error"]


def _history_keeping_models():
    return [
        model
        for label in PORTAL_APPS
        for model in apps.get_app_config(label).get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]


@pytest.mark.django_db
def test_every_row_the_demo_writes_is_in_history_as_it_stands():
    call_command("load_demo", stdout=io.StringIO())

    for model in _history_keeping_models():
        history = getattr(model, model._meta.simple_history_manager_attribute)
        without = model._default_manager.exclude(pk__in=history.values("id"))
        assert not without.exists(), f"{without.count()} {model._meta.label} rows have no history"

    read = Notification.objects.filter(read_at__isnull=False)
    assert read.exists()
    for notification in Notification.objects.all():
        latest = notification.history.order_by("-history_date", "-history_id").first()
        assert {name: getattr(latest, name) for name in COMPARED} == {
            name: getattr(notification, name) for name in COMPARED
        }, notification.pk
    assert Notification.history.filter(history_change_reason__startswith="demo data").count() >= read.count()
