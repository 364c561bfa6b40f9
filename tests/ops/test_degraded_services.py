"""With a helper service down the portal degrades instead of failing: the cache (rate limits
fail open, sign-in fails closed, /readyz reports it degraded; 503 only for a cache that cannot
fail open), the broker (writes answer, the outbox keeps
the work, /readyz reports it without failing)."""

import logging

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from competencies.models import HourLog
from competencies.services import hour_totals_recompute
from notifications.models import EmailState, Notification
from portal.api.throttling import UserRateThrottle
from portal.api.views import MeView
from portal.cache import cache_settings
from tests import factories
from tests.delivery.conftest import NOWHERE, broker

CACHE_DOWN = {"default": cache_settings("redis://127.0.0.1:1/0")}  # nothing listens there


class FivePerMinute(UserRateThrottle):
    rate = "5/min"


@pytest.fixture
def throttled_me(monkeypatch):
    """me/ with the production throttle at a low rate (the test settings switch throttles off)."""
    monkeypatch.setattr(MeView, "throttle_classes", [FivePerMinute])


def test_with_the_cache_down_api_requests_are_served_unthrottled_and_it_is_logged(
    client_for, raps_admin, throttled_me, caplog
):
    client = client_for(raps_admin)

    with override_settings(CACHES=CACHE_DOWN), caplog.at_level(logging.WARNING):
        statuses = [client.get("/api/v1/me/").status_code for _ in range(7)]  # past the 5/min limit

    assert statuses == [200] * 7
    assert any("cache is unavailable" in record.getMessage() for record in caplog.records)


def test_with_the_cache_up_the_same_limit_throttles(client_for, raps_admin, throttled_me):
    client = client_for(raps_admin)

    statuses = [client.get("/api/v1/me/").status_code for _ in range(7)]

    assert statuses == [200] * 5 + [429] * 2


def test_with_the_cache_down_sign_in_fails_closed_with_503(raps_admin, caplog):
    with override_settings(CACHES=CACHE_DOWN):
        response = APIClient().post(
            "/_allauth/app/v1/auth/login", {"email": raps_admin.email, "password": "whatever"}, format="json"
        )

    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "sign_in_unavailable"
    assert int(response["Retry-After"]) > 0


def test_with_the_failing_open_cache_down_readyz_reports_it_degraded_and_stays_ready(client, db):
    """Every request is still served (the tests above) and the cache is the same for every
    process: taking them all out of the load balancer would stop what still works."""
    with override_settings(CACHES=CACHE_DOWN):
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["cache"].startswith("unavailable")
    assert "degraded" in response.json()["checks"]["cache"]
    assert response.json()["checks"]["database"] == "ok"


def test_with_a_cache_that_cannot_fail_open_down_readyz_is_503_and_names_the_cache(client, db):
    """Django's own Redis cache raises when Redis is down: every throttled request would fail."""
    plain_redis_down = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=plain_redis_down):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["cache"].startswith("unavailable")
    assert "degraded" not in response.json()["checks"]["cache"]
    assert response.json()["checks"]["database"] == "ok"


def test_with_the_broker_down_a_write_answers_and_the_outbox_keeps_the_email(
    client_for, apprentice, employer_a_supervisor, apprenticeship, django_capture_on_commit_callbacks, caplog
):
    log = factories.HourLogFactory(apprenticeship=apprenticeship, logged_by=apprentice, status="submitted")
    hour_totals_recompute(apprenticeship=apprenticeship)
    supervisor = client_for(employer_a_supervisor)

    # broker() first: it saves the app's configuration as the other tests have it and gives it
    # back last (saved inside override_settings, it would keep eager execution off afterwards).
    with (
        broker(NOWHERE),
        override_settings(CELERY_BROKER_URL=NOWHERE, CELERY_TASK_ALWAYS_EAGER=False),
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.WARNING),
    ):
        response = supervisor.post(f"/api/v1/hour-logs/{log.pk}/approve/")

    assert response.status_code == 200
    assert HourLog.objects.get(pk=log.pk).status == "approved"
    told = Notification.objects.get(recipient=apprentice, event="hours_approved")
    assert told.email_state == EmailState.PENDING  # the sweep sends it once the broker is back
    assert any("Could not enqueue" in record.getMessage() for record in caplog.records)


def test_with_the_broker_down_readyz_reports_it_and_stays_ready(client, db):
    with broker(NOWHERE), override_settings(CELERY_BROKER_URL=NOWHERE):
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"].startswith("unavailable")


def test_with_the_cache_down_the_admin_sign_in_fails_closed_with_503(db):
    from django.conf import settings
    from django.test import Client

    with override_settings(CACHES=CACHE_DOWN):
        response = Client().post(f"/{settings.ADMIN_URL}login/", {"username": "someone@example.org", "password": "x"})

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
